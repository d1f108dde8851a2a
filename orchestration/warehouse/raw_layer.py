"""The documents' raw layer: the extraction results, landed whole at each load.

Each table is created with the DDL of its declaration (raw_schemas.py) and filled from a pyarrow
table of the same declaration, in one transaction: a load that fails leaves the previous one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from extractors.duckdb_connection import column_definitions, connect
from extractors.result import ExtractionResult
from orchestration.warehouse.raw_schemas import RAW_SCHEMA, arrow_schema, duckdb_column_types


def land_raw_layer(path: Path, results: Sequence[ExtractionResult]) -> dict[str, int]:
    """Replace the raw tables with these extraction results, in one transaction."""
    rows = {
        "report_facts": _fact_rows(results), "report_claims": _claim_rows(results),
        "programmes": _programme_rows(results), "programme_communes": _programme_commune_rows(results),
        "review_items": _review_rows(results), "extraction_issues": _issue_rows(results),
        "documents": _document_rows(results),
    }
    tables = {name: pa.Table.from_pylist(table_rows, schema=arrow_schema(name))
              for name, table_rows in rows.items()}
    with connect(path) as connection:
        connection.execute("begin transaction")
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        for name, table in tables.items():
            connection.execute(f"create or replace table {RAW_SCHEMA}.{name} "
                               f"({column_definitions(duckdb_column_types(name))})")
            connection.register("incoming", table)
            connection.execute(f"insert into {RAW_SCHEMA}.{name} select * from incoming")
            connection.unregister("incoming")
        connection.execute("commit")
    return {name: table.num_rows for name, table in tables.items()}


def _fact_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "fact_id": fact.fact_id, "document_path": result.path, "document_sha256": result.sha256,
            "document_kind": result.kind, "year": fact.year, "structure_code": fact.structure,
            "indicator_code": fact.indicator,
            "dimensions": json.dumps(fact.dimensions, ensure_ascii=False, sort_keys=True),
            "value": float(fact.value), "unit": fact.unit, "is_total": fact.is_total,
            "flags": list(fact.flags), "table_ref": fact.table, "source_page": fact.source.page,
            "source_line": fact.source.line,
            "source_bbox": list(fact.source.bbox) if fact.source.bbox else None,
            "source_text": fact.source.text,
        }
        for result in results for fact in result.facts
    ]


def _claim_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "claim_id": claim.claim_id, "document_path": result.path,
            "document_sha256": result.sha256, "document_kind": result.kind,
            "report_year": result.year, "year": claim.year, "structure_code": claim.structure,
            "kind": claim.kind, "value": float(claim.value), "unit": claim.unit,
            "subject": claim.subject, "comparison_year": claim.comparison_year,
            "sentence": claim.sentence, "source_page": claim.source.page,
            "source_line": claim.source.line, "source_lines": list(claim.lines),
            "source_bbox": list(claim.source.bbox) if claim.source.bbox else None,
            "source_text": claim.source.text,
        }
        for result in results for claim in result.claims
    ]


def _programme_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "programme_id": programme.programme_id, "document_path": result.path,
            "document_sha256": result.sha256, "document_kind": result.kind,
            "document_year": result.year, "programme_key": programme.key, "name": programme.name,
            "category": programme.category, "carriers": list(programme.carriers),
            "target_public": programme.target_public, "age_min": programme.age_min,
            "age_max": programme.age_max, "first_year": programme.first_year,
            "last_year": programme.last_year, "resources": programme.resources,
            "description": programme.description, "structure_code": programme.structure,
            "national_scheme": programme.national_scheme, "aliases": list(programme.aliases),
            "source_page": programme.source.page, "source_line": programme.source.line,
            "source_text": programme.source.text,
        }
        for result in results for programme in result.programmes
    ]


def _programme_commune_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {"programme_id": programme.programme_id, "programme_key": programme.key,
         "document_sha256": result.sha256, "commune_insee": commune.insee,
         "commune_name": commune.name}
        for result in results for programme in result.programmes for commune in programme.communes
    ]


def _review_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "review_id": item.review_id, "document_path": result.path,
            "document_sha256": result.sha256, "document_kind": result.kind, "year": item.year,
            "structure_code": item.structure, "value_text": item.value_text, "value": item.value,
            "reason": item.reason, "context": item.context, "source_page": item.source.page,
            "source_line": item.source.line, "source_text": item.source.text,
            "kind": item.kind, "indicator": item.indicator, "dimension": item.dimension,
            "label": item.label, "suggestion": item.suggestion, "table_id": item.table,
        }
        for result in results for item in result.review_items
    ]


def _issue_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "document_path": result.path, "document_sha256": issue.sha256 or result.sha256,
            "severity": issue.severity, "reason": issue.reason, "page": issue.page,
            "line": issue.line, "text": issue.text, "year": issue.year,
            "structure_code": issue.structure, "candidates": list(issue.candidates),
        }
        for result in results for issue in result.issues
    ]


def _document_rows(results: Sequence[ExtractionResult]) -> list[dict]:
    return [
        {
            "document_path": result.path, "document_sha256": result.sha256,
            "document_kind": result.kind, "year": result.year, "structure_code": result.structure,
            "page_count": result.page_count, "fact_count": len(result.facts),
            "error_count": len(result.errors),
            "warning_count": len(result.issues) - len(result.errors),
        }
        for result in results
    ]
