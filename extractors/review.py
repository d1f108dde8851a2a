"""Figures kept for a human to review: read in a document, but whose meaning is uncertain.

Glossy layouts split, reorder or glue numbers and labels. When an extractor cannot tell what a
number counts, it does not publish it as an indicator: it keeps it here, with its context,
so that nothing is silently dropped and nothing is guessed. A reviewer who settles its meaning
adds the wording to the document kind's mapping file, and the next run extracts it as a fact.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any

from extractors.facts import Source


@dataclass(frozen=True)
class ReviewItem:
    value_text: str  # the number as printed ("1 234", "52 %")
    value: float | None  # its reading, when it has one
    reason: str  # why it was not published ("no label next to it", "two labels fit"...)
    context: str  # the surrounding lines, joined with " | "
    year: int | None
    structure: str | None
    source: Source

    @property
    def review_id(self) -> str:
        key = json.dumps([self.source.sha256, self.source.page, self.source.line, self.value_text],
                         ensure_ascii=False)
        return hashlib.sha256(key.encode()).hexdigest()[:24]

    def to_json(self) -> dict[str, Any]:
        record = asdict(self)
        record["review_id"] = self.review_id
        record["source"]["bbox"] = list(self.source.bbox) if self.source.bbox else None
        return record
