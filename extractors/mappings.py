"""Year-keyed label mappings: how each edition's wording maps to catalogue codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from extractors.reference import normalise_label

MAPPINGS_DIR = Path(__file__).with_name("mappings")
YEAR_PLACEHOLDER = "{year}"


def label_words(text: str, year: int | None = None) -> tuple[str, ...]:
    """A label as a sorted bag of words: robust to line breaks and interleaved columns."""
    text = normalise_label(text)
    if year is not None:
        text = re.sub(rf"\b{year}\b", YEAR_PLACEHOLDER, text)
    return tuple(sorted(re.findall(r"\{year\}|[a-z0-9]+", text)))


@dataclass(frozen=True)
class CommuneTableMapping:
    indicators: tuple[str, ...]  # one per value column, in print order
    header_labels: dict[int, tuple[str, ...]]  # edition year -> column headers
    # edition year -> words of the section headings the table is printed under; for tables
    # whose headers alone do not say what they count ("Nombre de jeunes | Montant")
    section_labels: dict[int, str] = field(default_factory=dict)

    def section_words(self, year: int) -> list[tuple[str, ...]]:
        """Section word sets to try for an edition (empty list: any section)."""
        if not self.section_labels:
            return []
        editions = ([year] if year in self.section_labels
                    else sorted(self.section_labels, reverse=True))
        return [label_words(self.section_labels[edition]) for edition in editions]

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
            section_labels={int(year): label for year, label in entry.get("section", {}).items()},
        )
        for entry in data["commune_tables"]
    )


class UnknownLabel(LookupError):
    """A printed label that the year-keyed mapping does not know: reported, never guessed."""


@cache
def dimension_labels() -> dict[str, dict[int, dict[str, str]]]:
    """dimension -> edition year -> {normalised printed label: conformed code}."""
    data = yaml.safe_load((MAPPINGS_DIR / "dimension_labels.yaml").read_text(encoding="utf-8"))
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
