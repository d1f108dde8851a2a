"""Drifts of columns: a column added, a column removed, columns in another order.

A later edition details a table by one more "dont" column, drops one, or puts the detail
first. Headers move with their figures; an added column counts nothing the catalogue knows,
so its cells are not in the truth (reading them as an indicator would be a wrong value).
"""

from __future__ import annotations

import random

from sample_inputs.drift.model import Column, CommuneTable, Edition

# Headers of added columns: details no catalogue indicator counts.
ADDED_HEADERS = ("Dont jeunes mineurs", "Dont jeunes femmes", "Dont jeunes sans diplôme")


def columns_added(edition: Edition, rng: random.Random) -> None:
    """One table gains a "dont" column, at its end or just after the main column."""
    table = rng.choice(edition.tables())
    position = rng.choice((1, len(table.columns)))
    table.columns.insert(position, Column(None, rng.choice(ADDED_HEADERS)))
    for row in table.rows:
        row.values.insert(position, rng.randint(0, row.values[0]))
    table.header_lines = None


def columns_removed(edition: Edition, rng: random.Random) -> None:
    """A table of several columns loses one of its detail columns."""
    table = rng.choice(_wide(edition))
    position = rng.randrange(1, len(table.columns))
    del table.columns[position]
    for row in table.rows:
        del row.values[position]
    table.header_lines = None


def columns_reordered(edition: Edition, rng: random.Random) -> None:
    """A table of several columns prints them in reverse order (the detail first)."""
    table = rng.choice(_wide(edition))
    table.columns.reverse()
    for row in table.rows:
        row.values.reverse()
    table.header_lines = None


def _wide(edition: Edition) -> list[CommuneTable]:
    return [table for table in edition.tables() if len(table.columns) > 1]
