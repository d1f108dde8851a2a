"""What the latest run could not settle, read from the warehouse it landed.

Two sources: raw.review_items (the extractors' review items: unknown labels, unrecognised
tables, drifted wordings, ambiguous readings, uncertain numbers) and raw.extraction_issues
(errors and warnings: what was read from a document but not turned into facts). Both tables
are replaced by each load, so they hold the latest run's view.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.warehouse import connect

# the kind under which an extraction issue is listed: settled by a mapping edit, not `accept`
ISSUE_KIND = "extraction_issue"


@dataclass(frozen=True)
class OpenItem:
    """One thing for a reviewer to settle, as `mlw review` lists and exports it."""

    item_id: str
    kind: str  # a REVIEW_KINDS kind (extractors/review.py) or ISSUE_KIND
    year: int | None
    document: str
    line: int | None
    text: str  # what was printed (the value, or the line of an issue)
    reason: str
    dimension: str | None = None
    label: str | None = None
    indicator: str | None = None
    suggestion: str | None = None
    table: str | None = None

    def where(self) -> str:
        return f"{Path(self.document).name}" + (f":{self.line}" if self.line is not None else "")


def _issue_id(document_sha256: str | None, line: int | None, reason: str) -> str:
    """Stable across runs of the same document: its content, line and reason."""
    key = f"{document_sha256}:{line}:{reason}"
    return "issue-" + hashlib.sha256(key.encode()).hexdigest()[:12]


def raw_table_exists(connection: duckdb.DuckDBPyConnection, table: str) -> bool:
    """Whether the raw layer has `table` (a warehouse landed before it existed has not)."""
    return connection.execute(
        "select count(*) from information_schema.tables where table_schema = 'raw' and table_name = ?",
        [table]).fetchone()[0] > 0


def open_items(warehouse: Path, year: int | None = None) -> list[OpenItem]:
    """Every review item and extraction issue of the latest load (of `year` when given), review
    items first, each group in document and line order."""
    if not warehouse.is_file():
        return []
    with connect(warehouse, read_only=True) as connection:
        reviews = connection.execute(
            "select review_id, kind, year, document_path, source_line, value_text, reason, "
            "dimension, label, indicator, suggestion, table_id from raw.review_items "
            "where ? is null or year = ? order by kind, document_path, source_line",
            [year, year]).fetchall() if raw_table_exists(connection, "review_items") else []
        issues = connection.execute(
            "select document_sha256, year, document_path, line, text, severity, reason "
            "from raw.extraction_issues where ? is null or year = ? order by document_path, line",
            [year, year]).fetchall() if raw_table_exists(connection, "extraction_issues") else []
    items = [OpenItem(row[0], row[1] or "uncertain_number", row[2], row[3], row[4], row[5] or "",
                      row[6] or "", *row[7:]) for row in reviews]
    items += [OpenItem(_issue_id(sha, line, reason), ISSUE_KIND, issue_year, path, line, text or "",
                       f"{severity}: {reason}")
              for sha, issue_year, path, line, text, severity, reason in issues]
    return items


def by_kind(items: list[OpenItem]) -> dict[str, list[OpenItem]]:
    grouped: dict[str, list[OpenItem]] = {}
    for item in items:
        grouped.setdefault(item.kind, []).append(item)
    return grouped
