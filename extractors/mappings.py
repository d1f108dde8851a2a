"""Year-keyed label mappings: how each edition's wording maps to catalogue codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

import yaml

from extractors.curation import curated, curated_cache
from extractors.reference import normalise_label

if TYPE_CHECKING:
    from extractors.activity_report.sections import SectionContext

MAPPINGS_DIR = Path(__file__).with_name("mappings")
YEAR_PLACEHOLDER = "{year}"


def label_words(text: str, year: int | None = None) -> tuple[str, ...]:
    """A label as a sorted bag of words: robust to line breaks and interleaved columns."""
    text = normalise_label(text)
    if year is not None:
        text = re.sub(rf"\b{year}\b", YEAR_PLACEHOLDER, text)
    return tuple(sorted(re.findall(r"\{year\}|[a-z0-9]+", text)))


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
        """Whether the context's headings hold every word of one of the edition's wordings."""
        words = context.words()
        return any(set(label_words(label)) <= words for label in self.wordings(year))


@dataclass(frozen=True)
class CommuneTableMapping:
    indicators: tuple[str, ...]  # one per value column, in print order
    header_labels: dict[int, tuple[str, ...]]  # edition year -> column headers
    # the section headings the table is printed under, for tables whose headers alone do not
    # say what they count ("Nombre de jeunes | Montant"); None: any section
    section: SectionRule | None = None

    def header_words(self, year: int) -> list[tuple[str, ...]]:
        """Word bags to try for an edition: its own labels, else every known edition's."""
        editions = [year] if year in self.header_labels else sorted(self.header_labels, reverse=True)
        return [label_words(" ".join(self.header_labels[edition])) for edition in editions]


@cache
def commune_table_mappings(report_kind: str = "ml_activity_report") -> tuple[CommuneTableMapping, ...]:
    data = yaml.safe_load((MAPPINGS_DIR / f"{report_kind}.yaml").read_text(encoding="utf-8"))
    return tuple(
        CommuneTableMapping(
            indicators=tuple(entry["indicators"]),
            header_labels={int(year): tuple(labels) for year, labels in entry["header_labels"].items()},
            section=SectionRule.parse(entry.get("section")),
        )
        for entry in data["commune_tables"]
    )


class UnknownLabel(LookupError):
    """A printed label that the year-keyed mapping does not know: reported, never guessed."""


@curated_cache
def dimension_labels() -> dict[str, dict[int, dict[str, str]]]:
    """dimension -> edition year -> {normalised printed label: conformed code}."""
    data = curated("dimension_labels", yaml.safe_load((MAPPINGS_DIR / "dimension_labels.yaml").read_text(encoding="utf-8")))
    return {
        dimension: {int(year): {normalise_label(str(label)): str(code) for label, code in labels.items()}
                    for year, labels in editions.items()}
        for dimension, editions in data.items()
    }


def dimension_code(dimension: str, label: str, year: int) -> str:
    """The conformed code of a printed label, from the edition's own labels if listed,
    else from every listed edition's (latest first). Raises UnknownLabel."""
    editions = dimension_labels().get(dimension, {})
    order = [year] if year in editions else sorted(editions, reverse=True)
    wanted = normalise_label(label)
    for edition in order:
        if wanted in editions[edition]:
            return editions[edition][wanted]
    raise UnknownLabel(f"{dimension}: label {label!r} is not in extractors/mappings/"
                       f"dimension_labels.yaml for {year}")


Entry = TypeVar("Entry")


def entries_for_section(shaped: Sequence[Entry], in_section: Callable[[Entry], bool],
                        may_drift: bool = True) -> tuple[list[Entry], bool]:
    """The mapping entries of a table's shape (labels, dimensions) that name its section, and
    whether the section heading drifted: no entry names it, but only one entry has this shape,
    so it is read as that one (the caller warns, asking for the new wording)."""
    found = [entry for entry in shaped if in_section(entry)]
    if not found and may_drift and len(shaped) == 1:
        return list(shaped), True
    return found, False
