"""Horizontal profile blocks of an activity report: a header of labels, then a line of figures.

In the "caractéristiques" sections figures are printed across the page:

    Supérieur                                      <- header: labels of ONE dimension,
    au BAC BAC BEP/CAP Aucun                          wrapped over a few lines, optionally
    diplôme                                           ending with "Total :"
    146 515 157 816                                <- the figures, one per label (+ the total)
    Total : 1 634 jeunes reçus en entretien        <- optional stated total

or as cross-tabs: a header of dimension A, rows "<label of dimension B> figures" and an
optional "Total ..." row of column totals. A list of communes with one figure each, one or two
communes to a line ("La Madeleine 8 Pérenchies 4"), is a block of dimension `commune`.

Blocks are recognised by their labels (the year-keyed extractors/mappings/dimension_labels.yaml),
never by captions, line or page numbers. Which indicator a block feeds is decided by its set of
dimensions and the section it is printed in, through the year-keyed mapping file
extractors/mappings/ml_activity_report_profile_blocks.yaml.

The blocks are cut by block_scan.py and their figures read by block_figures.py; this module
turns them into facts.
"""

from __future__ import annotations

from extractors.activity_report.block_figures import Figures, line_place, read_figures
from extractors.activity_report.block_scan import Block, BlockProblem, BlockRow, BlockScanner
from extractors.activity_report.entry_choice import EntryChooser
from extractors.activity_report.profile_block_mapping import MAPPING_FILE, profile_block_mappings
from extractors.activity_report.table_facts import (
    PRINTED_LABEL,
    cell_review,
    drifted_wording,
    line_issue,
    table_fact,
    table_ref,
    unrecognised_cells,
)
from extractors.catalogue import load_catalogue
from extractors.lines import Document, Line
from extractors.facts import (
    FLAG_RESOLVED_BY_CONSTRAINTS,
    FLAG_SOURCE_TOTAL_MISMATCH,
    FLAG_UNMAPPED_LABEL,
    UNMAPPED_CODE,
    ExtractionIssue,
    Fact,
    Severity,
)
from extractors.headings import SectionContext
from extractors.numbers import show_reading
from extractors.review import ReviewItem
from extractors.wording_rules import closest_label, dimension_code


def extract_profile_blocks(
    document: Document, year: int, structure: str, contexts: list[SectionContext]
) -> tuple[list[Fact], list[ExtractionIssue], list[ReviewItem]]:
    """Facts of every mapped profile block; an issue for every block that is not extracted; a
    review item for every cross-tab row label kept unmapped."""
    catalogue = load_catalogue()
    entries = profile_block_mappings()
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    review_items: list[ReviewItem] = []
    chooser = EntryChooser(MAPPING_FILE, year, lambda e: (e.indicator, e.dimensions))

    def issue(line: Line, reason: str, severity: Severity = "error", candidates=()) -> None:
        issues.append(line_issue(document, line, reason, severity, year, structure, candidates))

    dimensions = {dim for entry in entries for dim in entry.dimensions}
    for block in BlockScanner(document, year, dimensions).blocks():
        if isinstance(block, BlockProblem):
            # an error where a block of that dimension is expected; elsewhere (labels that
            # happen to stand alone on a line, in a section no entry maps) a warning
            context = contexts[block.first_index]
            expected = any(block.header.dimension in entry.dimensions
                           and entry.in_section(context, year) for entry in entries)
            issue(block.line, block.reason if expected else
                  f"{block.reason} (under '{context}', which no entry of extractors/mappings/"
                  f"{MAPPING_FILE} maps for {year})",
                  "error" if expected else "warning", candidates=block.candidates)
            continue
        # a stray commune list is commune_tables' business: never drifted, never reported
        choice = chooser.choose(
            [entry for entry in entries if entry.dimensions == block.dimensions],
            contexts[block.first_index], block.describe, block.first_line,
            may_drift=block.header is not None, report_unmatched=block.header is not None)
        for reason, severity in choice.notes:
            issue(block.first_line, reason, severity)
        if choice.entry is None:
            if choice.notes:
                review_items.extend(unrecognised_cells(document, _printed_rows(block),
                                                       choice.notes[0][0], year, structure))
            continue
        entry = choice.entry
        if choice.drifted:
            review_items.append(drifted_wording(
                document, block.first_line, str(contexts[block.first_index]), entry.indicator,
                choice.notes[0][0], year, structure))
        try:
            if block.problem is not None:
                raise BlockProblem(block.problem[0], f"{block.problem[1]}; block not extracted")
            if block.header is None:
                _check_communes(block)
            figures = read_figures(block)
        except BlockProblem as problem:
            issue(problem.line, f"{entry.indicator}: {problem.reason}", candidates=problem.candidates)
            continue
        unit = catalogue[entry.indicator].unit
        if (unit == "percent") != figures.percent:
            issue(block.first_line, f"{entry.indicator}: {block.describe} prints "
                  f"{'percents' if figures.percent else 'counts'} but the indicator's unit is "
                  f"{unit}; not extracted")
            continue
        facts.extend(_facts(document, block, figures, entry.indicator, unit, year, structure))
        review_items.extend(_unknown_row_labels(document, block, figures, entry.indicator, year,
                                                structure))
    return facts, issues, review_items


