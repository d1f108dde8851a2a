"""Figures kept for a human to review: read in a document, but whose meaning is uncertain.

Glossy layouts split, reorder or glue numbers and labels. When an extractor cannot tell what a
number counts, it does not publish it as an indicator: it keeps it here, with its context,
so that nothing is silently dropped and nothing is guessed. A reviewer who settles its meaning
adds the wording to the document kind's mapping file, and the next run extracts it as a fact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractors.facts import Source
from extractors.record_json import record_to_json
from extractors.stable_id import stable_id


# Kinds of review item, each settled by one kind of curation decision (see `mlw review`).
REVIEW_KINDS = (
    "uncertain_number",  # a number whose meaning no label settles (glossy layouts)
    "unknown_label",  # a row label the conformed dimension does not know (fact kept as unmapped)
    "unrecognised_table",  # a table whose content matched no known table: its cells kept here
    "drifted_wording",  # a heading or header reworded: the closest known table was used
    "ambiguous_reading",  # several readings of the printed figures fit; candidates listed
)


@dataclass(frozen=True)
class ReviewItem:
    value_text: str  # the number as printed ("1 234", "52 %")
    value: float | None  # its reading, when it has one
    reason: str  # why it was not published ("no label next to it", "two labels fit"...)
    context: str  # the surrounding lines, joined with " | "
    year: int | None
    structure: str | None
    source: Source
    # What a reviewer is asked to settle, and the best suggestion (the review loop's contract):
    kind: str = "uncertain_number"  # one of REVIEW_KINDS
    indicator: str | None = None  # the catalogue indicator the cell would feed, when known
    # the dimension of an unknown label, when known; for a commune table left to review, what its
    # decision settles (extractors/decisions.py TABLE_DECISIONS: its columns, its section)
    dimension: str | None = None
    label: str | None = None  # the printed wording to settle (row label, heading, header)
    suggestion: str | None = None  # best candidate: a dimension code, an indicator, a reading
    table: str | None = None  # the table the cell belongs to, as in Fact.table

    @property
    def review_id(self) -> str:
        return stable_id(self.source.sha256, self.source.page, self.source.line, self.value_text)

    def to_json(self) -> dict[str, Any]:
        return record_to_json(self, review_id=self.review_id)
