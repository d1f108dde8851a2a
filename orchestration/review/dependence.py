"""Which reviewers' decisions a figure depends on: `mlw trace` says so beside its source line.

A figure depends on a decision when the decision's printed label is on the figure's line and
(when the figure is split by dimensions) its code is the figure's code of that dimension.
"""

from __future__ import annotations

from extractors import curation
from extractors.reference import normalise_label


def decisions_behind(year: int, source_text: str, dimensions: dict[str, str] | None = None) -> list[str]:
    """One line per decision of `year` that the figure read from `source_text` depends on."""
    printed = f" {normalise_label(source_text)} "
    decided = curation.decisions(curation.DIMENSION_LABELS, year)
    return [f"   depends on a curation decision: {dimension} '{label}' -> {code} "
            f"({curation.curation_dir() / str(year) / 'dimension_labels.yaml'}, "
            f"curation SHA-256 {curation.digest()})"
            for dimension, labels in decided.items() for label, code in labels.items()
            if f" {normalise_label(label)} " in printed
            and (not dimensions or dimensions.get(dimension) == code)]
