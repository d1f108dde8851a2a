"""dim_youth rebuilds the youths of new export files only, and every youth when anything else
changed (macros/youth_versions_rebuilt.sql): either way the rows a whole rebuild gives.

Real dbt runs on the hand-made raw layer of export_marts_rows.py: after each change, the model
is built as the pipeline builds it (the dbt project's digest in MLW_DBT_PROJECT_DIGEST), then
again with --full-refresh, and both tables must hold the same rows.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from dbt_helpers import query, run_dbt
from export_marts_rows import LA_MADELEINE, MARCQ, key, land, published, youth

DIGEST = "MLW_DBT_PROJECT_DIGEST"
DIM_YOUTH = "select * from star.dim_youth order by all"


def _build(tmp_path: Path, warehouse: Path, *args: str) -> list[tuple]:
    result = run_dbt(tmp_path, warehouse, "run", "--select", "dim_youth", *args)
    assert result.returncode == 0, result.stdout
    return query(warehouse, DIM_YOUTH)


def _compiled(tmp_path: Path) -> str:
    return next((tmp_path / "target" / "compiled").rglob("dim_youth.sql")).read_text()


def _whole_rebuild(tmp_path: Path, warehouse: Path) -> list[tuple]:
    return _build(tmp_path, warehouse, "--full-refresh")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[Path, Path]:
    """The raw layer and dim_youth built once for the module: (dbt's folder, the warehouse as
    built). Every test works on a copy at the same path, so that dbt parses the project once
    (a new warehouse path is a new profile to dbt; the module's tests run one after the other)."""
    folder = tmp_path_factory.mktemp("dim_youth")
    land(folder / "warehouse.duckdb", published())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(DIGEST, "project-1")
        result = run_dbt(folder, folder / "warehouse.duckdb", "run", "--select", "+dim_youth")
    assert result.returncode == 0, result.stdout
    shutil.copy(folder / "warehouse.duckdb", folder / "first_build.duckdb")
    return folder, folder / "first_build.duckdb"


@pytest.fixture()
def built(first_build, monkeypatch) -> tuple[Path, Path]:
    """The first build again, for one test to change: (dbt's folder, the warehouse)."""
    monkeypatch.setenv(DIGEST, "project-1")
    folder, first = first_build
    shutil.copy(first, folder / "warehouse.duckdb")
    return folder, folder / "warehouse.duckdb"


def test_a_new_export_file_rebuilds_its_youths_only_with_the_rows_of_a_whole_rebuild(built):
    tmp_path, warehouse = built
    with duckdb.connect(str(warehouse)) as connection:  # B2 moves to Marcq; a new youth, H1
        connection.executemany("insert into raw.imilo_youths values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            youth("B2", MARCQ, "F", 2007, "no_diploma", date(2023, 4, 1), date(2025, 1, 15),
                  file="export_2025", line=1),
            youth("H1", LA_MADELEINE, "M", 2006, "bac", date(2024, 9, 1), date(2025, 1, 15),
                  file="export_2025", line=2)])
    added = _build(tmp_path, warehouse)
    assert "export_file in ('export_2025/dossiers.csv')" in _compiled(tmp_path)
    assert {row[1] for row in added} >= {key("B2"), key("H1")}
    assert query(warehouse, "select count(*) from star.dim_youth where youth_key = ?", [key("B2")]) == [(2,)]
    assert added == _whole_rebuild(tmp_path, warehouse)
    assert "export_file in" not in _compiled(tmp_path)

    unchanged = _build(tmp_path, warehouse)  # nothing new: no youth rebuilt, none lost
    assert "where false" in _compiled(tmp_path)
    assert unchanged == added


def test_rows_changed_in_a_built_export_file_rebuild_every_youth(built):
    tmp_path, warehouse = built
    with duckdb.connect(str(warehouse)) as connection:  # export_2024 landed again, A1 moved out
        connection.execute("update raw.imilo_youths set commune_insee = ? "
                           "where youth_key = ? and export_file = 'export_2024/dossiers.csv'",
                           [MARCQ, key("A1")])
    changed = _build(tmp_path, warehouse)
    assert "export_file in" not in _compiled(tmp_path) and "where false" not in _compiled(tmp_path)
    assert (MARCQ,) in query(warehouse, "select commune_insee from star.dim_youth where youth_key = ?",
                             [key("A1")])
    assert changed == _whole_rebuild(tmp_path, warehouse)


def test_another_dbt_project_rebuilds_every_youth(built, monkeypatch):
    tmp_path, warehouse = built
    before = query(warehouse, DIM_YOUTH)
    monkeypatch.setenv(DIGEST, "project-2")
    assert _build(tmp_path, warehouse) == before
    assert "where false" not in _compiled(tmp_path)
    assert query(warehouse, "select distinct dbt_project_digest from audit.dim_youth_sources") == [("project-2",)]
