"""The landed rows of each I-MILO export, as (table, row count, order-free sum of row hashes),
for the year digests (build_inputs.year_digest), hashed once per landing, not once per run.

An export's raw rows change only when it is ingested again (or pruned), and an ingestion
rewrites its audit rows (audit.imilo_export_files: ingestion time, files' SHA-256). So each
export's sums are kept in `<warehouse dir>/export_row_sums.json` under the digest of its audit
rows, and a run hashes the rows of the exports landed since the sums were taken only. Hashing
every landed row at every run cost ~0.65 s per national year held (1.9 s with three), paid
again by each `mlw run`, even with nothing changed. A missing or unreadable file only means
hashing again. Rows changed by hand, outside an ingestion, are not seen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb

from extractors.imilo.spec import RAW_TABLES
from extractors.imilo.tables import AUDIT_TABLE, RAW_SCHEMA
from orchestration.extraction_cache import write_text_atomically

STORE_FILE = "export_row_sums.json"

# One export's sums: (raw table, row count, sum of the rows' hashes as text), sorted.
Sums = tuple[tuple[str, int, str], ...]


def export_row_sums(connection: duckdb.DuckDBPyConnection, landed: set[str],
                    warehouse: Path) -> dict[str, Sums]:
    """Sums of every export that has audit rows, by export name; `landed` is the set of
    `schema.table` names in the warehouse."""
    audits = _audit_digests(connection)
    store = warehouse.parent / STORE_FILE
    stored = _read(store)
    sums = {name: stored[digest] for name, digest in audits.items() if digest in stored}
    missing = sorted(set(audits) - set(sums))
    if missing:
        sums.update(hash_export_rows(connection, landed, missing))
        _write(store, {audits[name]: sums[name] for name in audits})
    return sums


def hash_export_rows(connection: duckdb.DuckDBPyConnection, landed: set[str],
                     names: list[str]) -> dict[str, Sums]:
    """The sums of these exports, read from the raw tables (every row of theirs is hashed)."""
    found: dict[str, list[tuple[str, int, str]]] = {name: [] for name in names}
    for table in RAW_TABLES:
        if f"{RAW_SCHEMA}.{table}" not in landed:
            continue
        for name, count, total in connection.execute(
                f"select split_part(export_file, '/', 1) as export_name, count(*), "
                f"sum(hash(t))::varchar from {RAW_SCHEMA}.{table} as t "
                f"where export_name in (select unnest(?::varchar[])) group by 1", [names]).fetchall():
            found[name].append((table, count, total))
    return {name: tuple(sorted(rows)) for name, rows in found.items()}


def _audit_digests(connection: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Export name -> digest of its audit rows (which an ingestion always rewrites)."""
    rows: dict[str, list[tuple]] = {}
    for row in connection.execute(f"select * from {AUDIT_TABLE} order by all").fetchall():
        rows.setdefault(row[0], []).append(row)  # export_name is the first column
    return {name: hashlib.sha256(repr(audit).encode()).hexdigest() for name, audit in rows.items()}


def _read(store: Path) -> dict[str, Sums]:
    try:
        recorded = json.loads(store.read_text(encoding="utf-8"))
        return {digest: tuple((table, int(count), str(total)) for table, count, total in sums)
                for digest, sums in recorded.items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}


def _write(store: Path, sums: dict[str, Sums]) -> None:
    """A read-only folder keeps no store: the sums are taken again next time."""
    try:
        write_text_atomically(store, json.dumps(sums, indent=0, sort_keys=True))
    except OSError:
        pass
