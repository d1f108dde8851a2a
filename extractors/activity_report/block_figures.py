"""A profile block's figures: every reading of its lines, chosen by the totals printed with it.

Nothing is guessed: a block whose readings the totals do not settle raises BlockProblem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from extractors.activity_report.block_scan import Block, BlockProblem
from extractors.lines import Line
from extractors.numbers import ZERO_MARK, readings, resolve_table, show_reading

_COUNT_TOKEN = re.compile(r"^(?:\d+|/)$")

Value = int | Decimal
Row = tuple[Value, ...]


@dataclass
class Figures:
    """A block's figures once read: a grid of cells and the totals printed with it."""

    cells: list[Row]  # one per body row, one value per header label
    row_totals: list[Value | None]  # the "Total :" column of each row, if printed
    column_totals: Row | None  # the "Total" row of a cross-tab (without the grand total)
    grand_total: Value | None
    percent: bool
    resolved_lines: set[tuple[int | None, int]]  # (page, line) of lines that needed the totals


def _line_readings(tokens: list[str], width: int) -> tuple[bool, list[Row]]:
    """Every reading of a line's figures as `width` values; percents end with "%"."""
    if not any("%" in token for token in tokens):
        if not all(_COUNT_TOKEN.match(token) for token in tokens):
            return False, []
        return False, readings(tokens, width)
    groups: list[list[str]] = [[]]
    for token in tokens:
        number = token.rstrip("%")
        if number:
            groups[-1].append(number)
        if token.endswith("%"):
            if not groups[-1]:
                return True, []
            groups.append([])
    if groups[-1] or len(groups) - 1 != width:
        return True, []  # a figure without its "%"
    values: list[Value] = []
    for group in groups[:-1]:
        options = readings(group, 1) if all(t == ZERO_MARK or t[0].isdigit() for t in group) else []
        if len(options) != 1:
            return True, []
        values.append(options[0][0])
    return True, [tuple(values)]


def _describe(line: Line, options: list[Row]) -> str:
    return f"line {line.number}: " + " | ".join(show_reading(option) for option in options)


def read_figures(block: Block) -> Figures:
    """Read the block's figures, using every constraint printed with it; raise BlockProblem."""
    if block.header is None:
        columns, has_total_column = 1, False
    else:
        columns, has_total_column = len(block.header.labels), block.header.has_total
    width = columns + (1 if has_total_column else 0)
    options, kinds = [], set()
    for row in block.rows:
        percent, row_options = _line_readings(row.tokens, width)
        kinds.add(percent)
        if not row_options:
            raise BlockProblem(row.line, f"{block.describe}: cannot read {width} figure(s) "
                                         f"from {' '.join(row.tokens)!r}; block not extracted")
        options.append(row_options)
    total_options: list[Row] | None = None
    if block.total_line is not None:
        # a cross-tab's "Total" row is a row of column totals; elsewhere the total is one figure
        total_width = width if block.row_dimension is not None else 1
        percent, total_options = _line_readings(block.total_tokens, total_width)
        kinds.add(percent)
        if not total_options:
            raise BlockProblem(block.total_line, f"{block.describe}: cannot read {total_width} "
                               f"figure(s) from the stated total "
                               f"{' '.join(block.total_tokens)!r}; block not extracted")
    if len(kinds) > 1:
        raise BlockProblem(block.first_line, f"{block.describe}: percents and counts mixed")
    percent = kinds.pop()

    if block.header is None:
        return _read_commune_list(block, options, total_options, percent)
    if block.row_dimension is not None:
        return _read_crosstab(block, options, total_options, columns, has_total_column, percent)
    return _read_line(block, options, total_options, columns, has_total_column, percent)


def line_place(line: Line) -> tuple[int | None, int]:
    return line.page, line.number


def _sums_to_total(row: Row, columns: int) -> bool:
    return sum(row[:columns]) == row[columns]


