"""The best decision a reviewer can take on a commune table left to review, as a suggestion.

Never a reading: the table stays in review until the decision is recorded (extractors/
decisions.py); then the next extraction reads it with the decided mapping entry.

- An added column whose header the layout wraps and interleaves with the known ones
  ("Nombre de jeunes en | Dont jeunes résidant | Dont jeunes sans" / "1er accueil | dans un
  Quartier | diplôme"): every header line is cut into one run of words per column, in one
  column order, each known header's runs its words in order; when exactly one column order
  and one new header fit (its content agreeing, and the reader placing the columns in that
  order), the columns are suggested, the new one as `?`.
- A moved table whose headers several mappings share ("Nombre de jeunes | Montant"): by
  elimination, the one such mapping, its content agreeing, that no table of the document is
  read with in its own section.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import permutations

from extractors.activity_report.commune_headers import (
    content_agrees,
    header_words,
    in_print_order,
    mappings_in_section,
)
from extractors.activity_report.commune_scan import CommuneTable
from extractors.activity_report.table_facts import cell_review, table_ref
from extractors.decisions import TABLE_COLUMNS, TABLE_SECTION, columns_suggestion, section_suggestion
from extractors.headings import SectionContext, label_words, printed_words
from extractors.lines import Document
from extractors.reference import normalise_label
from extractors.review import ReviewItem
from extractors.wording_rules import UNKNOWN_COLUMN, CommuneTableMapping, commune_table_mappings

_MAX_SOLUTIONS = 2  # two distinct readings of the header are enough to refuse


def added_column(table: CommuneTable, year: int, context: SectionContext | None
                 ) -> tuple[CommuneTableMapping, str] | None:
    """The one mapping of the section whose headers the table prints, interleaved with one new
    column's (after the first column): the mapping with UNKNOWN_COLUMN where the new column
    is printed, and its header as printed; None when none or several readings fit."""
    lines, tokens = _header_lines(table, year)
    printed = Counter(word for line in lines for word in line)
    found: set[tuple[tuple[str, ...], tuple[str, ...]]] = set()
    for mapping in mappings_in_section(context, year):
        if UNKNOWN_COLUMN in mapping.indicators:
            continue
        editions = [year] if year in mapping.header_labels else sorted(mapping.header_labels, reverse=True)
        for edition in editions:
            labels = mapping.header_labels[edition]
            if not Counter(label_words(" ".join(labels), year)) < printed:
                continue
            for columns in _column_orders(len(labels)):
                runs = [None if column is None else printed_words(labels[column], year) for column in columns]
                for new in _new_column_words(lines, runs):
                    header = " ".join(tokens[line][word] for line, word in new)
                    indicators = tuple(UNKNOWN_COLUMN if c is None else mapping.indicators[c] for c in columns)
                    headers = tuple(header if c is None else labels[c] for c in columns)
                    extended = CommuneTableMapping(indicators, {year: headers}, mapping.section)
                    if content_agrees(table, extended) and \
                            in_print_order(table, extended, year).indicators == indicators:
                        found.add((indicators, headers))
                if len(found) > 1:
                    return None
    if len(found) != 1:
        return None
    indicators, headers = found.pop()
    section = next(mapping.section for mapping in mappings_in_section(context, year)
                   if set(mapping.indicators) == set(indicators) - {UNKNOWN_COLUMN})
    return CommuneTableMapping(indicators, {year: headers}, section), headers[indicators.index(UNKNOWN_COLUMN)]


def placement_by_elimination(table: CommuneTable, year: int, taken: set[tuple[str, ...]]
                             ) -> CommuneTableMapping | None:
    """For a table printed outside its section whose headers several mappings (each named by
    its section) share: the one of them, its content agreeing, not read in its own section."""
    words = header_words(table, year)
    fits = {mapping.indicators: mapping for mapping in commune_table_mappings()
            if UNKNOWN_COLUMN not in mapping.indicators and mapping.section is not None
            and words in mapping.header_words(year) and content_agrees(table, mapping)}
    free = [mapping for indicators, mapping in fits.items() if indicators not in taken]
    return free[0] if len(fits) > 1 and len(free) == 1 else None


def _header_lines(table: CommuneTable, year: int) -> tuple[list[tuple[str, ...]], list[list[str]]]:
    """Each header line's normalised words ("Commune" left out) and, word for word, the words
    as printed (the normalised ones when the two do not align)."""
    lines, tokens = [], []
    for number, text in enumerate(table.header_parts or (table.header_text,)):
        words = list(printed_words(text, year))
        original = re.findall(r"[^\W_]+", text)
        if len(original) != len(words) or any(normalise_label(o) != w for o, w in zip(original, words)
                                              if w != "{year}"):
            original = list(words)
        if number == 0 and words[:1] == ["commune"]:
            words, original = words[1:], original[1:]
        lines.append(tuple(words))
        tokens.append(original)
    return lines, tokens


def _column_orders(known: int) -> Iterator[list[int | None]]:
    """Every order of the known columns with the new one (None) after the first column."""
    for order in permutations(range(known)):
        for place in range(1, known + 1):
            yield [*order[:place], None, *order[place:]]


def _new_column_words(lines: list[tuple[str, ...]], runs: list[tuple[str, ...] | None]
                      ) -> Iterator[list[tuple[int, int]]]:
    """Every cut of the header lines into one run per column, in this order, each known
    column's runs its header's words in order and whole by the last line: where the new
    column's (None) words are printed, (line, word) each. At most _MAX_SOLUTIONS distinct."""
    seen: set[tuple[tuple[int, int], ...]] = set()

    def cut(line: int, offset: int, column: int, done: tuple[int, ...], new: tuple[tuple[int, int], ...]):
        if len(seen) >= _MAX_SOLUTIONS:
            return
        if line == len(lines):
            if new and all(runs[c] is None or done[c] == len(runs[c]) for c in range(len(runs))):
                seen.add(new)
            return
        words = lines[line]
        if column == len(runs):
            if offset == len(words):
                cut(line + 1, 0, 0, done, new)
            return
        label = runs[column]
        if label is None:
            for end in range(offset, len(words) + 1):
                cut(line, end, column + 1, done, new + tuple((line, w) for w in range(offset, end)))
            return
        length = 0
        while offset + length < len(words) and done[column] + length < len(label) \
                and words[offset + length] == label[done[column] + length]:
            length += 1
        for taken in range(length, -1, -1):
            moved = done[:column] + (done[column] + taken,) + done[column + 1:]
            cut(line, offset + taken, column + 1, moved, new)

    cut(0, 0, 0, tuple(0 for _ in runs), ())
    yield from (list(new) for new in sorted(seen))


