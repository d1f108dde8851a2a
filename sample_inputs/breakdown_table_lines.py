"""The printed lines of one breakdown table, in the layouts of the real reports.

Vertical label tables whose long labels wrap onto the line of their figure, share lists,
horizontal profile blocks and cross-tabs whose category headers wrap as a staircase (a label
starts on the line where the previous one ends, so the text layer reads them in order), and a
commune list in two real columns.
"""

from __future__ import annotations

import math

from reportlab.lib.utils import simpleSplit

from sample_inputs.breakdowns import TOTAL_COLUMN, TOTAL_LINE, TOTAL_ROW_AND_COLUMN, BreakdownTable
from sample_inputs.pages import (
    BODY_FONT,
    BODY_SIZE,
    BOLD_FONT,
    HEADER_SIZE,
    LEFT,
    PAGE_BREAK,
    Cell,
    Flow,
    VisualLine,
    cell_value,
    thousands,
)


# Vertical label tables: labels wrap at LABEL_WIDTH, figures right-aligned at VALUE_RIGHT.
LABEL_WIDTH = 230.0
VALUE_RIGHT = LEFT + 380.0
HEADER_RIGHT_LEFT = LEFT + 250.0  # where the figure column's header starts
# Profile blocks and cross-tabs: fixed columns, labels wrapped to COLUMN_WIDTH.
COLUMN_WIDTH, COLUMN_GAP = 62.0, 14.0
ROW_LABEL_WIDTH = 96.0  # a cross-tab's row labels
# Two-column commune list: (name left, figure right) of each column.
COMMUNE_COLUMNS = ((LEFT, LEFT + 150.0), (LEFT + 190.0, LEFT + 340.0))

# --- vertical tables ----------------------------------------------------------------------------


def vertical_table_flow(table: BreakdownTable, split_after: int | None) -> Flow:
    """Header (if the mapping names one), "label figure" rows, "Total : N" (counts only)."""
    spec = table.spec
    flow: Flow = _vertical_header(spec.header) if spec.header else []
    for number, (code, label) in enumerate(zip(spec.codes[0], spec.labels[0]), start=1):
        value = table.grid[(code,)]
        shown = f"{value} %" if spec.unit == "percent" else cell_value(value)
        parts = simpleSplit(label, BODY_FONT, BODY_SIZE, LABEL_WIDTH)
        for part in parts[:-1]:
            flow.append(VisualLine((Cell(part, LEFT),)))
        flow.append(VisualLine((Cell(parts[-1], LEFT), Cell(shown, VALUE_RIGHT, True))))
        if number == split_after:
            flow.append(PAGE_BREAK)
    if () in table.totals:
        word = "Total général :" if len(spec.codes[0]) % 2 else "Total :"  # both are printed
        flow.append(VisualLine((Cell(word, LEFT),
                                Cell(thousands(table.totals[()]), VALUE_RIGHT, True)),
                               font=BOLD_FONT, rule_above=True))
    return flow


def _vertical_header(header: str) -> Flow:
    """"Nature Nombre de contacts": the label column's header left, the figure column's one
    (from its second capitalised word) over the figures, wrapped."""
    words = header.split()
    cut = next((i for i, word in enumerate(words) if i and word[:1].isupper()), len(words))
    left, right = " ".join(words[:cut]), " ".join(words[cut:])
    parts = simpleSplit(right, BOLD_FONT, HEADER_SIZE, VALUE_RIGHT - HEADER_RIGHT_LEFT) if right else []
    flow: Flow = []
    for index in range(max(1, len(parts))):
        cells = [Cell(left, LEFT)] if index == 0 and left else []
        if index < len(parts):
            cells.append(Cell(parts[index], HEADER_RIGHT_LEFT))
        flow.append(VisualLine(tuple(cells), font=BOLD_FONT, size=HEADER_SIZE,
                               space_before=6.0 if index == 0 else 0.0))
    return flow


# --- horizontal blocks --------------------------------------------------------------------------


def _columns(start: float, count: int) -> list[tuple[float, float]]:
    """(left, right) of `count` value columns from x = `start`."""
    lefts = [start + i * (COLUMN_WIDTH + COLUMN_GAP) for i in range(count)]
    return [(left, left + COLUMN_WIDTH) for left in lefts]