def _read_crosstab(block, options, total_options, columns, has_total_column, percent) -> Figures:
    """Rows of a cross-tab: each row's own total first, then the column totals (resolve_table)."""
    filtered = []
    for row_options in options:
        kept = row_options
        if has_total_column:
            kept = [option for option in row_options if _sums_to_total(option, columns)] or row_options
        filtered.append(kept)
    if total_options is not None:
        totals = total_options
        if has_total_column:
            totals = [option for option in totals if _sums_to_total(option, columns)] or totals
        reading = resolve_table(filtered, totals, set())
        if reading.problem:
            raise BlockProblem(block.first_line, f"{block.describe}: {reading.problem}; "
                                                 "block not extracted", tuple(reading.candidates))
        chosen, total = reading.rows, reading.total
    else:
        ambiguous = [_describe(row.line, row_options)
                     for row, row_options in zip(block.rows, filtered) if len(row_options) > 1]
        if ambiguous:
            raise BlockProblem(block.first_line, f"{block.describe}: ambiguous figures and no "
                                                 "stated total to choose; block not extracted",
                               tuple(ambiguous))
        chosen, total = [row_options[0] for row_options in filtered], None
    resolved = {line_place(row.line) for row, row_options in zip(block.rows, options)
                if len(row_options) > 1}
    if total_options is not None and len(total_options) > 1:
        resolved.add(line_place(block.total_line))
    return Figures(
        cells=[row[:columns] for row in chosen],
        row_totals=[row[columns] if has_total_column else None for row in chosen],
        column_totals=total[:columns] if total is not None else None,
        grand_total=total[columns] if total is not None and has_total_column else None,
        percent=percent, resolved_lines=resolved,
    )


def _read_commune_list(block, options, total_options, percent) -> Figures:
    """One figure per commune (in one column, a line has at most one reading)."""
    for row, row_options in zip(block.rows, options):
        if len(row_options) != 1:
            raise BlockProblem(row.line, f"{block.describe}: ambiguous figure "
                                         f"{' '.join(row.tokens)!r}; block not extracted",
                               (_describe(row.line, row_options),))
    if total_options is not None and len(total_options) != 1:
        raise BlockProblem(block.total_line, f"{block.describe}: ambiguous stated total; block "
                                             "not extracted",
                           (_describe(block.total_line, total_options),))
    cells = [row_options[0] for row_options in options]
    grand = total_options[0][0] if total_options is not None else None
    return Figures(cells, [None] * len(cells), None, grand, percent, set())


def _read_line(block, options, total_options, columns, has_total_column, percent) -> Figures:
    """One line of figures, its "Total :" column and/or its "Total : N" line."""
    [row_options] = options
    combos = [(row, total) for row in row_options for total in (total_options or [None])]

    def consistent(combo) -> bool:
        row, total = combo
        if has_total_column and not _sums_to_total(row, columns):
            return False
        if total is not None:
            stated = row[columns] if has_total_column else sum(row[:columns])
            return stated == total[0]
        return True

    kept = [combo for combo in combos if consistent(combo)]
    constrained = has_total_column or total_options is not None
    if len(kept) != 1 and not (not kept and len(combos) == 1):
        if not constrained:
            reason = "several readings of the figures and no stated total to choose"
        elif kept:
            reason = "several readings add up to the stated total"
        else:
            reason = "no reading adds up to the stated total"
        candidates = [_describe(block.rows[0].line, row_options)]
        if total_options is not None and len(total_options) > 1:
            candidates.append(_describe(block.total_line, total_options))
        raise BlockProblem(block.first_line, f"{block.describe}: ambiguous figures: {reason}; "
                                             "block not extracted", tuple(candidates))
    row, total = (kept or combos)[0]
    resolved = {line_place(block.rows[0].line)} if len(row_options) > 1 else set()
    if total_options is not None and len(total_options) > 1:
        resolved.add(line_place(block.total_line))
    return Figures(
        cells=[row[:columns]],
        row_totals=[row[columns] if has_total_column else None],
        column_totals=None,
        grand_total=total[0] if total is not None else None,
        percent=percent, resolved_lines=resolved,
    )
