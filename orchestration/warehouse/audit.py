"""The audit tables the orchestration writes (schema audit), declared once and created by one
function, so that every writer creates them alike and a warehouse built before a column was
added gains it. The I-MILO ingestion's audit.imilo_export_files is declared by its extractor
(extractors/imilo/tables.py) and created by the same extractors/duckdb_connection.ensure_table.
"""

from __future__ import annotations

import duckdb

from extractors.duckdb_connection import ensure_table

AUDIT_SCHEMA = "audit"

# Every audit table of the orchestration and its columns.
AUDIT_COLUMNS: dict[str, dict[str, str]] = {
    # the gate's verdict per mart and year (orchestration/assets/gate.py)
    "gate_results": {"mart": "VARCHAR", "year": "INTEGER", "passed": "BOOLEAN",
                     "checked_at": "TIMESTAMPTZ", "mart_fingerprint": "VARCHAR",
                     "summary": "VARCHAR", "expectations": "JSON", "marts": "JSON"},
    # the digest of each successful build step (build_inputs.py)
    "build_inputs": {"step": "VARCHAR", "digest": "VARCHAR", "built_at": "TIMESTAMPTZ"},
    # every publication attempt, failed ones included (orchestration/provenance.py)
    "publication_attempts": {"year": "INTEGER", "attempted_at": "TIMESTAMPTZ", "status": "VARCHAR",
                             "release": "VARCHAR", "reason": "VARCHAR"},
}


def ensure_audit_table(connection: duckdb.DuckDBPyConnection, table: str) -> str:
    """Create audit.`table` as declared if missing (with the columns it lacks); its full name."""
    name = f"{AUDIT_SCHEMA}.{table}"
    ensure_table(connection, name, AUDIT_COLUMNS[table])
    return name


def has_table(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether the warehouse has this table yet (audit tables appear with their first record)."""
    return connection.execute("select count(*) from information_schema.tables where table_schema = ? "
                              "and table_name = ?", [schema, table]).fetchone()[0] > 0
