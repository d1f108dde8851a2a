"""Year-keyed label mappings: how each edition's wording maps to catalogue codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
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
        )
        for entry in data["commune_tables"]
    )
