"""The canonical fact contract between the extractors and the warehouse.

Every extractor yields `Fact`s and `ExtractionIssue`s; nothing else crosses the boundary.
`python -m extractors` prints facts as JSON Lines, and the raw layer of the warehouse
(`raw.report_facts`, `raw.extraction_issues`) stores exactly these fields, flattened.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from extractors.lines import Document, Line
from extractors.record_json import plain_number, record_to_json
from extractors.stable_id import stable_id

Unit = Literal["count", "eur", "percent"]
Severity = Literal["error", "warning"]

# Flags a check may add beside a value. The value itself is never altered.
FLAG_SOURCE_TOTAL_MISMATCH = "source_total_mismatch"
FLAG_EXPLAINED_BY_FOOTNOTE = "explained_by_footnote"
# Several readings of the printed figures were possible; the table's totals and "dont"
# columns left exactly one.
FLAG_RESOLVED_BY_CONSTRAINTS = "resolved_by_table_constraints"
# The figure is printed with a qualifier and kept as printed: "almost 60 %", "more than 20 %".
FLAG_PRINTED_APPROXIMATE = "printed_approximate"
FLAG_PRINTED_LOWER_BOUND = "printed_lower_bound"
# The row's printed label is not known to its conformed dimension: the fact is kept with the
# printed label and the dimension code UNMAPPED_CODE until a reviewer maps it (`mlw review`).
FLAG_UNMAPPED_LABEL = "unmapped_label"
UNMAPPED_CODE = "unmapped"
# The figure's own sentence names no year: it takes the document's (e.g. a web page's) year.
FLAG_YEAR_FROM_DOCUMENT = "year_from_page"


@dataclass(frozen=True)
class Source:
    """Where a value was printed: enough for an auditor to find it again."""

    path: str
    sha256: str
    page: int | None  # 1-based PDF page; None for plain text
    line: int  # 1-based line in the text file, or in the page for a PDF
    bbox: tuple[float, float, float, float] | None  # PDF only: x0, top, x1, bottom in points
    text: str  # the raw line as read

    @classmethod
    def of_line(cls, document: Document, line: Line, text: str | None = None) -> Source:
        """Where `line` of `document` was printed; `text` quotes it instead of the raw line
        (redacted of personal data, or cut to the part that was read)."""
        return cls(document.path, document.sha256, line.page, line.number, line.bbox,
                   line.text if text is None else text)


@dataclass(frozen=True)
class Fact:
    """One published figure with its meaning and provenance."""

    indicator: str  # code from extractors/catalogue/indicators.yaml
    dimensions: dict[str, str]  # e.g. {"commune": "Lambersart", "commune_insee": "59328"}
    value: float
    unit: Unit
    year: int
    structure: str | None  # I-MILO structure code, e.g. 59386S00; None when no Mission Locale
    #                        publishes or carries the figure (e.g. the metropolis' own guide)
    is_total: bool  # True for a table's stated total
    source: Source
    table: str  # identifies the table inside the document, e.g. "new_registrations@L12"
    flags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def fact_id(self) -> str:
        """Stable id: same document, place, indicator and dimensions give the same id."""
        return stable_id(self.source.sha256, self.source.page, self.source.line, self.indicator,
                         sorted(self.dimensions.items()), self.is_total)

    def to_json(self) -> dict[str, Any]:
        return record_to_json(self, value=plain_number(self.value))


@dataclass(frozen=True)
class ExtractionIssue:
    """Something that could not be extracted, with where and why. Never silently dropped."""

    path: str
    sha256: str
    severity: Severity
    reason: str
    page: int | None = None
    line: int | None = None
    text: str | None = None
    year: int | None = None  # known once the document's edition is identified
    structure: str | None = None
    candidates: tuple[str, ...] = field(default_factory=tuple)  # readings left open

    def to_json(self) -> dict[str, Any]:
        return record_to_json(self)

    def __str__(self) -> str:
        where = self.path
        if self.page is not None:
            where += f", page {self.page}"
        if self.line is not None:
            where += f", line {self.line}"
        return f"{self.severity}: {where}: {self.reason}"