def table_suggestion(document: Document, table: CommuneTable, year: int, structure: str,
                     context: SectionContext | None, taken: set[tuple[str, ...]]) -> ReviewItem | None:
    """The review item, on the table's header line, that carries the suggested decision on a
    commune table left to review (extractors/decisions.py); None when nothing fits for sure."""
    if (layout := added_column(table, year, context)) is not None:
        mapping, header = layout
        known = "/".join(code for code in mapping.indicators if code != UNKNOWN_COLUMN)
        return cell_review(
            document, table.header_line, "unrecognised_table",
            f"column headers {table.header_text.strip()!r} are those of {known} interleaved with "
            f"{header!r}, which no mapping knows: accept to read the table by its columns in this "
            "order, the new column's cells kept for review",
            " ".join(table.header_text.split()), None, year, structure, indicator=known.split("/")[0],
            dimension=TABLE_COLUMNS, label=header, suggestion=columns_suggestion(mapping.indicators),
            table=table_ref(known.split("/")[0], table.header_line))
    if (mapping := placement_by_elimination(table, year, taken)) is not None:
        return cell_review(
            document, table.header_line, "unrecognised_table",
            f"column headers {table.header_text.strip()!r} are shared by several mappings; printed "
            f"under {str(context)!r}, and only {'/'.join(mapping.indicators)} is read nowhere else "
            "in the document: accept to read it with that mapping in this section",
            " ".join(table.header_text.split()), None, year, structure, indicator=mapping.indicators[0],
            dimension=TABLE_SECTION, label=str(context), suggestion=section_suggestion(mapping.indicators),
            table=table_ref(mapping.indicators[0], table.header_line))
    return None
