"""Commune tables of an activity report: "Commune | count | dont ..." rows and a stated total.

Tables are found by commune_scan.py and their headers matched to catalogue indicators by
commune_headers.py; here their figures are read, cell by cell: a row the totals cannot settle
goes to review, never the whole table.
"""

from __future__ import annotations

from extractors.activity_report.commune_headers import (
    approximate_mapping,
    in_print_order,
    labels_for,
    match_mapping,
    moved_mapping,
)
from extractors.activity_report.commune_columns import column_subset, column_superset
from extractors.activity_report.commune_names import closest_commune
from extractors.activity_report.commune_scan import CommuneRow, CommuneTable, find_commune_tables
from extractors.activity_report.table_suggestions import table_suggestion
from extractors.activity_report.table_facts import (
    TableOutput,
    cell_review,
    drifted_wording,
    line_issue,
    table_fact,
    table_ref,
    unrecognised_cells,
)
from extractors.lines import Document, Line
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
from extractors.headings import SectionContext
from extractors.numbers import Reading, TableReading, gap_readings, readings, resolve_table, show_reading
from extractors.reference import normalise_label
from extractors.review import ReviewItem
from extractors.wording_rules import UNKNOWN_COLUMN, CommuneTableMapping

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

    tables = list(find_commune_tables(document.lines, year))
    placed = [match_mapping(table, year, contexts[table.header_index] if contexts else None)
              for table in tables]
    taken = {mapping.indicators for mapping in placed if mapping is not None}
    for table, mapping in zip(tables, placed):
        context = contexts[table.header_index] if contexts else None
        if mapping is None and table.total_line is None:
            continue  # a commune list without a stated total: profile_blocks reads those
        if mapping is None and (mapping := moved_mapping(table, year, taken)) is not None:
            reason = (f"column headers {table.header_text.strip()!r} are those of "
                      f"{'/'.join(mapping.indicators)}, printed under {str(context)!r}, not the "
                      "section its mapping names: read with it; add this section to "
                      "extractors/mappings/ml_activity_report.yaml")
            issue(table.header_line, reason, severity="warning")
            review_items.append(drifted_wording(
                document, table.header_line, str(context), mapping.indicators[0], reason, year,
                structure, table_ref(mapping.indicators[0], table.header_line)))
        if mapping is None and (subset := column_subset(table, year, context)):
            mapping, dropped = subset
            reason = (f"column headers {table.header_text.strip()!r} are those of "
                      f"{'/'.join(mapping.indicators)} without {' | '.join(dropped)!r}; read by "
                      "their headers: add this layout to extractors/mappings/ml_activity_report.yaml")
            issue(table.header_line, reason, severity="warning")
            review_items.append(drifted_wording(
                document, table.header_line, " ".join(table.header_text.split()),
                mapping.indicators[0], reason, year, structure,
                table_ref(mapping.indicators[0], table.header_line)))
        if mapping is None and (superset := column_superset(table, year, context)):
            mapping, added = superset
            known = "/".join(code for code in mapping.indicators if code != UNKNOWN_COLUMN)
            reason = (f"column headers {table.header_text.strip()!r} are those of {known} and "
                      f"{added!r}, which no mapping knows; its cells kept for review, the others "
                      "read by their headers: add this layout to extractors/mappings/ml_activity_report.yaml")
            issue(table.header_line, reason, severity="warning")
            review_items.append(drifted_wording(
                document, table.header_line, " ".join(table.header_text.split()),
                mapping.indicators[0], reason, year, structure,
                table_ref(mapping.indicators[0], table.header_line)))
        if mapping is None and (approximate := approximate_mapping(table, year, context)):
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
            suggested = table_suggestion(document, table, year, structure, context, taken)
            review_items.extend([suggested] if suggested else [])
            review_items.extend(unrecognised_cells(document, _printed_rows(table), reason, year,
                                                   structure))
            continue
        name = "/".join(mapping.indicators)
        read = tuple(code for code in mapping.indicators if code != UNKNOWN_COLUMN)
        if read in seen_indicators:
            issue(table.header_line, f"second table for {name} (first at line "
                  f"{seen_indicators[read].number}); not extracted")
            continue
        seen_indicators[read] = table.header_line
        output = _read_figures(document, table, in_print_order(table, mapping, year), year,
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
    row_options = [readings(row.cells, columns) or gap_readings(row.cells, columns)
                   for row in table.rows]
    for row, options in zip(table.rows, row_options):
        if not options:
            return _refused(row.line, f"cannot read {columns} figure(s) from {' '.join(row.cells)!r}")
    total_options = readings(table.total_cells, columns)
    subordinate = {
        col for col, label in enumerate(labels_for(mapping, year))
        if normalise_label(label).startswith("dont")
    }
    reading = resolve_table(row_options, total_options, subordinate)
    chosen: list[Reading | None] = reading.rows or []
    if reading.problem and len(total_options) == 1 and any(len(o) > 1 for o in row_options):
        # the totals leave several readings of some rows: those rows go to review, the
        # others and the total are kept as printed (the total then checks nothing)
        chosen = [options[0] if len(options) == 1 else None for options in row_options]
        reading = TableReading(None, total_options[0])
    elif reading.problem:
        return _refused(table.header_line, reading.problem, reading.candidates)

    ref = table_ref(mapping.indicators[0], table.header_line)
    output = TableOutput()
    for index, (row, values) in enumerate(zip(table.rows, chosen)):
        if values is None:
            output.review_items.append(cell_review(
                document, row.line, "ambiguous_reading", "several readings of the row fit the "
                "stated total: " + " | ".join(map(show_reading, row_options[index])),
                " ".join(row.cells), None, year, structure, suggestion=None, table=ref))
            continue
        flags = (FLAG_RESOLVED_BY_CONSTRAINTS,) if index in reading.resolved_rows else ()
        if row.commune is not None:
            dimensions = {"commune": row.commune.name, "commune_insee": row.commune.insee}
        else:
            dimensions = {"commune": row.name, "commune_insee": UNMAPPED_CODE}
            flags += (FLAG_UNMAPPED_LABEL,)
        for col, value in enumerate(values):
            indicator = mapping.indicators[col]
            if indicator == UNKNOWN_COLUMN:
                output.review_items.append(_unknown_column_cell(document, row.line, value, year,
                                                                structure, ref))
                continue
            output.facts.append(table_fact(document, indicator, value, units[indicator], year,
                                           structure, row.line, ref, flags, dimensions))
        if row.commune is None:
            output.review_items.append(_unknown_commune(document, row, mapping, values, year,
                                                        structure, ref))
    for col, value in enumerate(reading.total):
        flags = _total_flags(table, reading, col)
        indicator = mapping.indicators[col]
        if indicator == UNKNOWN_COLUMN:
            output.review_items.append(_unknown_column_cell(document, table.total_line, value,
                                                            year, structure, ref))
            continue
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


def _unknown_column_cell(document: Document, line: Line, value, year: int, structure: str,
                         ref: str) -> ReviewItem:
    """A cell of a column no mapping knows: kept for a reviewer, never read as a figure."""
    return cell_review(document, line, "unrecognised_table", "cell of a column no mapping knows",
                       show_reading((value,)), value, year, structure, table=ref)


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
