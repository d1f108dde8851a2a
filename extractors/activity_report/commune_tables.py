"""Commune tables of an activity report: "Commune | count | dont ..." rows and a stated total.

Tables are found by commune_scan.py; here their headers are matched to catalogue indicators
through the year-keyed mapping file, never by position in the report, and their figures read.
"""

from __future__ import annotations

from extractors.activity_report.commune_scan import (
    CommuneRow,
    CommuneTable,
    closest_commune,
    find_commune_tables,
)
from extractors.activity_report.table_facts import (
    TableOutput,
    cell_review,
    drifted_wording,
    line_issue,
    table_fact,
    table_ref,
    unrecognised_cells,
)
from extractors.documents import Document, Line
from extractors.facts import (
    FLAG_EXPLAINED_BY_FOOTNOTE,
    FLAG_RESOLVED_BY_CONSTRAINTS,
    FLAG_SOURCE_TOTAL_MISMATCH,
    FLAG_UNMAPPED_LABEL,
    UNMAPPED_CODE,
    ExtractionIssue,
    Fact,
    Severity,
)
from extractors.headings import SectionContext, label_words, printed_words
from extractors.numbers import Reading, readings, resolve_table, show_reading
from extractors.reference import normalise_label
from extractors.review import ReviewItem
from extractors.wording_rules import CommuneTableMapping, commune_table_mappings

# Headers of a drifted edition are matched to the closest known ones when they share at least
# this share of their words (Jaccard), and the next closest is at least the margin behind.
APPROXIMATE_MATCH = 0.6
APPROXIMATE_MARGIN = 0.15


def _match_mapping(table: CommuneTable, year: int,
                   context: SectionContext | None) -> CommuneTableMapping | None:
    """The mapping whose headers (and, if it names one, section) match the table."""
    words = _header_words(table, year)
    for mapping in _in_section(context, year):
        if words in mapping.header_words(year):
            return mapping
    return None


def _header_words(table: CommuneTable, year: int) -> tuple[str, ...]:
    return tuple(sorted(_drop_once(label_words(table.header_text, year), "commune")))


def _in_section(context: SectionContext | None, year: int) -> list[CommuneTableMapping]:
    return [mapping for mapping in commune_table_mappings()
            if mapping.section is None or (context and mapping.section.matches(context, year))]


def _approximate_mapping(table: CommuneTable, year: int, context: SectionContext | None
                         ) -> tuple[CommuneTableMapping, float] | None:
    """For an edition whose headers drifted ("Quartier Politique" -> "Quartier Prioritaire de la
    Politique"): the one mapping whose known headers share most words with the table's, if it
    shares at least APPROXIMATE_MATCH of them and no other mapping comes close. The caller
    reports the match, so that the new wording gets into the mapping file."""
    words = set(_header_words(table, year))
    scored = sorted(
        ((max(_similarity(words, set(known)) for known in mapping.header_words(year)), index)
         for index, mapping in enumerate(_in_section(context, year))), reverse=True)
    if not scored or scored[0][0] < APPROXIMATE_MATCH:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < APPROXIMATE_MARGIN:
        return None  # two mappings fit about as well: not guessed
    return _in_section(context, year)[scored[0][1]], scored[0][0]


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _drop_once(words: tuple[str, ...], word: str) -> list[str]:
    remaining = list(words)
    if word in remaining:
        remaining.remove(word)
    return remaining


