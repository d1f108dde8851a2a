"""What the activity-report table readers produce: facts with their provenance, and issues."""

from __future__ import annotations

import re

from extractors.documents import Document, Line
from extractors.facts import ExtractionIssue, Fact, Severity, Source
from extractors.numbers import Number

# "Total", "Total :", "Total général :" before a table's stated total.
TOTAL_PREFIX = re.compile(r"^\s*total(?:\s+g[ée]n[ée]ral)?\s*:?\s*", re.IGNORECASE)


def table_ref(indicator: str, line: Line) -> str:
    """Names a table inside its document by its first indicator and where it starts."""
    place = f"p{line.page}l{line.number}" if line.page is not None else f"l{line.number}"
    return f"{indicator}@{place}"


def table_fact(document: Document, indicator: str, value: Number, unit: str, year: int,
               structure: str, line: Line, table: str, flags: tuple[str, ...] | list[str],
               dimensions: dict[str, str], is_total: bool = False) -> Fact:
    """A figure read on `line`, with its provenance."""
    return Fact(
        indicator=indicator, dimensions=dimensions, value=float(value), unit=unit,
        year=year, structure=structure, is_total=is_total,
        source=Source(document.path, document.sha256, line.page, line.number, line.bbox, line.text),
        table=table, flags=tuple(flags),
    )


def line_issue(document: Document, line: Line, reason: str, severity: Severity, year: int,
               structure: str | None, candidates: tuple[str, ...] | list[str] = ()
               ) -> ExtractionIssue:
    """Something on `line` that is not extracted as printed, with why."""
    return ExtractionIssue(
        path=document.path, sha256=document.sha256, severity=severity, reason=reason,
        page=line.page, line=line.number, text=line.text, year=year, structure=structure,
        candidates=tuple(candidates),
    )
