"""The raw tables the exports land in (schema raw) and the per-file audit of each ingestion.

Rows are keyed by export_file = "<export folder name>/<file name>", so several exports coexist and
re-ingesting an export replaces exactly its rows. audit.imilo_export_files holds, per export file,
how many rows were read, landed and quarantined and the file-level error if any (the denominator
of the quarantine share that the gate checks per year), the folder it was read from and the
SHA-256 of its bytes (what releases and `mlw trace` cite as the source).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from extractors.imilo.spec import (
    FILES,
    LINEAGE_TYPES,
    QUARANTINE_TABLE,
    QUARANTINE_TYPES,
    RAW_TABLES,
)
from extractors.duckdb_connection import connect, ensure_table

RAW_SCHEMA = "raw"
AUDIT_TABLE = "audit.imilo_export_files"
AUDIT_TYPES = {"export_name": "VARCHAR", "export_file": "VARCHAR", "year": "INTEGER",
               "encoding": "VARCHAR", "rows_read": "BIGINT", "rows_ingested": "BIGINT",
               "rows_quarantined": "BIGINT", "file_error": "VARCHAR", "demo_key": "BOOLEAN",
               "ingested_at": "TIMESTAMP WITH TIME ZONE", "export_folder": "VARCHAR",
               "file_sha256": "VARCHAR"}


def create_tables(connection: duckdb.DuckDBPyConnection) -> None:
    for spec in FILES:
        ensure_table(connection, f"{RAW_SCHEMA}.{spec.table}", {**spec.sql_types, **LINEAGE_TYPES})
    ensure_table(connection, f"{RAW_SCHEMA}.{QUARANTINE_TABLE}", QUARANTINE_TYPES)
    ensure_table(connection, AUDIT_TABLE, AUDIT_TYPES)


def delete_export(connection: duckdb.DuckDBPyConnection, export_name: str) -> None:
    for table in RAW_TABLES:
        connection.execute(f"delete from {RAW_SCHEMA}.{table} where split_part(export_file, '/', 1) = ?",
                           [export_name])
    connection.execute(f"delete from {AUDIT_TABLE} where export_name = ?", [export_name])


def ensure_tables(warehouse: Path) -> None:
    """Create the (empty) raw tables, so that dbt finds them before any export is landed."""
    with connect(warehouse) as connection:
        create_tables(connection)


def prune_exports(warehouse: Path, keep: Iterable[str]) -> list[str]:
    """Delete the rows of exports that are no longer configured; return their names."""
    keep = sorted(set(keep))
    with connect(warehouse) as connection:
        connection.execute("begin transaction")
        create_tables(connection)
        gone = [row[0] for row in connection.execute(
            f"select distinct export_name from {AUDIT_TABLE} "
            f"where not list_contains(?::varchar[], export_name) order by 1", [keep]).fetchall()]
        for name in gone:
            delete_export(connection, name)
        connection.execute("commit")
    return gone


def table_counts(warehouse: Path) -> dict[str, int]:
    with connect(warehouse) as connection:
        create_tables(connection)
        return {table: connection.execute(f"select count(*) from {RAW_SCHEMA}.{table}").fetchone()[0]
                for table in RAW_TABLES}
