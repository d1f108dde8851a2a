"""A commune table that prints some of a mapping's columns only (a later edition dropped one).

Its headers are then, word for word, those of some columns of exactly one mapping (of its
section); when its content agrees (as many figures in every row and in the stated total, € in
the rows exactly when an amount column is kept), it is read with those columns, each by its
header, and the caller reports the new layout. Never guessed: a header that is not exactly
a subset of one mapping's, or that fits several, leaves the table to review.
"""

from __future__ import annotations

from itertools import combinations

from extractors.activity_report.commune_headers import content_agrees, header_words, mappings_in_section
from extractors.activity_report.commune_scan import CommuneTable
from extractors.headings import SectionContext, label_words
from extractors.wording_rules import CommuneTableMapping


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