def _staircase_header(labels: list[str], columns: list[tuple[float, float]]) -> list[VisualLine]:
    """Category labels wrapped to their column, each starting on the line where the previous
    one ends ("Supérieur au" / "BAC BAC BEP/CAP Aucun" / "diplôme"), as real reports print
    them: read line by line, the labels come out whole and in order."""
    lines: list[list[Cell]] = [[]]
    line = 0
    for label, (left, _) in zip(labels, columns):
        parts = simpleSplit(label, BOLD_FONT, HEADER_SIZE, COLUMN_WIDTH)
        for offset, part in enumerate(parts):
            while len(lines) <= line + offset:
                lines.append([])
            lines[line + offset].append(Cell(part, left))
        line += len(parts) - 1
    return [VisualLine(tuple(cells), font=BOLD_FONT, size=HEADER_SIZE,
                       space_before=6.0 if index == 0 else 0.0)
            for index, cells in enumerate(lines)]


def _figure(value: int, unit: str) -> str:
    return f"{value} %" if unit == "percent" else cell_value(value)


def profile_block_lines(table: BreakdownTable) -> list[VisualLine]:
    """Labels of one dimension across the page, their figures below; the total as a last
    "Total :" column or as a "Total : N" line."""
    spec = table.spec
    labels = list(spec.labels[0]) + (["Total :"] if spec.total == TOTAL_COLUMN else [])
    columns = _columns(LEFT, len(labels))
    values = [table.grid[(code,)] for code in spec.codes[0]]
    if spec.total == TOTAL_COLUMN:
        values.append(table.totals[()])
    flow = _staircase_header(labels, columns)
    flow.append(VisualLine(tuple(Cell(_figure(value, spec.unit), right, True)
                                 for value, (_, right) in zip(values, columns))))
    if spec.total == TOTAL_LINE:
        flow.append(VisualLine((Cell(f"Total : {thousands(table.totals[()])}", LEFT),),
                               space_before=4.0))
    return flow


def cross_tab_lines(table: BreakdownTable) -> list[VisualLine]:
    """Column labels (+ "Total :"), one row per row label (+ its total), a "Total" row."""
    spec = table.spec
    (row_codes, column_codes), (row_labels, column_labels) = spec.codes, spec.labels
    with_total_column = spec.total == TOTAL_ROW_AND_COLUMN
    labels = list(column_labels) + (["Total :"] if with_total_column else [])
    columns = _columns(LEFT + ROW_LABEL_WIDTH, len(labels))
    flow = _staircase_header(labels, columns)
    column_totals = table.marginal(spec.dimensions[1])
    for number, (code, label) in enumerate(zip(row_codes, row_labels)):
        values = [table.grid[(code, column)] for column in column_codes]
        if with_total_column:
            values.append(sum(values))
        flow.append(_row(label, values, columns, spec.unit, rule_above=number == 0))
    totals = [column_totals[column] for column in column_codes]
    if with_total_column:
        totals.append(table.total)
    flow.append(_row("Total", totals, columns, spec.unit, rule_above=True, font=BOLD_FONT))
    return flow


def _row(label: str, values: list[int], columns: list[tuple[float, float]], unit: str,
         rule_above: bool = False, font: str = BODY_FONT) -> VisualLine:
    cells = (Cell(label, LEFT),) + tuple(Cell(_figure(value, unit), right, True)
                                         for value, (_, right) in zip(values, columns))
    return VisualLine(cells, font=font, rule_above=rule_above)


def commune_list_lines(table: BreakdownTable) -> list[VisualLine]:
    """Communes in two real columns, top to bottom then left to right; "Total : N" below."""
    spec = table.spec
    entries = [(label, table.grid[(code,)]) for code, label in zip(spec.codes[0], spec.labels[0])]
    half = math.ceil(len(entries) / 2)
    flow: list[VisualLine] = []
    for index in range(half):
        cells: list[Cell] = []
        for (name_x, value_x), position in zip(COMMUNE_COLUMNS, (index, index + half)):
            if position < len(entries):
                name, value = entries[position]
                cells += [Cell(name, name_x), Cell(cell_value(value), value_x, True)]
        flow.append(VisualLine(tuple(cells), space_before=6.0 if index == 0 else 0.0))
    if () in table.totals:
        flow.append(VisualLine((Cell(f"Total : {thousands(table.totals[()])}", LEFT),),
                               space_before=4.0))
    return flow