def extract_commune_tables(
    document: Document, year: int, structure: str, units: dict[str, str],
    contexts: list[SectionContext] | None = None,
) -> tuple[list[Fact], list[ExtractionIssue], list[ReviewItem]]:
    """Facts of every mapped commune table; an issue for everything that is not extracted; a
    review item for every row whose printed name is no known commune."""
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    review_items: list[ReviewItem] = []
    seen_indicators: dict[tuple[str, ...], Line] = {}

    def issue(line: Line, reason: str, severity: Severity = "error", candidates=()) -> None:
        issues.append(line_issue(document, line, reason, severity, year, structure, candidates))

    for table in find_commune_tables(document.lines, year):
        context = contexts[table.header_index] if contexts else None
        mapping = _match_mapping(table, year, context)
        if mapping is None and table.total_line is None:
            continue  # a commune list without a stated total: profile_blocks reads those
        if mapping is None and (approximate := _approximate_mapping(table, year, context)):
            mapping, similarity = approximate
            reason = (f"column headers {table.header_text.strip()!r} are not in the mapping file "
                      f"for {year}; read as {'/'.join(mapping.indicators)} (closest known headers, "
                      f"{similarity:.0%} of words shared): add this wording to "
                      "extractors/mappings/ml_activity_report.yaml")
            issue(table.header_line, reason, severity="warning")
            review_items.append(drifted_wording(
                document, table.header_line, " ".join(table.header_text.split()),
                mapping.indicators[0], reason, year, structure,
                table_ref(mapping.indicators[0], table.header_line)))
        if mapping is None:
            reason = ("commune table whose column headers are not in the mapping file, not "
                      f"extracted: {table.header_text.strip()!r}")
            issue(table.header_line, reason, severity="warning")
            review_items.extend(unrecognised_cells(document, _printed_rows(table), reason, year,
                                                   structure))
            continue
        name = "/".join(mapping.indicators)
        if mapping.indicators in seen_indicators:
            issue(table.header_line, f"second table for {name} (first at line "
                  f"{seen_indicators[mapping.indicators].number}); not extracted")
            continue
        seen_indicators[mapping.indicators] = table.header_line
        output = _read_figures(document, table, _in_print_order(table, mapping, year), year,
                               structure, units)
        for line, reason, severity, candidates in output.problems:
            issue(line, f"{name}: {reason}; table not extracted", severity, candidates)
        facts.extend(output.facts)
        review_items.extend(output.review_items)
    return facts, issues, review_items


def _read_figures(document: Document, table: CommuneTable, mapping: CommuneTableMapping,
                  year: int, structure: str, units: dict[str, str]) -> TableOutput:
    """Resolve the table's figures and turn them into facts, or explain why not."""
    columns = len(mapping.indicators)
    if table.total_line is None:
        return _refused(table.header_line, "no stated total after the commune rows")
    duplicates = _duplicate_communes(table.rows)
    if duplicates:
        return _refused(table.header_line, f"commune listed twice: {', '.join(duplicates)}")
    if table.total_cells is None:
        return _refused(table.total_line, "the stated total holds something other than figures")
    row_options = [readings(row.cells, columns) for row in table.rows]
    for row, options in zip(table.rows, row_options):
        if not options:
            return _refused(row.line, f"cannot read {columns} figure(s) from {' '.join(row.cells)!r}")
    total_options = readings(table.total_cells, columns)
    subordinate = {
        col for col, label in enumerate(_labels_for(mapping, year))
        if normalise_label(label).startswith("dont")
    }
    reading = resolve_table(row_options, total_options, subordinate)
    if reading.problem:
        return _refused(table.header_line, reading.problem, reading.candidates)

    ref = table_ref(mapping.indicators[0], table.header_line)
    output = TableOutput()
    for index, (row, values) in enumerate(zip(table.rows, reading.rows)):
        flags = (FLAG_RESOLVED_BY_CONSTRAINTS,) if index in reading.resolved_rows else ()
        if row.commune is not None:
            dimensions = {"commune": row.commune.name, "commune_insee": row.commune.insee}
        else:
            dimensions = {"commune": row.name, "commune_insee": UNMAPPED_CODE}
            flags += (FLAG_UNMAPPED_LABEL,)
        for col, value in enumerate(values):
            indicator = mapping.indicators[col]
            output.facts.append(table_fact(document, indicator, value, units[indicator], year,
                                           structure, row.line, ref, flags, dimensions))
        if row.commune is None:
            output.review_items.append(_unknown_commune(document, row, mapping, values, year,
                                                        structure, ref))
    for col, value in enumerate(reading.total):
        flags = _total_flags(table, reading, col)
        indicator = mapping.indicators[col]
        output.facts.append(table_fact(document, indicator, value, units[indicator], year,
                                       structure, table.total_line, ref, flags, {}, is_total=True))
    return output


