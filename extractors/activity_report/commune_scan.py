"""Commune tables as printed: a "Commune" header, commune rows, a stated total.

A table starts at a line whose first word is "Commune"; the lines up to the first commune
row are its column headers; it ends at its "Total ..." line. What the columns mean is
decided elsewhere (commune_tables.py), from the headers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.activity_report.commune_names import commune_named
from extractors.activity_report.page_breaks import continued_at
from extractors.activity_report.table_facts import TOTAL_PREFIX
from extractors.lines import Line
from extractors.numbers import split_cells, value_token, without_footnote_call
from extractors.reference import Commune, normalise_label

_HEADER_MAX_LINES = 15
# "(dont 29 € de frais de gestion)" under a total: an amount the rows do not show.
_FOOTNOTE = re.compile(r"^\(?\s*dont\s+(\d{1,3}(?:\s\d{3})*(?:,\d+)?)\s*€")


@dataclass
class CommuneRow:
    line: Line
    commune: Commune | None  # None: the printed name is no known commune (kept for review)
    cells: list[str]
    name: str = ""  # as printed


@dataclass
class CommuneTable:
    """A commune table as printed, before its figures are read."""

    header_line: Line
    header_text: str
    header_index: int  # position of the header in the document's lines
    rows: list[CommuneRow] = field(default_factory=list)
    total_line: Line | None = None
    total_cells: list[str] | None = None
    footnote: tuple[Line, Decimal] | None = None  # "(dont N € de ...)" under the total
    header_parts: tuple[str, ...] = ()  # the header as printed, line by line


def segments(text: str) -> list[tuple[str, list[str]]]:
    """Split a line into (name, value tokens) runs: two-column layouts give two runs."""
    runs: list[tuple[list[str], list[str]]] = []
    for token in map(without_footnote_call, text.split()):
        if token == "€" or (value := value_token(token)) is not None:
            if not runs:
                runs.append(([], []))
            runs[-1][1].append("€" if token == "€" else value)
        elif not runs or runs[-1][1]:
            runs.append(([token], []))
        else:
            runs[-1][0].append(token)
    return [(" ".join(name), [t for t in values if t != "€"]) for name, values in runs]


def _is_total(line: Line) -> bool:
    return normalise_label(line.text).startswith("total")


def _commune_rows(line: Line, year: int) -> list[CommuneRow] | None:
    """The commune rows a line holds (one, or two in a two-column list), else None; a name is
    a commune of the reference or of a reviewer's decision for the edition `year`."""
    runs = segments(line.text)
    if not runs or any(not values for _, values in runs):
        return None
    rows = []
    for name, values in runs:
        commune = commune_named(name, year)
        if commune is None:
            return None
        rows.append(CommuneRow(line, commune, values, name))
    return rows


def _unknown_commune_row(line: Line, year: int) -> str | None:
    """The name of a line that reads like a table row but names no known commune."""
    runs = segments(line.text)
    if len(runs) != 1:
        return None
    name, values = runs[0]
    if not name or not values or commune_named(name, year) is not None or values == [str(year)]:
        return None
    return name


def find_commune_tables(lines: tuple[Line, ...], year: int) -> Iterator[CommuneTable]:
    index = 0
    while index < len(lines):
        line = lines[index]
        if normalise_label(line.text).split(" ")[:1] != ["commune"]:
            index += 1
            continue
        table, index = _read_table(lines, index, year)
        if table is not None:
            yield table


def _read_table(lines: tuple[Line, ...], start: int, year: int) -> tuple[CommuneTable | None, int]:
    """Read the table whose header starts at `start`; return it and the index after it."""
    header_line = lines[start]
    header_parts = [header_line.text]
    index = start + 1
    first_rows = None
    while index < len(lines) and index - start <= _HEADER_MAX_LINES:
        candidate = lines[index]
        first_rows = _commune_rows(candidate, year)
        if first_rows or _is_total(candidate) or _unknown_commune_row(candidate, year):
            break
        if normalise_label(candidate.text).startswith("commune"):
            return None, index  # another header: this one had no rows
        header_parts.append(candidate.text)
        index += 1
    if not first_rows and not (index < len(lines) and _unknown_commune_row(lines[index], year)):
        return None, index
    table = CommuneTable(header_line, " ".join(header_parts), start, header_parts=tuple(header_parts))
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        if not text or line.is_page_number:
            index += 1
            continue
        if _is_total(line):
            table.total_line = line
            table.total_cells = split_cells(TOTAL_PREFIX.sub("", line.text))
            table.footnote = _footnote_after(lines, index + 1)
            return table, index + 1
        rows = _commune_rows(line, year)
        if rows:
            table.rows.extend(rows)
        elif (unknown := _unknown_commune_row(line, year)) is not None:
            table.rows.append(CommuneRow(line, None, segments(line.text)[0][1], unknown))
        elif (commune := commune_named(text, year)) is not None:  # every cell of the row left empty
            table.rows.append(CommuneRow(line, commune, [], text))
        elif table.rows and (resumed := continued_at(
                lines, index, table.rows[-1].line, lambda next_line: _is_total(next_line)
                or bool(_commune_rows(next_line, year)), frozenset(part.strip() for part in header_parts))):
            index = resumed
            continue
        else:
            break
        index += 1
    return table, index


def _footnote_after(lines: tuple[Line, ...], index: int) -> tuple[Line, Decimal] | None:
    """A "(dont N € de ...)" note on the line right after a total (blank lines skipped)."""
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    if index < len(lines) and (match := _FOOTNOTE.match(normalise_label(lines[index].text))):
        return lines[index], Decimal(match.group(1).replace(" ", "").replace(",", "."))
    return None
