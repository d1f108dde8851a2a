"""The `annual` materialization of the annual models (dbt_project/macros/materializations/annual.sql),
run by the real dbt on a real DuckDB file, in a small project that uses the project's macros.

A year's build adds or replaces that year's rows and leaves the others; the rows are written
once, straight into the table (no temporary table to copy from); a column added to the model is
added to the table (on_schema_change: sync_all_columns); a view in the table's place, or
--full-refresh, gives a table made from the query alone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb

from dbt_helpers import DBT, PROJECT_DIR, query

PROJECT = """name: annual_check
version: "1.0.0"
config-version: 2
profile: annual_check
model-paths: ["models"]
macro-paths: ["macros"]
flags:
  send_anonymous_usage_stats: false
  version_check: false
"""

PROFILE = """annual_check:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{{ env_var('MLW_WAREHOUSE') }}"
      schema: main
      threads: 1
"""

MODEL = "{{ config(**annual_incremental()) }}\nselect year, label%s from raw.source {{ year_filter() }}\n"


def make_project(root: Path) -> Path:
    project = root / "project"
    shutil.copytree(PROJECT_DIR / "macros", project / "macros")
    (project / "models").mkdir()
    (project / "dbt_project.yml").write_text(PROJECT)
    (project / "profiles.yml").write_text(PROFILE)
    write_model(project)
    return project


def write_model(project: Path, extra_columns: str = "") -> None:
    (project / "models" / "annual_rows.sql").write_text(MODEL % extra_columns)


def build(project: Path, warehouse: Path, year: int, *flags: str) -> str:
    """`dbt run` of the model for `year`; the SQL dbt ran for it."""
    env = {**os.environ, "MLW_WAREHOUSE": str(warehouse), "MLW_BUILD_YEAR": str(year)}
    result = subprocess.run(
        [str(DBT), "run", *flags, "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs")],
        env=env, cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout
    return (project / "target" / "run" / "annual_check" / "models" / "annual_rows.sql").read_text()


def rows(warehouse: Path) -> list[tuple]:
    return query(warehouse, "select * from main.annual_rows order by year")


def execute(warehouse: Path, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute(sql)


def test_a_year_is_added_or_replaced_alone_written_once_with_new_columns_followed(tmp_path):
    project, warehouse = make_project(tmp_path), tmp_path / "warehouse.duckdb"
    execute(warehouse, "create schema raw; create table raw.source as "
                       "select * from (values (2022, 'a'), (2023, 'b')) as t(year, label)")

    assert "create" in build(project, warehouse, 2022).lower()  # no table yet: created
    assert rows(warehouse) == [(2022, "a")]
    build(project, warehouse, 2023)
    assert rows(warehouse) == [(2022, "a"), (2023, "b")]

    execute(warehouse, "update raw.source set label = 'b2' where year = 2023")
    ran = " ".join(build(project, warehouse, 2023).lower().split())
    assert rows(warehouse) == [(2022, "a"), (2023, "b2")]  # 2023 replaced, 2022 kept
    assert ran.startswith("insert into") and "__dbt_rows" in ran and "__dbt_tmp" not in ran

    write_model(project, ", year * 10 as decade")  # a new column: added, earlier years null
    build(project, warehouse, 2023)
    assert rows(warehouse) == [(2022, "a", None), (2023, "b2", 20230)]
    assert query(warehouse, "select count(*) from information_schema.tables "
                            "where table_name like '%__dbt_rows'") == [(0,)]  # the view is gone

    build(project, warehouse, 2022, "--full-refresh")  # the table made again, from this year
    assert rows(warehouse) == [(2022, "a", 20220)]

    execute(warehouse, "drop table main.annual_rows; "
                       "create view main.annual_rows as select 1 as year, 'stale' as label")
    build(project, warehouse, 2023)  # a view in the table's place: a table from the query
    assert rows(warehouse) == [(2023, "b2", 20230)]
    assert query(warehouse, "select table_type from information_schema.tables "
                            "where table_name = 'annual_rows'") == [("BASE TABLE",)]
