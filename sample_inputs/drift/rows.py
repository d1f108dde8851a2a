"""Drifts of rows: a commune added, communes removed, rows in another order.

A territory changes between editions (a commune joins or leaves) and reports reorder their
rows (largest first). The stated total always follows the rows printed, as a real report's does.
"""

from __future__ import annotations

import csv
import random
from functools import cache

from extractors.reference import SEEDS_DIR, normalise_label
from sample_inputs.drift.model import Edition, Row, added_row_values


def rows_added(edition: Edition, rng: random.Random) -> None:
    """One table gains the row of a known commune outside the structure's territory."""
    table = rng.choice(edition.tables())
    printed = {row.insee for row in table.rows}
    insee, name = rng.choice([commune for commune in _communes() if commune[0] not in printed])
    table.rows.append(Row(name, insee, added_row_values(table, rng)))
    table.rows.sort(key=lambda row: normalise_label(row.label))


def rows_removed(edition: Edition, rng: random.Random) -> None:
    """Two tables each lose one or two commune rows (the total is that of the rows left)."""
    for table in rng.sample(edition.tables(), 2):
        for row in rng.sample(table.rows, rng.randint(1, 2)):
            table.rows.remove(row)


def rows_reordered(edition: Edition, rng: random.Random) -> None:
    """Two tables print their rows largest first, or in no order at all."""
    for table in rng.sample(edition.tables(), 2):
        if rng.random() < 0.5:
            table.rows.sort(key=lambda row: -row.values[0])
        else:
            rng.shuffle(table.rows)


@cache
def _communes() -> tuple[tuple[str, str], ...]:
    """(INSEE code, name) of every commune of the reference."""
    with open(SEEDS_DIR / "ref_communes.csv", encoding="utf-8", newline="") as handle:
        return tuple((row["code_insee"], row["nom_commune"]) for row in csv.DictReader(handle))
