"""What a build step depends on, as one digest, so that `mlw run` can skip unchanged steps.

A re-run with nothing changed must be fast: the load job is skipped when the documents (by
content), the extractors and the dbt project are those of the last successful load; a year is
skipped when its raw rows (documents' facts, claims and issues; the rows of the I-MILO exports of
that year or earlier years), the dbt project and the gate's code are those of the run that
published its current release. Digests of successful steps are kept in audit.build_inputs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from extractors.duckdb_connection import connect
from extractors.imilo.tables import AUDIT_TABLE
from orchestration.extraction_cache import extractor_fingerprint
from orchestration.settings import DBT_PROJECT_DIR, PROJECT_ROOT
from orchestration.warehouse.audit import ensure_audit_table, has_table
from orchestration.warehouse.export_row_sums import export_row_sums

_DBT_SOURCES = ("models", "seeds", "macros", "dbt_project.yml")
_GATE_AND_PUBLICATION = (PROJECT_ROOT / "expectations", PROJECT_ROOT / "orchestration")


def _tree_digest(roots: tuple[Path, ...]) -> str:
    digest = hashlib.sha256()
    for root in roots:
        files = sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if root.is_dir() else [root]
        for path in files:
            digest.update(path.relative_to(PROJECT_ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def code_digest() -> str:
    """The dbt project, the gate and the orchestration code."""
    return _tree_digest((*(DBT_PROJECT_DIR / name for name in _DBT_SOURCES), *_GATE_AND_PUBLICATION))


def dbt_project_digest() -> str:
    """The dbt project alone: its models, seeds, macros and settings."""
    return _tree_digest(tuple(DBT_PROJECT_DIR / name for name in _DBT_SOURCES))


def load_state(inputs: Sequence[tuple[str, str]]) -> str:
    """What a load is built from, as JSON: each input's (name, content hash), the extractors and
    the code. Kept whole at each load (orchestration/load_selection.py compares two of them)."""
    return json.dumps({"code": f"{extractor_fingerprint()}|{code_digest()}",
                       "inputs": dict(inputs)}, sort_keys=True)


def state_digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def load_digest(inputs: Sequence[tuple[str, str]]) -> str:
    """Inputs (name, content hash), extractors and code, as one digest."""
    return state_digest(load_state(inputs))


def year_digest(warehouse: Path, year: int) -> str:
    """The year's raw rows (facts, claims, issues, I-MILO export rows) and code."""
    digest = hashlib.sha256(code_digest().encode())
    with connect(warehouse, read_only=True) as connection:
        for table, column in (("report_facts", "year"), ("report_claims", "report_year"),
                              ("extraction_issues", "year")):
            rows = connection.execute(
                f"select * exclude (document_path) from raw.{table} where {column} = ? order by all",
                [year]).fetchall()
            digest.update(repr(rows).encode())
        digest.update(repr(_export_rows_digest(connection, year, warehouse)).encode())
    return digest.hexdigest()


def _export_rows_digest(connection: duckdb.DuckDBPyConnection, year: int,
                        warehouse: Path) -> list[tuple]:
    """The rows of the exports year `year` reads, those of an activity year <= `year` (a later
    export never changes an earlier year: macros/imilo_years.sql): per export and raw I-MILO
    table, the count and an order-free sum of row hashes (taken once per landing:
    export_row_sums.py), and the export's audit rows (files with their SHA-256). So adding a
    later year's export leaves an earlier year's digest, and its release, as they were."""
    landed = {row[0] for row in connection.execute(
        "select table_schema || '.' || table_name from information_schema.tables").fetchall()}
    if AUDIT_TABLE not in landed:
        return []
    audit = connection.execute(
        f"select * exclude (ingested_at, encoding) from {AUDIT_TABLE} where year <= ? order by all",
        [year]).fetchall()
    sums = export_row_sums(connection, landed, warehouse)
    names = sorted({row[0] for row in audit})
    return [*(sums.get(name, ()) for name in names), *audit]


def last_digest(warehouse: Path, step: str) -> str | None:
    """Digest of the last successful run of `step` ('load' or 'year:2023'), if any."""
    if not warehouse.is_file():
        return None
    with connect(warehouse, read_only=True) as connection:
        if not has_table(connection, "audit", "build_inputs"):
            return None
        row = connection.execute("select digest from audit.build_inputs where step = ? "
                                 "order by built_at desc limit 1", [step]).fetchone()
    return row[0] if row else None


def record_digest(warehouse: Path, step: str, digest: str) -> None:
    with connect(warehouse) as connection:
        table = ensure_audit_table(connection, "build_inputs")
        connection.execute(f"insert into {table} values (?, ?, ?)",
                           [step, digest, datetime.now(timezone.utc)])