def _printed_rows(table: CommuneTable) -> list[tuple[Line, str, str]]:
    rows = [(row.line, row.commune.name if row.commune else row.name, " ".join(row.cells))
            for row in table.rows]
    if table.total_line is not None:
        rows.append((table.total_line, "Total", " ".join(table.total_cells or [])))
    return rows


def _refused(line: Line, reason: str, candidates: list[str] | tuple[str, ...] = ()) -> TableOutput:
    return TableOutput(problems=[(line, reason, "error", tuple(candidates))])


def _unknown_commune(document: Document, row: CommuneRow, mapping: CommuneTableMapping,
                     values: Reading, year: int, structure: str, ref: str) -> ReviewItem:
    """One item per row: what is settled is the commune, whatever its columns count."""
    closest = closest_commune(row.name)
    single = len(values) == 1
    return cell_review(
        document, row.line, "unknown_label",
        f"commune {row.name!r} is not in the commune reference"
        + (f"; closest known commune {closest.name!r} ({closest.insee})" if closest else ""),
        show_reading(values), values[0] if single else None, year, structure,
        indicator=mapping.indicators[0] if single else None,
        dimension="commune", label=row.name, suggestion=closest.insee if closest else None,
        table=ref)


def _total_flags(table: CommuneTable, reading, col: int) -> tuple[str, ...]:
    """A total that differs from its rows is kept as printed and flagged; when a footnote
    under it states exactly the missing amount, it is flagged as explained instead."""
    if col not in reading.mismatched_columns:
        return ()
    if table.footnote is not None:
        rows_sum = sum(row[col] for row in reading.rows)
        if rows_sum + table.footnote[1] == reading.total[col]:
            return (FLAG_EXPLAINED_BY_FOOTNOTE,)
    return (FLAG_SOURCE_TOTAL_MISMATCH,)


def _in_print_order(table: CommuneTable, mapping: CommuneTableMapping, year: int
                    ) -> CommuneTableMapping:
    """The mapping with its columns in the order the table prints their headers: a value
    must land in its column's indicator even when an edition swaps two columns. When the
    headers are not each printed whole (interleaved by the layout), the mapping's order."""
    printed = printed_words(table.header_text, year)
    editions = [year] if year in mapping.header_labels else sorted(mapping.header_labels, reverse=True)
    for edition in editions:
        labels = mapping.header_labels[edition]
        places = [_find(printed, printed_words(label, year)) for label in labels]
        if None in places or len(set(places)) != len(places):
            continue
        order = sorted(range(len(labels)), key=lambda column: places[column])
        return CommuneTableMapping(tuple(mapping.indicators[column] for column in order),
                                   {edition: tuple(labels[column] for column in order)},
                                   mapping.section)
    return mapping


def _find(words: tuple[str, ...], part: tuple[str, ...]) -> int | None:
    """Where `part` is first printed whole in `words`."""
    for start in range(len(words) - len(part) + 1):
        if words[start:start + len(part)] == part:
            return start
    return None


def _labels_for(mapping: CommuneTableMapping, year: int) -> tuple[str, ...]:
    edition = year if year in mapping.header_labels else max(mapping.header_labels)
    return mapping.header_labels[edition]


def _duplicate_communes(rows: list[CommuneRow]) -> list[str]:
    seen: set[str] = set()
    duplicates = []
    for row in rows:
        if row.commune is None:
            continue
        if row.commune.insee in seen:
            duplicates.append(row.commune.name)
        seen.add(row.commune.insee)
    return duplicates
