"""Issues of one guide, each with file and line, and the provenance of its records.

Every text that leaves the extractor goes through `redact`, so no e-mail address or phone
number reaches a record, an issue included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractors.facts import ExtractionIssue, Severity, Source
from extractors.lines import Document, Line
from extractors.pia_guide.guide_text import redact


def source_of(document: Document, line: Line, text: str | None = None) -> Source:
    """Where a value was printed; `text` replaces the raw line when part of it must not be
    kept (a contact printed beside a title)."""
    return Source.of_line(document, line, redact(line.text if text is None else text))


@dataclass
class IssueLog:
    document: Document
    year: int | None = None
    issues: list[ExtractionIssue] = field(default_factory=list)

    def add(self, line: Line | None, reason: str, severity: Severity = "warning",
            candidates: tuple[str, ...] = ()) -> None:
        self.issues.append(ExtractionIssue(
            path=self.document.path, sha256=self.document.sha256, severity=severity,
            reason=reason, page=line.page if line else None, line=line.number if line else None,
            text=redact(line.text) if line else None, year=self.year, structure=None,
            candidates=tuple(redact(candidate) for candidate in candidates),
        ))