def _check_communes(block: Block) -> None:
    seen: set[str] = set()
    for row in block.rows:
        if row.commune is None:
            continue
        if row.commune.insee in seen:
            raise BlockProblem(row.line, f"{block.describe}: commune listed twice: "
                                         f"{row.commune.name}; block not extracted")
        seen.add(row.commune.insee)


def _facts(document, block: Block, figures: Figures, indicator, unit, year, structure) -> list[Fact]:
    table = table_ref(indicator, block.first_line)

    def fact(value, line: Line, dimensions: dict[str, str], is_total=False, mismatch=False):
        flags = []
        if line_place(line) in figures.resolved_lines:
            flags.append(FLAG_RESOLVED_BY_CONSTRAINTS)
        if mismatch:
            flags.append(FLAG_SOURCE_TOTAL_MISMATCH)
        if UNMAPPED_CODE in dimensions.values():
            flags.append(FLAG_UNMAPPED_LABEL)
        return table_fact(document, indicator, value, unit, year, structure, line, table,
                          flags, dimensions, is_total)

    def row_dims(row: BlockRow) -> dict[str, str]:
        if row.commune is not None:
            return {"commune": row.commune.name, "commune_insee": row.commune.insee}
        if row.label is not None:
            return {row.label.dimension: row.label.code}
        if row.name:
            return {block.row_dimension: UNMAPPED_CODE, PRINTED_LABEL: row.name}
        return {}

    header_labels = block.header.labels if block.header is not None else [None]
    facts = []
    for row, cells, row_total in zip(block.rows, figures.cells, figures.row_totals):
        for label, value in zip(header_labels, cells):
            dims = row_dims(row) | ({label.dimension: label.code} if label else {})
            facts.append(fact(value, row.line, dims))
        if row_total is not None:
            facts.append(fact(row_total, row.line, row_dims(row), is_total=True,
                              mismatch=row_total != sum(cells)))
    if figures.column_totals is not None:
        for column, (label, value) in enumerate(zip(header_labels, figures.column_totals)):
            column_sum = sum(cells[column] for cells in figures.cells)
            facts.append(fact(value, block.total_line, {label.dimension: label.code},
                              is_total=True, mismatch=value != column_sum))
    if figures.grand_total is not None:
        line = block.total_line or block.rows[0].line
        overall = sum(sum(cells) for cells in figures.cells)
        facts.append(fact(figures.grand_total, line, {}, is_total=True,
                          mismatch=figures.grand_total != overall))
    return facts


def _printed_rows(block: Block) -> list[tuple[Line, str, str]]:
    """A block's rows as printed (label, figures), its header's labels first."""
    rows = []
    if block.header is not None:
        rows.append((block.header.lines[0], " | ".join(" ".join(label.words)
                                                       for label in block.header.labels), ""))
    for row in block.rows:
        label = (" ".join(row.label.words) if row.label else
                 row.commune.name if row.commune else row.name)
        rows.append((row.line, label, " ".join(row.tokens)))
    if block.total_line is not None:
        rows.append((block.total_line, "Total", " ".join(block.total_tokens or [])))
    return rows


def _unknown_row_labels(document: Document, block: Block, figures: Figures, indicator: str,
                        year: int, structure: str) -> list[ReviewItem]:
    """One item per cross-tab row whose label its dimension does not know."""
    items = []
    for row, cells in zip(block.rows, figures.cells):
        if not row.name:
            continue
        dimension = block.row_dimension
        suggestion = closest_label(dimension, row.name, year)
        code = dimension_code(dimension, suggestion, year) if suggestion else None
        items.append(cell_review(
            document, row.line, "unknown_label",
            f"label {row.name!r} is not in dimension_labels.yaml for {dimension} ({year})"
            + (f"; closest known label {suggestion!r} ({code})" if suggestion else ""),
            show_reading(cells), None, year, structure, indicator=indicator,
            dimension=dimension, label=row.name, suggestion=code,
            table=table_ref(indicator, block.first_line)))
    return items
