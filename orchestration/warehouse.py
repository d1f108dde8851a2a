"""The DuckDB warehouse file: connections and the raw layer that the extractors land into.

DuckDB allows one writer per file; every writer in this project runs in the one Dagster
process (in-process executor) or in the dbt subprocess that process waits for.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from extractors.duckdb_connection import connect  # re-exported: the warehouse's one way in
from extractors.result import ExtractionResult

RAW_SCHEMA = "raw"

REPORT_FACTS = pa.schema([
    ("fact_id", pa.string()), ("document_path", pa.string()), ("document_sha256", pa.string()),
    ("document_kind", pa.string()), ("year", pa.int32()), ("structure_code", pa.string()),
    ("indicator_code", pa.string()), ("dimensions", pa.string()), ("value", pa.float64()),
    ("unit", pa.string()), ("is_total", pa.bool_()), ("flags", pa.list_(pa.string())),
    ("table_ref", pa.string()), ("source_page", pa.int32()), ("source_line", pa.int32()),
    ("source_bbox", pa.list_(pa.float64())), ("source_text", pa.string()),
])
REPORT_CLAIMS = pa.schema([
    ("claim_id", pa.string()), ("document_path", pa.string()), ("document_sha256", pa.string()),
    ("document_kind", pa.string()), ("report_year", pa.int32()), ("year", pa.int32()),
    ("structure_code", pa.string()), ("kind", pa.string()), ("value", pa.float64()),
    ("unit", pa.string()), ("subject", pa.string()), ("comparison_year", pa.int32()),
    ("sentence", pa.string()), ("source_page", pa.int32()), ("source_line", pa.int32()),
    ("source_lines", pa.list_(pa.int32())), ("source_bbox", pa.list_(pa.float64())),
    ("source_text", pa.string()),
])
PROGRAMMES = pa.schema([
    ("programme_id", pa.string()), ("document_path", pa.string()), ("document_sha256", pa.string()),
    ("document_kind", pa.string()), ("document_year", pa.int32()), ("programme_key", pa.string()),
    ("name", pa.string()), ("category", pa.string()), ("carriers", pa.list_(pa.string())),
    ("target_public", pa.string()), ("age_min", pa.int32()), ("age_max", pa.int32()),
    ("first_year", pa.int32()), ("last_year", pa.int32()), ("resources", pa.string()),
    ("description", pa.string()), ("structure_code", pa.string()), ("national_scheme", pa.string()),
    ("aliases", pa.list_(pa.string())), ("source_page", pa.int32()), ("source_line", pa.int32()),
    ("source_text", pa.string()),
])
PROGRAMME_COMMUNES = pa.schema([
    ("programme_id", pa.string()), ("programme_key", pa.string()), ("document_sha256", pa.string()),
    ("commune_insee", pa.string()), ("commune_name", pa.string()),
])
REVIEW_ITEMS = pa.schema([
    ("review_id", pa.string()), ("document_path", pa.string()), ("document_sha256", pa.string()),
    ("document_kind", pa.string()), ("year", pa.int32()), ("structure_code", pa.string()),
    ("value_text", pa.string()), ("value", pa.float64()), ("reason", pa.string()),
    ("context", pa.string()), ("source_page", pa.int32()), ("source_line", pa.int32()),
    ("source_text", pa.string()), ("kind", pa.string()), ("indicator", pa.string()),
    ("dimension", pa.string()), ("label", pa.string()), ("suggestion", pa.string()),
    ("table_id", pa.string()),
])
EXTRACTION_ISSUES = pa.schema([
    ("document_path", pa.string()), ("document_sha256", pa.string()), ("severity", pa.string()),
    ("reason", pa.string()), ("page", pa.int32()), ("line", pa.int32()), ("text", pa.string()),
    ("year", pa.int32()), ("structure_code", pa.string()), ("candidates", pa.list_(pa.string())),
])
DOCUMENTS = pa.schema([
    ("document_path", pa.string()), ("document_sha256", pa.string()), ("document_kind", pa.string()),
    ("year", pa.int32()), ("structure_code", pa.string()), ("page_count", pa.int32()),
    ("fact_count", pa.int32()), ("error_count", pa.int32()), ("warning_count", pa.int32()),
])


# Every raw table and its schema: what the dbt sources read.
RAW_TABLE_SCHEMAS = {
    "report_facts": REPORT_FACTS, "report_claims": REPORT_CLAIMS, "programmes": PROGRAMMES,
    "programme_communes": PROGRAMME_COMMUNES, "review_items": REVIEW_ITEMS,
    "extraction_issues": EXTRACTION_ISSUES, "documents": DOCUMENTS,
}


def land_raw_layer(path: Path, results: Sequence[ExtractionResult]) -> dict[str, int]:
    """Replace the raw tables with these extraction results, in one transaction."""
    tables = {
        "report_facts": pa.Table.from_pylist(_fact_rows(results), schema=REPORT_FACTS),
        "report_claims": pa.Table.from_pylist(_claim_rows(results), schema=REPORT_CLAIMS),
        "programmes": pa.Table.from_pylist(_programme_rows(results), schema=PROGRAMMES),
        "programme_communes": pa.Table.from_pylist(_programme_commune_rows(results),
                                                   schema=PROGRAMME_COMMUNES),
        "review_items": pa.Table.from_pylist(_review_rows(results), schema=REVIEW_ITEMS),
        "extraction_issues": pa.Table.from_pylist(_issue_rows(results), schema=EXTRACTION_ISSUES),
        "documents": pa.Table.from_pylist(_document_rows(results), schema=DOCUMENTS),
    }
    with connect(path) as connection:
        connection.execute("begin transaction")
        connection.execute(f"create schema if not exists {RAW_SCHEMA}")
        for name, table in tables.items():
            connection.register("incoming", table)
            connection.execute(f"create or replace table {RAW_SCHEMA}.{name} as select * from incoming")
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


def has_table(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """Whether the warehouse has this table yet (audit tables appear with their first record)."""
    return connection.execute("select count(*) from information_schema.tables where table_schema = ? "
                              "and table_name = ?", [schema, table]).fetchone()[0] > 0
