"""A new edition's reworded label, for the review-loop tests: a 2023 sample report rendered by
sample_inputs whose printed label of one housing category is printed in new words."""

from __future__ import annotations

import re
from pathlib import Path

from extractors import wording_rules as mappings
from extractors.extract import extract_path
from extractors.reference import normalise_label
from sample_inputs import generate_figures, write_edition

YEAR = 2023
DIMENSION, CODE = "housing", "precarious"
NEW_LABEL = "Hébergement instable"


def printed_label(dimension: str, code: str, year: int) -> str:
    """The label the edition prints for `code`, as the mapping file knows it (normalised)."""
    labels = mappings.dimension_labels()[dimension][year]
    return next(label for label, mapped in labels.items() if mapped == code)


def write_reworded_report(path: Path) -> Path:
    """The 2023 sample report at `path` (.txt), its label of CODE printed as NEW_LABEL."""
    report = write_edition(generate_figures(YEAR), path)
    text = report.read_text(encoding="utf-8")
    label = printed_label(DIMENSION, CODE, YEAR)
    rows = [re.match(r"(?P<label>\D+?)\s+(?P<figures>\d.*)$", line) for line in text.splitlines()]
    row = next(row for row in rows if row and normalise_label(row["label"]) == label)
    report.write_text(text.replace(row[0], f"{NEW_LABEL} {row['figures']}", 1), encoding="utf-8")
    return report


def housing_cells(path: Path) -> dict[str, float]:
    """code -> value of the report's facts split by housing alone."""
    return {fact.dimensions[DIMENSION]: fact.value for fact in extract_path(path).facts
            if set(fact.dimensions) == {DIMENSION}}
