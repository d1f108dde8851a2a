"""What a release says of where it comes from: inputs, code version, gate results.

Written into each release's manifest, so that an auditor holding only the release folder can
tell which documents and I-MILO exports (each file by SHA-256) and which code produced it, and
what the gate observed. Every input landed in the warehouse is listed, with its year: a year's
recomputed figures read the latest export row of each youth, whatever the export's year.
"""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timezone

import duckdb

from orchestration.settings import PROJECT_ROOT, Settings
from orchestration.warehouse import connect
from orchestration.warehouse.audit import ensure_audit_table
from orchestration.warehouse.build_inputs import code_digest


def code_version() -> dict[str, str | bool | None]:
    """The git commit of the project (and whether the tree had changes), and a digest of the
    dbt, gate and orchestration code, which identifies it even outside a git checkout."""
    commit, dirty = None, None
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        dirty = bool(subprocess.run(["git", "status", "--porcelain"], cwd=PROJECT_ROOT,
                                    capture_output=True, text=True, check=True,
                                    timeout=10).stdout.strip())
    except (OSError, subprocess.SubprocessError):
        pass
    return {"git_commit": commit, "uncommitted_changes": dirty, "code_digest": code_digest()}


def release_provenance(settings: Settings, year: int, mart: str) -> dict:
    """Inputs (documents with SHA-256), I-MILO exports (files with SHA-256 and rows), code
    version and the gate's latest result for `year`."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        inputs = [
            {"path": path, "sha256": sha, "kind": kind, "year": doc_year}
            for path, sha, kind, doc_year in connection.execute(
                "select document_path, document_sha256, document_kind, year from raw.documents "
                "order by document_path").fetchall()
        ]
        exports = _exports(connection, year)
        gate = connection.execute(
            "select passed, checked_at, mart_fingerprint, summary, expectations, marts "
            "from audit.gate_results where mart = ? and year = ? order by checked_at desc limit 1",
            [mart, year]).fetchone()
    return {
        "inputs": inputs,
        "exports": exports,
        "code_version": code_version(),
        "gate": None if gate is None else {
            "passed": gate[0], "checked_at": str(gate[1]), "fingerprint": gate[2],
            "summary": gate[3], "expectations": json.loads(gate[4]) if gate[4] else [],
            # rows checked and status ('checked' / 'empty') per mart
            "marts": json.loads(gate[5]) if gate[5] else {}},
    }


def _exports(connection: duckdb.DuckDBPyConnection, year: int) -> list[dict]:
    """The landed I-MILO exports the year reads, those of an activity year <= `year`
    (audit.imilo_export_files; macros/imilo_years.sql): folder, year, and per file its SHA-256
    and rows read, landed and quarantined (a rejected file with its error)."""
    if not connection.execute("select count(*) from information_schema.tables where table_schema "
                              "= 'audit' and table_name = 'imilo_export_files'").fetchone()[0]:
        return []
    rows = connection.execute(
        "select export_name, any_value(export_folder), any_value(year), bool_or(demo_key), "
        "list({'file': split_part(export_file, '/', 2), 'sha256': file_sha256, "
        "'rows_read': rows_read, 'rows_ingested': rows_ingested, "
        "'rows_quarantined': rows_quarantined, 'file_error': file_error} order by export_file) "
        "from audit.imilo_export_files where year <= ? group by export_name order by export_name",
        [year]).fetchall()
    return [{"export": name, "folder": folder, "year": year, "demo_key": demo, "files": files}
            for name, folder, year, demo, files in rows]


def record_attempt(settings: Settings, year: int, status: str, release: str | None,
                   reason: str | None) -> None:
    """Every publication attempt, failed ones included, in audit.publication_attempts."""
    with connect(settings.warehouse_path) as connection:
        table = ensure_audit_table(connection, "publication_attempts")
        connection.execute(f"insert into {table} values (?, ?, ?, ?, ?)",
                           [year, datetime.now(timezone.utc), status, release, reason])
