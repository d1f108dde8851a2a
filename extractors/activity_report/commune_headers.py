"""Which mapping a commune table's column headers name, and in which order it prints them.

Headers are matched to catalogue indicators through the year-keyed mapping file, as bags of
words (the layout splits and interleaves them), never by position in the report.
"""

from __future__ import annotations

from extractors.activity_report.commune_scan import CommuneTable
from extractors.catalogue import load_catalogue
from extractors.headings import SectionContext, label_words, printed_words
from extractors.numbers import gap_readings, readings
from extractors.wording_rules import UNKNOWN_COLUMN, CommuneTableMapping, commune_table_mappings

# Headers of a drifted edition are matched to the closest known ones when they share at least
# this share of their words (Jaccard), and the next closest is at least the margin behind.
APPROXIMATE_MATCH = 0.6
APPROXIMATE_MARGIN = 0.15
# Words of a header that say how, not what, it counts: left out of the similarity.
_FUNCTION_WORDS = frozenset("a au aux d de des du dont en et l la le les nombre total effectif "
                            "{year}".split())


def match_mapping(table: CommuneTable, year: int,
                   context: SectionContext | None) -> CommuneTableMapping | None:
    """The mapping whose headers (and, if it names one, section) match the table."""
    words = header_words(table, year)
    for mapping in _in_section(context, year):
        if words in mapping.header_words(year):
            return mapping
    return None


def moved_mapping(table: CommuneTable, year: int, taken: set[tuple[str, ...]]
                  ) -> CommuneTableMapping | None:
    """For a table printed outside the section its mapping names (moved by a later edition):
    the one mapping of any section whose headers it prints exactly, its content agreeing,
    when no table of the document is read with that mapping in its own section (`taken`)."""
    words = header_words(table, year)
    fits = {mapping.indicators: mapping for mapping in commune_table_mappings()
            if UNKNOWN_COLUMN not in mapping.indicators
            and words in mapping.header_words(year) and content_agrees(table, mapping)}
    if len(fits) != 1:
        return None
    mapping = next(iter(fits.values()))
    return mapping if mapping.section is not None and mapping.indicators not in taken else None


def header_words(table: CommuneTable, year: int) -> tuple[str, ...]:
    """The table's column headers as a sorted bag of words, "Commune" left out."""
    return tuple(sorted(_drop_once(label_words(table.header_text, year), "commune")))


def mappings_in_section(context: SectionContext | None, year: int) -> list[CommuneTableMapping]:
    """The mappings a table printed in `context` may be read with when its headers drifted:
    one per set of indicators, those of a reviewer's decision on one printed layout (a column
    of review, matched exactly only) aside, so that a decision never competes with its own
    mapping for another table."""
    found: dict[tuple[str, ...], CommuneTableMapping] = {}
    for mapping in _in_section(context, year):
        if UNKNOWN_COLUMN not in mapping.indicators:
            found.setdefault(mapping.indicators, mapping)
    return list(found.values())


def _in_section(context: SectionContext | None, year: int) -> list[CommuneTableMapping]:
    return [mapping for mapping in commune_table_mappings()
            if mapping.section is None or (context and mapping.section.matches(context, year))]


def approximate_mapping(table: CommuneTable, year: int, context: SectionContext | None
                         ) -> tuple[CommuneTableMapping, float] | None:
    """For an edition whose headers drifted ("Quartier Politique" -> "Quartier Prioritaire de la
    Politique"): the one mapping whose known headers share most words with the table's, if it
    shares at least APPROXIMATE_MATCH of them, its content agrees (`content_agrees`) and no
    other such mapping comes close. The caller reports the match, so that the new wording gets
    into the mapping file."""
    words = set(header_words(table, year))
    candidates = [mapping for mapping in mappings_in_section(context, year)
                  if content_agrees(table, mapping)]
    scored = sorted(
        ((max(_similarity(words, set(known)) for known in mapping.header_words(year)), index)
         for index, mapping in enumerate(candidates)), reverse=True)
    if not scored or scored[0][0] < APPROXIMATE_MATCH:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < APPROXIMATE_MARGIN:
        return None  # two mappings fit about as well: not guessed
    return candidates[scored[0][1]], scored[0][0]


def content_agrees(table: CommuneTable, mapping: CommuneTableMapping) -> bool:
    """Whether the table's cells could be the mapping's: as many columns in the stated total
    and in every row (an empty cell allowed), and amounts (€) printed exactly when the mapping
    has an amount column."""
    columns = len(mapping.indicators)
    if table.total_cells is None or not readings(table.total_cells, columns):
        return False
    if not all(readings(row.cells, columns) or gap_readings(row.cells, columns)
               for row in table.rows):
        return False
    catalogue = load_catalogue()
    has_amount = any(code in catalogue and catalogue[code].unit == "eur" for code in mapping.indicators)
    prints_euros = any("€" in row.line.text for row in table.rows)
    return has_amount == prints_euros


def _similarity(a: set[str], b: set[str]) -> float:
    """Jaccard similarity of two headers' content words (what they count, not "nombre de")."""
    a, b = a - _FUNCTION_WORDS, b - _FUNCTION_WORDS
    return len(a & b) / len(a | b) if a | b else 0.0


def _drop_once(words: tuple[str, ...], word: str) -> list[str]:
    remaining = list(words)
    if word in remaining:
        remaining.remove(word)
    return remaining


def in_print_order(table: CommuneTable, mapping: CommuneTableMapping, year: int
                    ) -> CommuneTableMapping:
    """The mapping with its columns in the order the table prints their headers: a value
    must land in its column's indicator even when an edition swaps two columns. A header is
    placed where its longest first words are printed (a layout that prints the columns side
    by side interleaves their lines, first lines first). When no order can be told (reworded
    headers), the mapping's."""
    printed = printed_words(table.header_text, year)
    editions = [year] if year in mapping.header_labels else sorted(mapping.header_labels, reverse=True)
    for edition in editions:
        labels = mapping.header_labels[edition]
        places = _places(printed, [printed_words(label, year) for label in labels])
        if None in places or len(set(places)) != len(places):
            continue
        order = sorted(range(len(labels)), key=lambda column: places[column])
        return CommuneTableMapping(tuple(mapping.indicators[column] for column in order),
                                   {edition: tuple(labels[column] for column in order)},
                                   mapping.section)
    return mapping


def _places(words: tuple[str, ...], labels: list[tuple[str, ...]]) -> list[int | None]:
    """Where each label's longest start (two words at least, or the whole label) is printed,
    the longest first, none over words another label took; None where a label is not found."""
    places: list[int | None] = [None] * len(labels)
    taken: set[int] = set()
    pending = set(range(len(labels)))
    while pending:
        found = [(found, column) for column in sorted(pending)
                 if (found := _longest_start(words, labels[column], taken)) is not None]
        if not found:
            break
        (length, start), column = max(found, key=lambda item: item[0][0])
        places[column] = start
        taken.update(range(start, start + length))
        pending.remove(column)
    return places


def _longest_start(words: tuple[str, ...], label: tuple[str, ...], taken: set[int]
                   ) -> tuple[int, int] | None:
    """(length, place) of the longest start of `label` printed over words not taken."""
    for length in range(len(label), min(2, len(label)) - 1, -1):
        for start in range(len(words) - length + 1):
            if words[start:start + length] == label[:length] and \
                    not taken.intersection(range(start, start + length)):
                return length, start
    return None


def labels_for(mapping: CommuneTableMapping, year: int) -> tuple[str, ...]:
    edition = year if year in mapping.header_labels else max(mapping.header_labels)
    return mapping.header_labels[edition]
