"""An edition as a drift generator edits it: plain lines, and commune tables held as figures.

A commune table is kept as what it means (columns with their indicator, rows with their
commune's INSEE code, values) plus how it is printed (header wording, thousands separator,
placeholder, footnote markers, page breaks inside it), so that a drift changes the print and
the truth is read from the same figures, never from the printed text.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit

from sample_inputs.breakdowns import BreakdownTable
from sample_inputs.drift.truth import LABEL_DIMENSIONS, TruthCell, unmapped_pairs
from sample_inputs.report_figures import ReportFigures
from sample_inputs.pages import BOLD_FONT, COLUMN_GAP, HEADER_SIZE, NAME_COLUMN_END, RIGHT

TOTAL_LABEL = "Total général :"
ZERO_MARK = "/"


@dataclass
class Column:
    indicator: str | None  # None: a column no catalogue indicator counts (an added column)
    header: str
    unit: str = "count"


@dataclass
class Row:
    label: str  # as printed
    insee: str | None  # the commune it means; None for a label no reference knows
    values: list[int]


@dataclass
class CommuneTable:
    """One commune table of an edition: its meaning and its print style."""

    columns: list[Column]
    rows: list[Row]
    thousands_separator: str = " "
    zero_mark: str = ZERO_MARK
    merged_zero_labels: set[str] = field(default_factory=set)  # rows whose trailing zeros print once
    footnote_marks: dict[tuple[str, int], str] = field(default_factory=dict)  # (label, col) -> mark
    footnotes: list[str] = field(default_factory=list)  # lines printed under the table
    breaks: dict[int, list[str]] = field(default_factory=dict)  # after n rows: lines between parts
    header_lines: list[str] | None = None  # as first printed; None once the columns changed

    def totals(self) -> list[int]:
        """The "Total général" row: always the sum of the rows printed, as a report's is."""
        return [sum(row.values[col] for row in self.rows) for col in range(len(self.columns))]

    def lines(self) -> list[str]:
        """The table as a text layer prints it (cells joined by one space)."""
        out = self.headers()
        for number, row in enumerate(self.rows, start=1):
            out.append(self._row_line(row.label, row.values))
            out += self.breaks.get(number, [])
        out.append(self._row_line(TOTAL_LABEL, self.totals()))
        return out + self.footnotes

    def headers(self) -> list[str]:
        """The header lines: as first printed, else wrapped to their column's width as
        render.py lays them out."""
        if self.header_lines is not None:
            return list(self.header_lines)
        count = len(self.columns)
        width = (RIGHT - NAME_COLUMN_END - COLUMN_GAP * count) / count
        wrapped = [simpleSplit(column.header, BOLD_FONT, HEADER_SIZE, width) for column in self.columns]
        lines = []
        for index in range(max(len(parts) for parts in wrapped)):
            cells = ["Commune"] if index == 0 else []
            lines.append(" ".join(cells + [parts[index] for parts in wrapped if index < len(parts)]))
        return lines

    def _row_line(self, label: str, values: list[int]) -> str:
        cells = [self._cell(label, col, value) for col, value in enumerate(values)]
        if label in self.merged_zero_labels:
            while len(cells) > 1 and values[len(cells) - 1] == 0 and values[len(cells) - 2] == 0:
                cells.pop()
        return " ".join([label] + [cell for cell in cells if cell])

    def _cell(self, label: str, col: int, value: int) -> str:
        if not value:
            return self.zero_mark
        text = f"{value:,}".replace(",", self.thousands_separator)
        if self.columns[col].unit == "eur":
            text += " €"
        return text + self.footnote_marks.get((label, col), "")


def added_row_values(table: CommuneTable, rng: random.Random) -> list[int]:
    """Plausible figures for an added row: a main figure, then "dont" figures below it."""
    smallest = min(row.values[0] for row in table.rows if row.values[0]) or 1
    main = rng.randint(1, max(1, smallest))
    return [main] + [rng.randint(0, main) if column.unit == "count" else main * rng.randint(80, 900)
                     for column in table.columns[1:]]


Block = str | CommuneTable


