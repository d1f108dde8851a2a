"""What extracting one document gives: its identity, its facts and its issues."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.claims import Claim
from extractors.facts import ExtractionIssue, Fact
from extractors.programmes import Programme
from extractors.record_json import record_from_json
from extractors.review import ReviewItem


@dataclass
class ExtractionResult:
    path: str
    sha256: str | None
    kind: str | None = None  # e.g. "ml_activity_report"; None when not recognised
    year: int | None = None
    structure: str | None = None
    page_count: int | None = None
    facts: list[Fact] = field(default_factory=list)
    issues: list[ExtractionIssue] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # figures stated in prose
    programmes: list[Programme] = field(default_factory=list)  # programmes and actions described
    review_items: list[ReviewItem] = field(default_factory=list)  # figures of uncertain meaning

    @property
    def errors(self) -> list[ExtractionIssue]:
        return [issue for issue in self.issues if issue.severity == "error"]

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path, "sha256": self.sha256, "kind": self.kind, "year": self.year,
            "structure": self.structure, "page_count": self.page_count,
            "facts": [fact.to_json() for fact in self.facts],
            "issues": [issue.to_json() for issue in self.issues],
            "claims": [claim.to_json() for claim in self.claims],
            "programmes": [programme.to_json() for programme in self.programmes],
            "review_items": [item.to_json() for item in self.review_items],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str | None = None) -> ExtractionResult:
        """The result `to_json` wrote; with `path`, read from that path (same content)."""
        return record_from_json(cls, data, path)
