"""Claims: figures a report states in prose, kept with their provenance.

Tables give `Fact`s; headline sentences ("La ML a réalisé 679 nouvelles inscriptions en 2023.")
give `Claim`s. A claim is not interpreted into an indicator: it records what was printed, so
that an audit step can later check the prose against the tables.

Comparison scheme. A sentence such as "49 % des nouveaux inscrits sont des femmes (48 % en
2022)" gives two claims with the same kind, subject, sentence and source:
- the headline figure: value 49, year = the report's year, comparison_year = 2022
  (meaning: "a figure for 2022 is printed beside this one");
- the comparison figure: value 48, year = 2022, comparison_year = None.
A change ("a progressé de 5 % par rapport à 2022") is one claim whose comparison_year is the
base year when the sentence names it, None otherwise. Decreases are negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from extractors.facts import Source, Unit
from extractors.record_json import plain_number, record_to_json
from extractors.stable_id import stable_id

ClaimKind = Literal["count", "amount", "share", "change"]


@dataclass(frozen=True)
class Claim:
    """One figure stated in a prose sentence, with what it qualifies and where it was read."""

    kind: ClaimKind  # count of something, euro amount, percentage share, percentage change
    value: float  # counts and amounts as numbers; percents as printed (49 % -> 49.0)
    unit: Unit
    subject: str  # the words the figure qualifies, normalised (lower case, no accents)
    comparison_year: int | None  # year of a comparison figure or base year printed beside it
    sentence: str  # the whole sentence, its lines joined with single spaces
    year: int  # the year the figure is about: the report's, or a comparison figure's
    structure: str | None  # I-MILO structure code of the report; None when no Mission Locale publishes it
    source: Source  # the first line of the sentence
    lines: tuple[int, ...]  # every line the sentence spans

    @property
    def claim_id(self) -> str:
        """Stable id: same document, sentence, figure and reading give the same id."""
        return stable_id(self.source.sha256, self.source.page, self.source.line, self.sentence,
                         self.kind, self.unit, plain_number(self.value), self.year,
                         self.comparison_year, self.subject)

    def to_json(self) -> dict[str, Any]:
        return record_to_json(self, claim_id=self.claim_id, value=plain_number(self.value))
