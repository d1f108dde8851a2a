"""How the pipeline invokes dbt so that it parses the project once, not on every command.

dbt re-parses the whole project (~5 s) when its target folder holds no partial-parse file, or
one made with other `--vars` or another profile. dagster-dbt gives every invocation a fresh
target folder, seeded with a copy of dbt_project/target's partial parse (the load-time
manifest's, made for whichever warehouse was current then), and each annual build passed its
year in `--vars`: every annual build, and the load's whenever the warehouse differed, paid the
full parse. Here:

  - every dbt command of a warehouse shares one target folder, `<warehouse>/dbt_target`, where
    dbt keeps `partial_parse.msgpack` between commands and runs (dagster-dbt seeds it only
    while it has none, so a new warehouse pays one full parse at most);
  - the year to build goes through the environment (MLW_BUILD_YEAR, read by the dbt macro
    `build_year()` at execution only), so changing it does not invalidate the parse; so does
    the dbt project's digest (MLW_DBT_PROJECT_DIGEST, read by dim_youth at execution only);
  - dagster-dbt's in-process dbt adapter (opened on each command to fetch row counts, which
    orchestration/dbt_metadata.py does itself from the warehouse) is not created, and dbt's
    version is read from the installed package instead of a `dbt --version` child process.

DuckDB takes one writer per file, so the dbt commands of a warehouse already run one after
the other: they never share the target folder at the same time.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from importlib.metadata import version as installed_version
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

from orchestration.settings import Settings
from orchestration.warehouse.build_inputs import dbt_project_digest

BUILD_YEAR_VARIABLE = "MLW_BUILD_YEAR"
PROJECT_DIGEST_VARIABLE = "MLW_DBT_PROJECT_DIGEST"
# What a command leaves that the next one must not read as its own (the partial-parse file and
# the compiled SQL stay: they are what makes the next command fast, and are rewritten by it).
_RUN_ARTIFACTS = ("manifest.json", "run_results.json")


def dbt_target_path(settings: Settings) -> Path:
    """The warehouse's dbt target folder, emptied of the last command's run artifacts."""
    target = settings.warehouse_dir / "dbt_target"
    target.mkdir(parents=True, exist_ok=True)
    for name in _RUN_ARTIFACTS:
        (target / name).unlink(missing_ok=True)
    return target


@contextmanager
def dbt_environment(year: int | None) -> Iterator[None]:
    """Within the block, dbt commands build `year` only (None: every year), and know the digest
    of the dbt project (MLW_DBT_PROJECT_DIGEST), which tells dim_youth whether the youths of
    the export files it was built from can be kept (macros/youth_versions_rebuilt.sql)."""
    values = {BUILD_YEAR_VARIABLE: None if year is None else str(int(year)),
              PROJECT_DIGEST_VARIABLE: dbt_project_digest()}
    previous = {name: os.environ.pop(name, None) for name in values}
    os.environ.update({name: value for name, value in values.items() if value is not None})
    try:
        yield
    finally:
        for name, value in previous.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


class PipelineDbtCli(DbtCliResource):
    """dagster-dbt's dbt resource without two start-up costs paid on every dbt command.

    - Its in-process adapter (1.5 s on the first command, 0.3 s after) reads row counts and
      column schemas through dbt: orchestration/dbt_metadata.py reads them from the warehouse
      once dbt has exited.
    - `dbt --version` in a child process (~2 s: it imports dbt) tells it dbt's version: the
      executable is this environment's dbt (orchestration/dbt_docs.py, DBT_EXECUTABLE), so the
      installed dbt-core package says the same.
    """

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(installed_version("dbt-core"))
