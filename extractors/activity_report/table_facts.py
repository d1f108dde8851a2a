"""What the activity-report table readers produce: facts with their provenance, issues, and
cells kept for review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.lines import Document, Line
from extractors.facts import ExtractionIssue, Fact, Severity, Source
from extractors.numbers import Number
from extractors.review import ReviewItem

# "Total", "Total :", "Total général :" before a table's stated total.
TOTAL_PREFIX = re.compile(r"^\s*total(?:\s+g[ée]n[ée]ral)?\s*:?\s*", re.IGNORECASE)
# Beside an UNMAPPED_CODE dimension, the key of the row label as printed.
PRINTED_LABEL = "printed_label"
# Something on a line that keeps a table from being extracted: line, reason, severity, candidates.
Problem = tuple[Line, str, Severity, tuple[str, ...] | list[str]]


@dataclass
class TableOutput:
    """What reading one table gives."""

    facts: list[Fact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the table is then not extracted
    review_items: list[ReviewItem] = field(default_factory=list)


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
        source=Source.of_line(document, line), table=table, flags=tuple(flags),
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


def cell_review(document: Document, line: Line, kind: str, reason: str, value_text: str,
                value: Number | None, year: int, structure: str | None, *,
                indicator: str | None = None, dimension: str | None = None,
                label: str | None = None, suggestion: str | None = None,
                table: str | None = None) -> ReviewItem:
    """A printed cell whose meaning a reviewer settles (extractors/review.py REVIEW_KINDS)."""
    return ReviewItem(
        value_text=value_text, value=None if value is None else float(value), reason=reason,
        context=line.text.strip(), year=year, structure=structure,
        source=Source.of_line(document, line), kind=kind, indicator=indicator,
        dimension=dimension, label=label, suggestion=suggestion, table=table,
    )


def unrecognised_cells(document: Document, rows: list[tuple[Line, str, str]], reason: str,
                       year: int, structure: str | None) -> list[ReviewItem]:
    """The cells of a table no mapping recognises, one item per printed row (line, label,
    figures as printed): nothing printed is lost."""
    return [cell_review(document, line, "unrecognised_table", reason, figures, None, year,
                        structure, label=label or None)
            for line, label, figures in rows]


def drifted_wording(document: Document, line: Line, wording: str, indicator: str, reason: str,
                    year: int, structure: str | None, table: str | None = None) -> ReviewItem:
    """A heading or header reworded: the closest known table was used; the new wording is
    what a reviewer adds to the mapping file."""
    return cell_review(document, line, "drifted_wording", reason, wording, None, year, structure,
                       indicator=indicator, label=wording, suggestion=indicator, table=table)
