"""What the Dagster UI shows of a release: where it is, its manifest's checksum, its inputs, and
where each figure of mart_commune_year was read.

Read from the release's own manifest.json, so that the UI shows exactly what an auditor holding
the folder sees (documents and I-MILO export files with their SHA-256, code version), plus the
year's published report figures from star.fct_published_indicator (document, page, line),
bounded to MAX_FIGURES rows: the metadata stays small, and `mlw trace` follows any figure.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from dagster import MetadataValue, TableColumn, TableRecord, TableSchema

from orchestration.publication import MANIFEST
from orchestration.settings import Settings
from orchestration.warehouse import connect

MAX_FIGURES = 2000

INPUTS_SCHEMA = TableSchema(columns=[
    TableColumn("kind", "string", description="document kind, or i-milo export file"),
    TableColumn("year", "int"),
    TableColumn("path", "string", description="document path, or export folder / file"),
    TableColumn("sha256", "string", description="SHA-256 of the file's bytes"),
    TableColumn("rows", "int", description="export rows landed (documents: none)"),
    TableColumn("note", "string", description="rows quarantined, file error, demo key"),
])
FIGURES_SCHEMA = TableSchema(columns=[
    TableColumn("structure", "string"),
    TableColumn("commune", "string"),
    TableColumn("indicator", "string"),
    TableColumn("value", "float"),
    TableColumn("document", "string"),
    TableColumn("page", "int", description="PDF page (text documents: none)"),
    TableColumn("line", "int"),
])


def release_metadata(settings: Settings, release: Path, year: int) -> dict[str, object]:
    """The metadata of the publish asset's materialisation for this release."""
    manifest_bytes = (release / MANIFEST).read_bytes()
    manifest = json.loads(manifest_bytes)
    inputs = input_records(manifest)
    code = manifest.get("code_version") or {}
    return {
        "release": MetadataValue.path(str(release)),
        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        "git_commit": str(code.get("git_commit")),
        "curation_sha256": str((manifest.get("curation") or {}).get("sha256")),
        "cells_withheld": len(manifest.get("withheld") or []),
        "inputs": MetadataValue.table(inputs, schema=INPUTS_SCHEMA),
        "input_count": len(inputs),
        **_figures(settings, year),
    }


def input_records(manifest: dict) -> list[TableRecord]:
    """Documents and export files of a manifest, one row each."""
    records = [TableRecord({"kind": document["kind"], "year": document["year"],
                            "path": document["path"], "sha256": document["sha256"],
                            "rows": None, "note": ""})
               for document in manifest.get("inputs", [])]
    for export in manifest.get("exports", []):
        for file in export["files"]:
            note = file["file_error"] or f"{file['rows_quarantined']} row(s) quarantined"
            records.append(TableRecord({
                "kind": "i-milo export file", "year": export["year"],
                "path": f"{export['folder']}/{file['file']}", "sha256": file["sha256"],
                "rows": file["rows_ingested"],
                "note": note + ("; demo pseudonymisation key" if export["demo_key"] else "")}))
    return records


def _figures(settings: Settings, year: int) -> dict[str, object]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        rows = connection.execute(
            "select structure_code, case when is_total then 'Total' else commune_name end, "
            "indicator_code, value, document_path, source_page, source_line, count(*) over () "
            "from star.fct_published_indicator where year = ? and indicator_grain = 'commune' "
            "order by structure_code, is_total, commune_name, indicator_code, document_path "
            f"limit {MAX_FIGURES}", [year]).fetchall()
    total = rows[0][-1] if rows else 0
    records = [TableRecord({"structure": structure, "commune": commune, "indicator": indicator,
                            "value": float(value) if value is not None else None,
                            "document": document, "page": page, "line": line})
               for structure, commune, indicator, value, document, page, line, _ in rows]
    shown = (f"all {total} report figures of mart_commune_year {year}" if total <= MAX_FIGURES else
             f"the first {MAX_FIGURES} of {total} report figures of mart_commune_year {year}; "
             f"`mlw trace` follows any of them")
    return {"figures": MetadataValue.table(records, schema=FIGURES_SCHEMA),
            "figures_shown": shown}
