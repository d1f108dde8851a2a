"""The one Dagster `Definitions` of the project: `dagster dev -m orchestration.definitions`.

Settings come from the environment (see orchestration/settings.py), as for `mlw run`.
"""

from orchestration.definitions_factory import build_definitions
from orchestration.settings import Settings

defs = build_definitions(Settings.from_env())
