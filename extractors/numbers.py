"""Reading the figures of a table row, where spaces separate both thousands and columns.

`Lambersart 1 168 436` is 1 168 and 436, or 1 and 168 436: the text alone cannot say. Each row
gets every possible reading; `resolve_table` keeps the combination of readings that the
table's own constraints (stated totals, "dont" columns not above their main column) allow,
and refuses to choose when several or none remain.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from decimal import Decimal

ZERO_MARK = "/"  # a "/" cell means none
# Cells that print "none" the way "/" does (a dash is the French typographic "néant").
_ZERO_MARKS = frozenset({ZERO_MARK, "-", "–", "—"})
# Digits, with a decimal comma on the last group of an amount ("2 120,15").
_NUMBER_TOKEN = re.compile(r"^\d+(?:,\d+)?$")
# A footnote call glued to a figure: "12*", "12**", "12(1)", "12¹".
_FOOTNOTE_CALL = re.compile(r"(?<=\d)(?:\*{1,3}|\(\d{1,2}\)|[¹²³])$")
# "1.234", "12.345.678": a dot between thousands groups. A count has no decimals, and French
# decimals take a comma, so this reading is the only one; "1.5" or "1.23" are not read.
_DOTTED_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_MAX_COMBINATIONS = 200_000
# The most tokens one printed number spans: a head and five thousands groups (up to 10^18, past
# any figure of a report). Without this bound a line of thousands of "123" tokens makes every
# reading a longer string of digits: quadratic time, and ints past Python's 4,300-digit limit.
MAX_NUMBER_TOKENS = 6

Number = int | Decimal  # Decimal only for figures printed with a decimal comma: sums stay exact
Reading = tuple[Number, ...]


def value_token(token: str) -> str | None:
    """A printed cell token as the reader's token: footnote calls dropped ("12*" -> "12"),
    dotted thousands joined ("1.234" -> "1234"), dashes as ZERO_MARK; None if not a value."""
    if token in _ZERO_MARKS:
        return ZERO_MARK
    token = _FOOTNOTE_CALL.sub("", token)
    if _DOTTED_THOUSANDS.match(token):
        token = token.replace(".", "")
    return token if _NUMBER_TOKEN.match(token) else None


def split_cells(text: str) -> list[str] | None:
    """The value tokens of a row's tail ("1 168 436", "39 15 728 €"), as `value_token`s;
    None if it holds words."""
    tokens = [value_token(token) for token in text.replace("€", " ").split()]
    if not tokens or None in tokens:
        return None
    return tokens


def readings(tokens: list[str], columns: int) -> list[Reading]:
    """Every way to read `tokens` as `columns` numbers (thousands groups are 3 digits; a group
    with a decimal comma ends its number)."""
    found: list[Reading] = []
    tokens = [value_token(token) or token for token in tokens]

    def walk(start: int, values: tuple[int, ...]) -> None:
        if len(values) == columns:
            if start == len(tokens):
                found.append(values)
            return
        if start >= len(tokens):
            return
        head = tokens[start]
        if head == ZERO_MARK:
            walk(start + 1, values + (0,))
            return
        integer = _integer_part(head)
        if len(integer) > 3 or (len(integer) > 1 and integer.startswith("0")) or "," in head:
            if not integer.startswith("0") or integer == "0":  # "1168": no separator, stands alone
                walk(start + 1, values + (_number(head),))
            return
        digits = head
        walk(start + 1, values + (_number(digits),))
        if head == "0":
            return
        for end in range(start + 1, min(len(tokens), start + MAX_NUMBER_TOKENS)):
            if len(_integer_part(tokens[end])) != 3 or tokens[end] == ZERO_MARK:
                break
            digits += tokens[end]
            walk(end + 1, values + (_number(digits),))
            if "," in tokens[end]:
                break

    walk(0, ())
    return found


def gap_readings(tokens: list[str], columns: int) -> list[Reading]:
    """For a row printing fewer figures than its columns (an empty cell, or one "/" standing
    for several columns): every reading with the missing columns as none (0), wherever they
    are. Only the table's totals can tell which; empty when `readings` has any."""
    if readings(tokens, columns):
        return []
    found: list[Reading] = []
    for printed in range(1, columns):
        for reading in readings(tokens, printed):
            for places in itertools.combinations(range(columns), printed):
                values = dict(zip(places, reading))
                spread = tuple(values.get(column, 0) for column in range(columns))
                if spread not in found:
                    found.append(spread)
    return found


