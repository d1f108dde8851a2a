"""Section headings as words: what a table's context is, and how a mapping names it.

Shared by the mapping files' loaders (extractors/wording_rules.py) and the activity-report
outline (activity_report/sections.py); it imports neither, so neither imports the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.reference import normalise_label

YEAR_PLACEHOLDER = "{year}"
# Articles a later edition drops from a heading ("La Formation" -> "Formation"): a section
# rule's wording is matched without them.
_ARTICLES = frozenset({"l", "la", "le", "les"})


def printed_words(text: str, year: int | None = None) -> tuple[str, ...]:
    """A text as its normalised words in print order (the edition year as {year})."""
    text = normalise_label(text)
    if year is not None:
        text = re.sub(rf"\b{year}\b", YEAR_PLACEHOLDER, text)
    return tuple(re.findall(r"\{year\}|[a-z0-9]+", text))


def label_words(text: str, year: int | None = None) -> tuple[str, ...]:
    """A label as a sorted bag of words: robust to line breaks and interleaved columns."""
    return tuple(sorted(printed_words(text, year)))


@dataclass(frozen=True)
class SectionContext:
    """Where a line sits in the report's outline."""

    chapter: str = ""  # e.g. "3) La Formation"
    part: str = ""  # e.g. "I. Les entrées en formation"
    subpart: str = ""  # e.g. "b. Répartition par commune"

    def words(self) -> set[str]:
        """The context as a set of normalised words, for matching mapping entries."""
        return set(label_words(f"{self.chapter} {self.part} {self.subpart}"))

    def __str__(self) -> str:
        return " / ".join(part for part in (self.chapter, self.part, self.subpart) if part)


@dataclass(frozen=True)
class SectionRule:
    """Where a kind of table is printed, per edition: one or more heading wordings, any of
    which must be found whole (as words) in the table's context. An edition that is not
    listed is tried with every listed edition's wordings, latest first."""

    labels: dict[int, tuple[str, ...]]  # edition year -> alternative heading wordings

    @classmethod
    def parse(cls, raw: dict | None) -> SectionRule | None:
        """From a mapping file's `section: {2023: "words"}` or `{2023: ["words", "other words"]}`."""
        if not raw:
            return None
        labels = {int(year): (value,) if isinstance(value, str) else tuple(value)
                  for year, value in raw.items()}
        if not all(labels.values()):
            raise ValueError(f"a section rule lists an edition without headings: {raw}")
        return cls(labels)

    def wordings(self, year: int) -> list[str]:
        editions = [year] if year in self.labels else sorted(self.labels, reverse=True)
        return [label for edition in editions for label in self.labels[edition]]

    def matches(self, context: SectionContext, year: int) -> bool:
        """Whether the context's headings hold every word of one of the edition's wordings
        (its articles aside)."""
        words = context.words()
        return any(set(label_words(label)) - _ARTICLES <= words for label in self.wordings(year))
