"""Turning what was read into records with provenance, in one place.

The page's context (document, structure, year) is fixed once, so every Fact, Claim, ReviewItem
and issue carries the same path, sha256 and structure. Quoted lines are redacted of phone
numbers and e-mail addresses (a page's contact block holds them). A page that names no year cannot give
facts or claims (their year is an int): their figures become review items instead, never a
guessed year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.claims import Claim, ClaimKind
from extractors.facts import ExtractionIssue, Fact, Source, Unit
from extractors.lines import Document, Line
from extractors.review import ReviewItem
from extractors.structure_page.line_figures import Figure, redact

FLAG_YEAR_FROM_PAGE = "year_from_page"  # the figure's own sentence dates nothing
NO_YEAR = "the page names no year, and a fact or claim needs one"
_CLAIM_KINDS: dict[str, ClaimKind] = {"count": "count", "eur": "amount", "percent": "share"}


def qualifier_flags(figure: Figure) -> tuple[str, ...]:
    """"almost 60%", "more than 20%": the value stays as printed, the flag says how."""
    return (f"printed_{figure.qualifier}",) if figure.qualifier else ()


@dataclass
class Records:
    document: Document
    structure: str
    year: int | None
    facts: list[Fact] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    review_items: list[ReviewItem] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)

    def source(self, line: Line) -> Source:
        return Source.of_line(self.document, line, redact(line.text))

    def fact(self, indicator: str, figure: Figure | None, line: Line, value: float, unit: Unit,
             table: str, dimensions: dict[str, str] | None = None, year: int | None = None,
             printed: str | None = None) -> None:
        """A fact dated `year`, else the page's year (flagged); a review item without a year."""
        flags = qualifier_flags(figure) if figure else ()
        if year is None:
            year, flags = self.year, flags + (FLAG_YEAR_FROM_PAGE,)
        if year is None:
            self.review(printed or (figure.printed if figure else str(value)), value, line,
                        f"{indicator}: {NO_YEAR}")
            return
        self.facts.append(Fact(indicator=indicator, dimensions=dict(dimensions or {}), value=value,
                               unit=unit, year=year, structure=self.structure, is_total=False,
                               source=self.source(line), table=f"{table}@L{line.number}",
                               flags=flags))

    def claim(self, figure: Figure, line: Line, sentence: str) -> None:
        if self.year is None:
            self.review(figure.printed, figure.value, line, f"claim on {figure.subject!r}: {NO_YEAR}")
            return
        self.claims.append(Claim(kind=_CLAIM_KINDS[figure.unit], value=figure.value,
                                 unit=figure.unit,  # type: ignore[arg-type]
                                 subject=figure.subject, comparison_year=None, sentence=sentence,
                                 year=self.year, structure=self.structure, source=self.source(line),
                                 lines=(line.number,)))

    def review(self, printed: str, value: float | None, line: Line, reason: str) -> None:
        self.review_items.append(ReviewItem(value_text=printed, value=value, reason=reason,
                                            context=" ".join(redact(line.text).split()), year=self.year,
                                            structure=self.structure, source=self.source(line)))

    def warn(self, line: Line, reason: str) -> None:
        self.issues.append(ExtractionIssue(
            path=self.document.path, sha256=self.document.sha256, severity="warning",
            reason=reason, page=line.page, line=line.number, text=redact(line.text), year=self.year,
            structure=self.structure))
