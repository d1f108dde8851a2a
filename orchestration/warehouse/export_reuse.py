"""An I-MILO export folder whose ingestion inputs did not change is not ingested again.

Adding a year's export to a warehouse that holds ten must ingest that export only: each
`exports/<folder>` asset compares the digest of what its ingestion reads (the folder's files by
content, the reference folder its codes are checked against, a keyed fingerprint of the
pseudonymisation key, the extractors' code) with the one recorded in audit.build_inputs
(step `export:<folder name>`) by its last ingestion, and keeps the landed rows when they match and
the rows are still there (audit.imilo_export_files). Any difference ingests the folder again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.imilo import export_content_hash
from extractors.imilo.keys import key_fingerprint
from extractors.imilo.spec import FILES
from extractors.imilo.tables import AUDIT_TABLE
from orchestration.extraction_cache import extractor_code_fingerprint
from orchestration.warehouse import connect
from orchestration.warehouse.audit import has_table
from orchestration.warehouse.build_inputs import last_digest, record_digest

_TABLE_OF_FILE = {spec.file: spec.table for spec in FILES}


def ingestion_digest(folder: Path, reference: Path, key: str) -> str:
    parts = (export_content_hash(folder), export_content_hash(reference), key_fingerprint(key),
             extractor_code_fingerprint())
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _step(folder: Path) -> str:
    return f"export:{folder.name}"


def landed_unchanged(warehouse: Path, folder: Path, digest: str) -> dict | None:
    """The asset's metadata from the audit of the landed export when its last ingestion had
    the same inputs and its rows are still landed; None when it must be ingested."""
    if last_digest(warehouse, _step(folder)) != digest:
        return None
    with connect(warehouse, read_only=True) as connection:
        if not has_table(connection, "audit", "imilo_export_files"):
            return None
        rows = connection.execute(
            f"select export_file, year, rows_read, rows_ingested, rows_quarantined, demo_key, "
            f"encoding, file_sha256 from {AUDIT_TABLE} where export_name = ? order by export_file",
            [folder.name]).fetchall()
    if not rows:
        return None  # pruned since (folder removed from the configuration, then added back)
    files = {export_file.split("/", 1)[1]: row for export_file, *row in rows}
    return {
        "year": rows[0][1] or 0, "demo_key": bool(rows[0][5]),
        **{f"rows/{_TABLE_OF_FILE[name]}": row[2] for name, row in files.items() if name in _TABLE_OF_FILE},
        "rows_read": sum(row[1] or 0 for row in files.values()),
        "quarantined_rows": sum(row[3] or 0 for row in files.values()),
        "encodings": {name: row[5] for name, row in files.items()},
        "file_sha256": {name: row[6] for name, row in files.items()},
    }


def record_ingestion(warehouse: Path, folder: Path, digest: str) -> None:
    record_digest(warehouse, _step(folder), digest)
