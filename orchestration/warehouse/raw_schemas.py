"""The documents' raw tables, declared once: each column and its type. The pyarrow schemas the
extraction results are landed with, the DuckDB DDL of the tables and the columns of the dbt
sources (dbt_project/models/staging/_generated_sources.yml, written by `mlw codegen`) all come
from this declaration, so the three cannot disagree.

The I-MILO raw tables are declared by their extractor (extractors/imilo/spec.py).
"""

from __future__ import annotations

import pyarrow as pa

RAW_SCHEMA = "raw"

# a column type of the declaration -> (its pyarrow type, its DuckDB type)
COLUMN_TYPES: dict[str, tuple[pa.DataType, str]] = {
    "text": (pa.string(), "VARCHAR"),
    "int": (pa.int32(), "INTEGER"),
    "real": (pa.float64(), "DOUBLE"),
    "bool": (pa.bool_(), "BOOLEAN"),
    "text[]": (pa.list_(pa.string()), "VARCHAR[]"),
    "int[]": (pa.list_(pa.int32()), "INTEGER[]"),
    "real[]": (pa.list_(pa.float64()), "DOUBLE[]"),
}

_DOCUMENT = {"document_path": "text", "document_sha256": "text", "document_kind": "text"}

# Every raw table of the documents' load, its columns in order, and their types.
RAW_COLUMNS: dict[str, dict[str, str]] = {
    "report_facts": {
        "fact_id": "text", **_DOCUMENT, "year": "int", "structure_code": "text",
        "indicator_code": "text", "dimensions": "text", "value": "real", "unit": "text",
        "is_total": "bool", "flags": "text[]", "table_ref": "text", "source_page": "int",
        "source_line": "int", "source_bbox": "real[]", "source_text": "text",
    },
    "report_claims": {
        "claim_id": "text", **_DOCUMENT, "report_year": "int", "year": "int",
        "structure_code": "text", "kind": "text", "value": "real", "unit": "text",
        "subject": "text", "comparison_year": "int", "sentence": "text", "source_page": "int",
        "source_line": "int", "source_lines": "int[]", "source_bbox": "real[]",
        "source_text": "text",
    },
    "programmes": {
        "programme_id": "text", **_DOCUMENT, "document_year": "int", "programme_key": "text",
        "name": "text", "category": "text", "carriers": "text[]", "target_public": "text",
        "age_min": "int", "age_max": "int", "first_year": "int", "last_year": "int",
        "resources": "text", "description": "text", "structure_code": "text",
        "national_scheme": "text", "aliases": "text[]", "source_page": "int", "source_line": "int",
        "source_text": "text",
    },
    "programme_communes": {
        "programme_id": "text", "programme_key": "text", "document_sha256": "text",
        "commune_insee": "text", "commune_name": "text",
    },
    "review_items": {
        "review_id": "text", **_DOCUMENT, "year": "int", "structure_code": "text",
        "value_text": "text", "value": "real", "reason": "text", "context": "text",
        "source_page": "int", "source_line": "int", "source_text": "text", "kind": "text",
        "indicator": "text", "dimension": "text", "label": "text", "suggestion": "text",
        "table_id": "text",
    },
    "extraction_issues": {
        "document_path": "text", "document_sha256": "text", "severity": "text", "reason": "text",
        "page": "int", "line": "int", "text": "text", "year": "int", "structure_code": "text",
        "candidates": "text[]",
    },
    "documents": {
        **_DOCUMENT, "year": "int", "structure_code": "text", "page_count": "int",
        "fact_count": "int", "error_count": "int", "warning_count": "int",
    },
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(column, COLUMN_TYPES[kind][0]) for column, kind in RAW_COLUMNS[table].items()])


def duckdb_column_types(table: str) -> dict[str, str]:
    return {column: COLUMN_TYPES[kind][1] for column, kind in RAW_COLUMNS[table].items()}


def raw_source_columns() -> dict[str, list[str]]:
    """Every raw table and its columns in order: what the dbt sources list (`mlw codegen`)."""
    return {table: list(columns) for table, columns in RAW_COLUMNS.items()}


# Every raw table and its pyarrow schema.
RAW_TABLE_SCHEMAS: dict[str, pa.Schema] = {table: arrow_schema(table) for table in RAW_COLUMNS}
