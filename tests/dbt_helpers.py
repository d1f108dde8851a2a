"""Helpers of the dbt tests: land a raw layer in a real DuckDB file, run the real dbt on it.

Shared by test_dbt_project.py (documents) and test_dbt_exports.py (I-MILO exports), so that
both build the raw layer with the schemas the pipeline uses (orchestration/warehouse/raw_schemas.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pyarrow as pa

from orchestration.warehouse import RAW_TABLE_SCHEMAS

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
DBT = Path(sys.executable).parent / "dbt"


def land_document_raw(warehouse: Path, facts: list[dict], issues: list[dict] = (), *,
                      structure: str, sha_of_year: Callable[[int], str] = lambda year: "a" * 64,
                      fact_count: int = 3) -> None:
    """Replace the documents' raw layer: these facts and issues, one activity report per year
    of the facts, every other raw table empty."""
    documents = [{"document_path": f"/in/mno_{y}.txt", "document_sha256": sha_of_year(y),
                  "document_kind": "ml_activity_report", "year": y, "structure_code": structure,
                  "page_count": None, "fact_count": fact_count, "error_count": 0, "warning_count": 0}
                 for y in sorted({f["year"] for f in facts})]
    tables = {"report_facts": pa.Table.from_pylist(facts, schema=RAW_TABLE_SCHEMAS["report_facts"]),
              "extraction_issues": pa.Table.from_pylist(list(issues),
                                                        schema=RAW_TABLE_SCHEMAS["extraction_issues"]),
              "documents": pa.Table.from_pylist(documents, schema=RAW_TABLE_SCHEMAS["documents"])}
    for name, schema in RAW_TABLE_SCHEMAS.items():  # the other raw tables, empty
        tables.setdefault(name, schema.empty_table())
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema if not exists raw")
        for name, table in tables.items():
            connection.register("incoming", table)
            connection.execute(f"create or replace table raw.{name} as select * from incoming")
            connection.unregister("incoming")


def run_dbt(tmp_path: Path, warehouse: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """The venv's dbt on the project, against `warehouse`, its target and logs in `tmp_path`."""
    env = {**os.environ, "MLW_WAREHOUSE": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [str(DBT), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=timeout,
    )


def query(warehouse: Path, sql: str, params=()) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, params).fetchall()
