"""Drifts of cells: other placeholders for zero, other thousands separators, footnote markers.

The figures stay; their print changes. A placeholder (`-`, `–`, or nothing) stands for zero,
and one placeholder may stand for a row's several empty columns; thousands are printed
`1234` or `1.234`; a footnote marker (`12*`, `12(1)`) is glued to a figure, explained under
the table.
"""

from __future__ import annotations

import random

from sample_inputs.drift.model import Edition

PLACEHOLDERS = ("-", "–", "")
THOUSANDS_SEPARATORS = ("", ".")
FOOTNOTES = {"*": "* Données provisoires au 31 décembre.",
             "(1)": "(1) Hors jeunes suivis par une autre structure."}


def placeholder_cells(edition: Edition, rng: random.Random) -> None:
    """Every table prints zero with another placeholder, and in one table of several columns
    a row with no figure at all prints a single placeholder for all its columns."""
    mark = rng.choice(PLACEHOLDERS)
    for table in edition.tables():
        table.zero_mark = mark
    wide = [table for table in edition.tables() if len(table.columns) > 1]
    table = rng.choice(wide)
    table.zero_mark = mark or "/"  # the single placeholder of an empty row is printed
    row = rng.choice(table.rows)
    row.values = [0] * len(row.values)
    table.merged_zero_labels.add(row.label)


def thousands(edition: Edition, rng: random.Random) -> None:
    """Every table prints thousands without a separator or with a dot."""
    separator = rng.choice(THOUSANDS_SEPARATORS)
    for table in edition.tables():
        table.thousands_separator = separator


def footnote_markers(edition: Edition, rng: random.Random) -> None:
    """Two tables get a footnote marker glued to two or three of their figures."""
    for table in rng.sample(edition.tables(), 2):
        mark = rng.choice(sorted(FOOTNOTES))
        cells = [(row.label, col) for row in table.rows
                 for col, value in enumerate(row.values) if value]
        for cell in rng.sample(cells, min(len(cells), rng.randint(2, 3))):
            table.footnote_marks[cell] = mark
        table.footnotes = [FOOTNOTES[mark]]
