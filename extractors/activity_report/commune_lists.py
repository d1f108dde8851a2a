"""Commune lists inside profile blocks: "<commune> <figure>" runs, one or two to a line.

The lines of commune tables with a stated total are left out: commune_tables.py reads those.
"""

from __future__ import annotations

from extractors.activity_report.commune_scan import commune_named, find_commune_tables, segments
from extractors.lines import Document, Line
from extractors.reference import Commune


def commune_rows(line: Line | None, year: int | None = None) -> list[tuple[Commune, list[str]]] | None:
    """The (commune, figures) runs of a line of a commune list (one or two communes), else None;
    with the edition `year`, a reviewer's decision names a commune too."""
    if line is None:
        return None
    runs = segments(line.text)
    if not runs or any(not name or not values for name, values in runs):
        return None
    communes = [commune_named(name, year) for name, _ in runs]
    if any(commune is None for commune in communes):
        return None
    return [(commune, values) for commune, (_, values) in zip(communes, runs)]


def unknown_communes(line: Line, year: int | None = None) -> str | None:
    """In a line shaped like a commune list line where some names are communes, the others."""
    runs = segments(line.text)
    if len(runs) < 2 or any(not name or not values for name, values in runs):
        return None
    unknown = [name for name, _ in runs if commune_named(name, year) is None]
    return ", ".join(unknown) if unknown and len(unknown) < len(runs) else None


def commune_table_lines(document: Document, year: int) -> set[int]:
    """Lines of the commune tables with a stated total: commune_tables.py extracts those."""
    index = {(line.page, line.number): position for position, line in enumerate(document.lines)}
    excluded: set[int] = set()
    for table in find_commune_tables(document.lines, year):
        if table.total_line is None:
            continue
        start = index[(table.header_line.page, table.header_line.number)]
        end = index[(table.total_line.page, table.total_line.number)]
        excluded.update(range(start, end + 1))
    return excluded
