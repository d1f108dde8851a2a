"""Drifts of layout: a table split by a page break, a table moved to another section.

A page break inside a table prints the page's footer and the next page's running header
between two rows (and sometimes the column headers again); a later edition may present a
table in another chapter. Neither changes a figure: the truth is the same.
"""

from __future__ import annotations

import random
import re

from sample_inputs.drift.model import Edition

_SECTION = re.compile(r"^\s*\d+\) ")
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")


def page_split(edition: Edition, rng: random.Random) -> None:
    """One table without a page break gets one between two of its rows."""
    table = rng.choice([table for table in edition.tables() if not table.breaks])
    index = edition.blocks.index(table)
    numbers = [int(block) for block in edition.blocks[:index]
               if isinstance(block, str) and _PAGE_NUMBER.match(block)]
    running_header = f"{edition.structure_name} — Rapport d’activité {edition.year}"
    lines = ["", str(max(numbers, default=1) + 1), "", running_header]
    if rng.random() < 0.5:  # the column headers printed again on the new page
        lines += table.headers()
    table.breaks[rng.randint(2, len(table.rows) - 2)] = lines


def table_moved(edition: Edition, rng: random.Random) -> None:
    """One table leaves its section for the end of another one."""
    table = rng.choice(edition.tables())
    origin = edition.blocks.index(table)
    edition.blocks.remove(table)
    sections = [index for index, block in enumerate(edition.blocks)
                if isinstance(block, str) and _SECTION.match(block)]
    own = max((index for index in sections if index < origin), default=None)
    start = rng.choice([index for index in sections if index != own])
    following = [index for index in sections if index > start]
    end = following[0] if following else len(edition.blocks)
    edition.blocks.insert(end, table)

