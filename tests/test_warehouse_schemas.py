"""The raw tables are declared once (orchestration/warehouse/raw_schemas.py): the tables landed in
a real DuckDB file and the dbt sources carry exactly the declared columns and types; the audit
tables are created by one function that also upgrades a table from before a column existed."""

from __future__ import annotations

import duckdb
import yaml

from orchestration.settings import DBT_PROJECT_DIR
from orchestration.warehouse import connect, land_raw_layer, raw_source_columns
from orchestration.warehouse.audit import ensure_audit_table
from orchestration.warehouse.raw_schemas import RAW_COLUMNS, duckdb_column_types


def test_landed_raw_tables_have_the_declared_columns_and_types(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    counts = land_raw_layer(warehouse, [])
    assert counts == {table: 0 for table in RAW_COLUMNS}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for table in RAW_COLUMNS:
            described = {name: sql_type for name, sql_type, *_ in
                         connection.execute(f"describe raw.{table}").fetchall()}
            assert described == duckdb_column_types(table), table


def test_dbt_sources_list_the_declared_columns_in_order():
    sources = yaml.safe_load((DBT_PROJECT_DIR / "models" / "staging" / "_generated_sources.yml")
                             .read_text(encoding="utf-8"))["sources"]
    listed = {table["name"]: [column["name"] for column in table["columns"]]
              for source in sources for table in source["tables"] if table["name"] in RAW_COLUMNS}
    assert listed == raw_source_columns(), "run `.venv/bin/mlw codegen` after changing raw_schemas.py"


def test_audit_table_from_before_a_column_gains_it(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with connect(warehouse) as connection:
        connection.execute("create schema audit")
        connection.execute("create table audit.gate_results (mart varchar, year integer, passed boolean)")
        connection.execute("insert into audit.gate_results values ('mart_commune_year', 2023, true)")
        assert ensure_audit_table(connection, "gate_results") == "audit.gate_results"
        columns = [row[0] for row in connection.execute("describe audit.gate_results").fetchall()]
        kept = connection.execute("select mart, year, passed, marts from audit.gate_results").fetchall()
    assert columns[:3] == ["mart", "year", "passed"] and "marts" in columns
    assert kept == [("mart_commune_year", 2023, True, None)]