@dataclass
class Edition:
    """An edition being drifted: its blocks in reading order, what it is about, and the truth
    of what it prints outside its commune tables (which hold their own)."""

    year: int
    structure_name: str
    communes: dict[str, str]  # the territory's communes: printed name -> INSEE code
    blocks: list[Block]
    other_cells: Counter[TruthCell]  # the cells printed outside the commune tables
    label_tables: tuple[BreakdownTable, ...] = ()  # those of a generated edition, to drift
    # cells a drift added (+1) to or removed (-1) from the other cells
    truth_changes: Counter[TruthCell] = field(default_factory=Counter)

    def tables(self) -> list[CommuneTable]:
        return [block for block in self.blocks if isinstance(block, CommuneTable)]

    def text(self) -> str:
        lines: list[str] = []
        for block in self.blocks:
            lines += block.lines() if isinstance(block, CommuneTable) else [block]
        return "\n".join(lines) + "\n"


def parse_edition(text: str, figures: ReportFigures) -> Edition:
    """Split a rendered edition into lines and its commune tables (recognised by their total
    row, whose figures are the figures' own): the inverse of `Edition.text`."""
    lines = text.splitlines()
    totals = {_plain_row(TOTAL_LABEL, figures.total_row(spec), spec.units): spec
              for spec in figures.table_specs}
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        end = _table_end(lines, index, totals) if lines[index].startswith("Commune ") else None
        if end is None:
            blocks.append(lines[index])
            index += 1
            continue
        blocks.append(_table(lines[index:end + 1], figures, totals[lines[end]]))
        index = end + 1
    return Edition(figures.year, figures.structure_name, dict(figures.commune_insee), blocks,
                   _breakdown_cells(figures), figures.breakdown_tables)


def _breakdown_cells(figures: ReportFigures) -> Counter[TruthCell]:
    cells: Counter[TruthCell] = Counter()
    for indicator, key, is_total, value in figures.breakdown_facts():
        pairs = tuple(pair for pair in key if pair[0] not in LABEL_DIMENSIONS)
        cells[TruthCell(indicator, pairs, is_total, float(value))] += 1
    return cells


def _table_end(lines: list[str], start: int, totals: dict) -> int | None:
    for index in range(start + 1, len(lines)):
        if lines[index].startswith(TOTAL_LABEL):
            return index if lines[index] in totals else None
    return None


def _table(lines: list[str], figures: ReportFigures, spec) -> CommuneTable:
    columns = [Column(code, header, unit) for code, header, unit
               in zip(spec.indicators, spec.headers, spec.units or ("count",) * len(spec.indicators))]
    rows: list[Row] = []
    breaks: dict[int, list[str]] = {}
    header_lines: list[str] = []
    for line in lines[:-1]:
        commune = next((name for name in figures.communes if line.startswith(name + " ")), None)
        if commune is not None:
            rows.append(Row(commune, figures.commune_insee[commune], list(figures.row(spec, commune))))
        elif rows:
            breaks.setdefault(len(rows), []).append(line)
        else:
            header_lines.append(line)
    return CommuneTable(columns, rows, breaks=breaks, header_lines=header_lines)


def _plain_row(label: str, values, units) -> str:
    table = CommuneTable([Column(None, "", unit) for unit in (units or ("count",) * len(values))], [])
    return table._row_line(label, list(values))


def edition_truth(edition: Edition) -> Counter[TruthCell]:
    """Every cell the edition prints: its commune tables' and the others'."""
    cells: Counter[TruthCell] = Counter(edition.other_cells)
    for table in edition.tables():
        cells.update(table_truth(table))
    for cell, change in edition.truth_changes.items():
        cells[cell] += change
    return +cells


def table_truth(table: CommuneTable) -> list[TruthCell]:
    """A commune table's cells: one per (row, column with an indicator), then the totals."""
    cells = []
    for row in table.rows:
        pairs = ((("commune_insee", row.insee),) if row.insee
                 else unmapped_pairs("commune_insee", row.label))
        for column, value in zip(table.columns, row.values):
            if column.indicator:
                cells.append(TruthCell(column.indicator, pairs, False, float(value)))
    for column, value in zip(table.columns, table.totals()):
        if column.indicator:
            cells.append(TruthCell(column.indicator, (), True, float(value)))
    return cells
