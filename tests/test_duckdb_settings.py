"""DuckDB's memory limit, threads and spill folder are in force on the warehouse file, through
the project's connection helper and through dbt's profile (real DuckDB file, real dbt)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warehouse import connect


def _settings(connection) -> tuple[str, int, str]:
    return connection.execute(
        "select current_setting('memory_limit'), current_setting('threads'), "
        "current_setting('temp_directory')").fetchone()


def test_the_connection_helper_applies_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MLW_DUCKDB_MEMORY_LIMIT", "300MiB")
    monkeypatch.setenv("MLW_DUCKDB_THREADS", "1")
    monkeypatch.setenv("MLW_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    with connect(tmp_path / "warehouse.duckdb") as connection:
        memory, threads, temp = _settings(connection)
    assert memory.startswith("300") and "MiB" in memory
    assert threads == 1 and temp == str(tmp_path / "spill")


def test_defaults_bound_memory_and_spill_beside_the_warehouse(tmp_path, monkeypatch):
    for name in ("MLW_DUCKDB_MEMORY_LIMIT", "MLW_DUCKDB_THREADS", "MLW_DUCKDB_TEMP_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)
    warehouse = tmp_path / "warehouse.duckdb"
    with connect(warehouse) as connection:
        memory, _, temp = _settings(connection)
    with duckdb.connect(str(warehouse), read_only=True) as unbounded:
        default_memory = _settings(unbounded)[0]
    assert memory.startswith("2.0 GiB") or memory.startswith("1.9"), memory
    assert memory != default_memory
    assert Path(temp).parent == tmp_path


def test_dbt_runs_with_the_same_settings(tmp_path):
    """A dbt operation against the real project reports the settings of its connection."""
    warehouse = tmp_path / "warehouse.duckdb"
    env = {**os.environ, "MLW_WAREHOUSE": str(warehouse), "MLW_DUCKDB_MEMORY_LIMIT": "300MiB",
           "MLW_DUCKDB_THREADS": "1", "MLW_DUCKDB_TEMP_DIRECTORY": str(tmp_path / "spill")}
    dbt = Path(sys.executable).with_name("dbt")
    shown = subprocess.run(
        [str(dbt), "show", "--inline", "select current_setting('memory_limit') as m, "
         "current_setting('threads') as t, "
         f"current_setting('temp_directory') = '{tmp_path / 'spill'}' as spills_there",
         "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, capture_output=True, text=True, check=True).stdout
    assert re.search(r"\| 300.0 MiB \| 1 \| +True \|", shown), shown