def _integer_part(token: str) -> str:
    return token.split(",", 1)[0]


def _number(digits: str) -> Number:
    return Decimal(digits.replace(",", ".")) if "," in digits else int(digits)


@dataclass
class TableReading:
    """The outcome of resolving a table: one reading per row and for the total, or why not."""

    rows: list[Reading] | None
    total: Reading | None
    mismatched_columns: set[int] = field(default_factory=set)  # stated total != sum of rows
    resolved_rows: set[int] = field(default_factory=set)  # rows that needed the totals
    problem: str | None = None
    candidates: list[str] = field(default_factory=list)


def resolve_table(
    row_candidates: list[list[Reading]],
    total_candidates: list[Reading],
    subordinate_columns: set[int],
) -> TableReading:
    """Choose each row's reading so that the columns add up to the stated total.

    `subordinate_columns` are "dont" columns: a part of column 0, never above it.
    A row or total with no reading at all, several consistent combinations, or no consistent
    combination while some row is ambiguous, gives a `problem` and no values.
    """
    def plausible(reading: Reading) -> bool:
        return all(reading[col] <= reading[0] for col in subordinate_columns)

    rows = [[r for r in options if plausible(r)] or options for options in row_candidates]
    totals = [t for t in total_candidates if plausible(t)] or total_candidates
    for index, options in enumerate(rows):
        if not options:
            return TableReading(None, None, problem=f"row {index + 1} cannot be read as numbers")
    if not totals:
        return TableReading(None, None, problem="the stated total cannot be read as numbers")

    combinations = 1
    for options in rows + [totals]:
        combinations *= len(options)
    if combinations > _MAX_COMBINATIONS:
        return TableReading(None, None, problem=f"too many possible readings ({combinations})")

    consistent = [
        (choice, total)
        for choice in itertools.product(*rows)
        for total in totals
        if all(sum(row[col] for row in choice) == total[col] for col in range(len(total)))
    ]
    ambiguous_rows = {index for index, options in enumerate(rows) if len(options) > 1}
    if len(consistent) == 1:
        choice, total = consistent[0]
        resolved = {index for index, options in enumerate(row_candidates) if len(options) > 1}
        return TableReading(list(choice), total, resolved_rows=resolved)
    if not consistent and not ambiguous_rows and len(totals) == 1:
        chosen = [options[0] for options in rows]
        total = totals[0]
        mismatched = {col for col in range(len(total)) if sum(r[col] for r in chosen) != total[col]}
        resolved = {index for index, options in enumerate(row_candidates) if len(options) > 1}
        return TableReading(chosen, total, mismatched_columns=mismatched, resolved_rows=resolved)
    described = [f"row {i + 1}: " + " | ".join(map(show_reading, rows[i])) for i in sorted(ambiguous_rows)]
    if len(totals) > 1:
        described.append("total: " + " | ".join(map(show_reading, totals)))
    reason = ("several readings add up to the stated total" if consistent
              else "no reading adds up to the stated total")
    return TableReading(None, None, problem=f"ambiguous figures: {reason}", candidates=described)


def show_reading(reading: Reading) -> str:
    """A reading as printed in messages: "1 234 / 56,5"."""
    return " / ".join(f"{value:,}".replace(",", " ").replace(".", ",") for value in reading)
