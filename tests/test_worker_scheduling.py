"""Every module that reads a shared session fixture runs in that fixture's unit
(worker_scheduling.py): a module left out builds the fixture again on the other worker (one full
pipeline run, ~60 s of the suite's 15 minutes, when test_column_lineage.py was left out)."""

from __future__ import annotations

import re
from pathlib import Path

from worker_scheduling import SHARED_FIXTURE_UNITS, unit_of

TESTS = Path(__file__).resolve().parent


def test_every_module_reading_a_shared_fixture_runs_in_its_unit():
    units = set(SHARED_FIXTURE_UNITS.values())
    readers = {module.name: fixture for module in TESTS.glob("test_*.py")
               for fixture in units if re.search(rf"\b{fixture}\b", module.read_text(encoding="utf-8"))
               and module.name != Path(__file__).name}
    assert readers, "no module reads a shared fixture: the unit names changed?"
    assert {name: unit_of(f"tests/{name}::t") for name in readers} == readers
