"""A commune table that prints some of a mapping's columns only, or one more (a later edition
dropped or added a detail column).

Its headers are then, word for word, those of some columns of exactly one mapping (of its
section); when its content agrees (as many figures in every row and in the stated total, € in
the rows exactly when an amount column is kept), it is read with those columns, each by its
header, and the caller reports the new layout. Never guessed: a header that is not exactly
a subset of one mapping's, or that fits several, leaves the table to review. A table that
prints every header of one mapping whole plus one more is read by its known headers; the new
column's cells are kept as review items.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

from extractors.activity_report.commune_headers import content_agrees, header_words, mappings_in_section
from extractors.activity_report.commune_scan import CommuneTable
from extractors.headings import SectionContext, label_words, printed_words
from extractors.wording_rules import UNKNOWN_COLUMN, CommuneTableMapping


def column_subset(table: CommuneTable, year: int, context: SectionContext | None
                  ) -> tuple[CommuneTableMapping, tuple[str, ...]] | None:
    """The one mapping restricted to the columns whose headers the table prints, and the
    headers of the columns it does not print; None when none or several fit."""
    words = header_words(table, year)
    found: dict[tuple[str, ...], tuple[CommuneTableMapping, tuple[str, ...]]] = {}
    for mapping in mappings_in_section(context, year):
        editions = [year] if year in mapping.header_labels else sorted(mapping.header_labels, reverse=True)
        for edition in editions:
            labels = mapping.header_labels[edition]
            for size in range(1, len(labels)):
                for kept in combinations(range(len(labels)), size):
                    if label_words(" ".join(labels[c] for c in kept), year) != words:
                        continue
                    subset = CommuneTableMapping(
                        tuple(mapping.indicators[c] for c in kept),
                        {edition: tuple(labels[c] for c in kept)}, mapping.section)
                    if content_agrees(table, subset):
                        dropped = tuple(labels[c] for c in range(len(labels)) if c not in kept)
                        found.setdefault(subset.indicators, (subset, dropped))
    return next(iter(found.values())) if len(found) == 1 else None


def column_superset(table: CommuneTable, year: int, context: SectionContext | None
                    ) -> tuple[CommuneTableMapping, str] | None:
    """The one mapping whose every header the table prints whole, plus one more column: the
    mapping with UNKNOWN_COLUMN where that column is printed (after the first), and the new
    column's header; None when none or several fit, or the place of the new column is unclear."""
    words = Counter(header_words(table, year))
    printed = printed_words(table.header_text, year)
    found: dict[tuple[str, ...], tuple[CommuneTableMapping, str]] = {}
    for mapping in mappings_in_section(context, year):
        editions = [year] if year in mapping.header_labels else sorted(mapping.header_labels, reverse=True)
        for edition in editions:
            labels = mapping.header_labels[edition]
            known = Counter(label_words(" ".join(labels), year))
            if not known < words:
                continue
            extended = _with_new_column(printed, labels, mapping, edition, year)
            if extended is not None and content_agrees(table, extended[0]):
                found.setdefault(extended[0].indicators, extended)
    return next(iter(found.values())) if len(found) == 1 else None


def _with_new_column(printed: tuple[str, ...], labels: tuple[str, ...], mapping: CommuneTableMapping,
                     edition: int, year: int) -> tuple[CommuneTableMapping, str] | None:
    """Each known header found whole in the printed words; the words left (but "commune")
    are the new column, placed at its first word; None when that is first or ambiguous."""
    taken: set[int] = set()
    places = []
    for label in sorted(range(len(labels)), key=lambda c: -len(printed_words(labels[c], year))):
        words = printed_words(labels[label], year)
        start = next((s for s in range(len(printed) - len(words) + 1)
                      if printed[s:s + len(words)] == words and not taken & set(range(s, s + len(words)))),
                     None)
        if start is None:
            return None
        taken.update(range(start, start + len(words)))
        places.append((start, label))
    left = [p for p in range(len(printed)) if p not in taken and printed[p] != "commune"]
    if not left or min(left) < min(places)[0]:
        return None
    order = sorted(places + [(min(left), None)])
    header = " ".join(printed[p] for p in left)
    indicators = tuple(UNKNOWN_COLUMN if c is None else mapping.indicators[c] for _, c in order)
    headers = tuple(header if c is None else labels[c] for _, c in order)
    return CommuneTableMapping(indicators, {edition: headers}, mapping.section), header
