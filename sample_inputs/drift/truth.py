"""The truth of a drifted edition: the cells it prints, keyed on what each one means.

A cell is (indicator, dimension codes, is it a stated total, value): no line, page or printed
wording, so a drift that moves or rewords a table leaves its truth unchanged, and a drift that
adds, removes or changes a figure changes the truth with it. A row whose label no reference
knows is expected as the dimension's `unmapped` code (the extractor keeps it, flagged), with
its label (normalised): the one place a wording is part of a cell, as nothing else names it.
"""

from __future__ import annotations

from typing import NamedTuple

from extractors.facts import FLAG_UNMAPPED_LABEL, UNMAPPED_CODE, Fact
from extractors.reference import normalise_label

# Dimensions that hold a printed label beside the code that carries the meaning.
LABEL_DIMENSIONS = frozenset({"commune", "printed_label"})
LABEL = "label"  # the pair that names an unmapped cell by its normalised printed label


class TruthCell(NamedTuple):
    indicator: str
    dimensions: tuple[tuple[str, str], ...]  # sorted (dimension, code) pairs
    is_total: bool
    value: float

    @property
    def unmapped(self) -> bool:
        """A cell whose label is left to a reviewer: kept, flagged, not yet a certain fact."""
        return any(code == UNMAPPED_CODE for _, code in self.dimensions)

    def key(self) -> tuple:
        """What the cell means, without its value: two cells of one key disagree on a figure."""
        return self.indicator, self.dimensions, self.is_total


def unmapped_pairs(dimension: str, label: str) -> tuple[tuple[str, str], ...]:
    """The dimensions of a cell whose printed `label` no mapping knows."""
    return tuple(sorted(((dimension, UNMAPPED_CODE), (LABEL, normalise_label(label)))))


def fact_cell(fact: Fact) -> TruthCell:
    """An extracted fact as a truth cell: its printed labels dropped, but for an unmapped code."""
    pairs = []
    for dimension, code in fact.dimensions.items():
        if dimension in LABEL_DIMENSIONS:
            continue
        if FLAG_UNMAPPED_LABEL in fact.flags and code and _unmapped(code):
            code = UNMAPPED_CODE
        pairs.append((dimension, code))
    labels = [label for dimension, label in fact.dimensions.items() if dimension in LABEL_DIMENSIONS]
    if labels and any(code == UNMAPPED_CODE for _, code in pairs):
        pairs.append((LABEL, normalise_label(labels[-1])))
    return TruthCell(fact.indicator, tuple(sorted(pairs)), fact.is_total, float(fact.value))


def _unmapped(code: str) -> bool:
    return code == UNMAPPED_CODE or code.startswith(f"{UNMAPPED_CODE}:")
