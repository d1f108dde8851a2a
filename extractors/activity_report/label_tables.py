"""Vertical label tables of an activity report: one row per category, a label then its figure.

    Nature Nombre de contacts
    Entretien individuel 10 500
    Information Collective / Atelier 6 209
    ...
    Total : 42 318

A table is recognised from its rows, not from a header (some have none): a run of consecutive
lines (blank lines and page numbers allowed) whose labels map, through the year-keyed
extractors/mappings/dimension_labels.yaml, to codes of one conformed dimension, closed by a
stated total; or a run of rows ending in "%" (shares, no total needed). The entry of
extractors/mappings/ml_activity_report_label_tables.yaml whose dimension is that one and whose
section words are in the headings the table is printed under gives the indicator. A row label
that does not map inside a recognised table is reported and the table is not extracted:
nothing is guessed.

The label and its figures are told apart by the mapping: every split of a line into a label
and a tail of figures is tried ("Information Collective / Atelier 6 209": "/" is in the label),
and the splits whose label maps give the row's readings; the stated total chooses between them.
"""

from __future__ import annotations

from collections import Counter

from extractors.activity_report.label_rows import (
    LETTER,
    TOTAL_WORD,
    LabelTable,
    Row,
    find_runs,
    row_splits,
    run_tables,
)
from extractors.activity_report.label_table_mapping import (
    LABEL_TABLES_FILE,
    LabelTableMapping,
    label_table_mappings,
)
from extractors.activity_report.label_elimination import eliminated_code
from extractors.activity_report.entry_choice import EntryChooser, choice_review_items
from extractors.activity_report.table_facts import (
    PRINTED_LABEL,
    TOTAL_PREFIX,
    TableOutput,
    cell_review,
    line_issue,
    table_fact,
    table_ref,
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
from extractors.headings import SectionContext, label_words
from extractors.numbers import Reading, TableReading, readings, resolve_table, show_reading, split_cells
from extractors.reference import normalise_label
from extractors.review import ReviewItem
from extractors.wording_rules import closest_label, dimension_code

_HEADER_MAX_LINES = 8  # lines above the first row searched for the table's header


def extract_label_tables(
    document: Document, year: int, structure: str, contexts: list[SectionContext]
) -> tuple[list[Fact], list[ExtractionIssue], list[ReviewItem]]:
    """Facts of every mapped label table; an issue for everything that is not extracted; a
    review item for every row label kept unmapped."""
    entries = label_table_mappings()
    units = {code: indicator.unit for code, indicator in load_catalogue().items()}
    dimensions = {entry.dimension for entry in entries}
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    review_items: list[ReviewItem] = []
    chooser = EntryChooser(LABEL_TABLES_FILE, year, lambda e: (e.indicator, e.dimension))

    def issue(line: Line, reason: str, severity: Severity = "error", candidates=()) -> None:
        issues.append(line_issue(document, line, reason, severity, year, structure, candidates))

    tables = [table for run in find_runs(document.lines, year, dimensions, contexts)
              for table in run_tables(run)]
    for table in tables:
        chooser.claim([entry for entry in entries if entry.dimension in table.dimensions],
                      contexts[table.rows[0].index])
    for table in tables:
        first = table.rows[0]
        choice = chooser.choose(
            [entry for entry in entries if entry.dimension in table.dimensions],
            contexts[first.index], f"{' or '.join(sorted(table.dimensions))} table",
            first.line)
        for reason, severity in choice.notes:
            issue(first.line, reason, severity)
        review_items.extend(choice_review_items(
            document, choice, first.line, contexts[first.index],
            lambda: [(row.line, row.label, _figures_text(row)) for row in table.rows],
            year, structure))
        if choice.entry is None:
            continue
        entry = choice.entry
        output = _read_table(document, table, entry, year, structure, units)
        for line, reason, severity, candidates in output.problems:
            issue(line, f"{entry.indicator}: {reason}; table not extracted", severity,
                  candidates)
        facts.extend(output.facts)
        review_items.extend(output.review_items)
    return facts, issues, review_items


def _read_table(document: Document, table: LabelTable, entry: LabelTableMapping, year: int,
                structure: str, units: dict[str, str]) -> TableOutput:
    """The table's facts and review items, or the problems that keep it from being extracted.
    A row whose label the dimension does not know is kept as UNMAPPED_CODE, for review."""
    dimension, lines = entry.dimension, document.lines
    labels = [_row_labels(row, dimension) for row in table.rows]
    problems = [(row.line, f"cannot read one figure after {row.label!r}", "error", ())
                for row, row_labels in zip(table.rows, labels) if not row_labels]
    if problems:
        return TableOutput([], problems, [])
    codes = Counter(row.codes[dimension] for row in table.rows if dimension in row.codes)
    twice = sorted(code for code, count in codes.items() if count > 1)
    if twice:
        return TableOutput([], [(table.rows[0].line, f"{dimension} code(s) printed twice: "
                                 f"{', '.join(twice)}", "error", ())], [])
    unit = units[entry.indicator]
    if table.rows[0].percent != (unit == "percent"):
        printed = "shares (%)" if table.rows[0].percent else "counts"
        return TableOutput([], [(table.rows[0].line, f"the rows are {printed} but the "
                                 f"indicator's unit is {unit}", "warning", ())], [])

    total_line = lines[table.total] if table.total is not None else None
    total_cells = _total_cells(total_line, table.rows[0].percent)
    if total_line is None and not table.rows[0].percent:
        return TableOutput([], [(table.rows[-1].line, f"rows of {dimension} with no stated "
                                 "total after them", "warning", ())], [])
    if total_line is not None and total_cells is None:
        if table.rows[0].percent:
            total_line = None  # a count under a list of shares: not this list's total
        else:
            return TableOutput([], [(total_line, "the stated total holds something other than "
                                     "figures", "error", ())], [])

    row_options = [list(row_labels) for row_labels in labels]
    total_options = readings(total_cells, 1) if total_line is not None else []
    if total_line is not None:
        reading = resolve_table(row_options, total_options, set())
        chosen: list[Reading | None] = reading.rows or []
        if reading.problem and len(total_options) > 1:
            candidates = [_candidates(row, row_labels) for row, row_labels in zip(table.rows, labels)
                          if len(row_labels) > 1]
            candidates.append("total: " + " | ".join(show_reading(r) for r in total_options))
            return TableOutput([], [(table.rows[0].line, reading.problem, "error", candidates)], [])
        if reading.problem:  # rows the total cannot settle go to review, the others are kept
            chosen = [options[0] if len(options) == 1 else None for options in row_options]
            reading = TableReading(None, total_options[0])
        total, mismatch = reading.total, bool(reading.mismatched_columns)
        resolved = reading.resolved_rows
    else:  # a list of shares has no total to choose with: ambiguous rows go to review
        chosen = [options[0] if len(options) == 1 else None for options in row_options]
        total, mismatch, resolved = None, False, set()

    ref = table_ref(entry.indicator, _header_line(lines, table, entry, year)
                    or lines[table.rows[0].index])
    eliminated = eliminated_code(dimension, [row.codes.get(dimension) for row in table.rows],
                                 total is not None and not mismatch)
    output = TableOutput()
    for index, (row, value) in enumerate(zip(table.rows, chosen)):
        if value is None:
            output.review_items.append(cell_review(
                document, row.line, "ambiguous_reading", "several readings fit"
                + (" the stated total: " if total is not None else ", and no stated total: ")
                + _candidates(row, labels[index]), _figures_text(row), None, year, structure,
                indicator=entry.indicator, table=ref))
            continue
        flags = (FLAG_RESOLVED_BY_CONSTRAINTS,) if index in resolved else ()
        if dimension in row.codes:
            dimensions = {dimension: row.options[dimension][value]}
        else:
            printed = row.printed[value]
            dimensions = {dimension: UNMAPPED_CODE, PRINTED_LABEL: printed}
            flags += (FLAG_UNMAPPED_LABEL,)
            output.review_items.append(_unknown_label(document, row.line, printed, value, entry,
                                                      year, structure, ref, eliminated))
        output.facts.append(table_fact(document, entry.indicator, value[0], unit, year,
                                       structure, row.line, ref, flags, dimensions))
    if total is not None:
        flags = (FLAG_SOURCE_TOTAL_MISMATCH,) if mismatch else ()
        output.facts.append(table_fact(document, entry.indicator, total[0], unit, year,
                                       structure, total_line, ref, flags, {}, is_total=True))
    return output


def _figures_text(row: Row) -> str:
    """What a row prints after its label."""
    text = " ".join(row.line.text.split())
    return text[len(row.label):].strip() if text.startswith(row.label) else text


def _row_labels(row: Row, dimension: str) -> dict[Reading, str]:
    """Each reading of a row's figure and the printed label it leaves: the readings whose
    label the dimension knows, else every reading (the label is then unmapped)."""
    if dimension not in row.codes:
        return row.printed
    return {reading: row.split_labels[reading] for reading in row.options[dimension]}


def _unknown_label(document: Document, line: Line, printed: str, value: Reading,
                   entry: LabelTableMapping, year: int, structure: str, ref: str,
                   eliminated: str | None) -> ReviewItem:
    """The closest known label's code, else the one code the table leaves out (elimination)."""
    suggestion = closest_label(entry.dimension, printed, year)
    code = dimension_code(entry.dimension, suggestion, year) if suggestion else eliminated
    why = (f"; closest known label {suggestion!r} ({code})" if suggestion else
           f"; the only {entry.dimension} code the table does not print, its total adding up: {code}"
           if code else "")
    return cell_review(
        document, line, "unknown_label",
        f"label {printed!r} is not in dimension_labels.yaml for {entry.dimension} ({year}){why}",
        show_reading(value), value[0], year, structure, indicator=entry.indicator,
        dimension=entry.dimension, label=printed, suggestion=code, table=ref)


def _total_cells(line: Line | None, percent: bool) -> list[str] | None:
    """The figure tokens of a "Total : 42 318" line ("Total : 100 %" under shares; a count
    may be followed by what it counts: "Total : 1 634 jeunes reçus en entretien")."""
    if line is None:
        return None
    text = TOTAL_PREFIX.sub("", line.text).strip()
    if percent:
        return split_cells(text[:-1]) if text.endswith("%") else None
    tokens = text.split()
    figures = 0
    while figures < len(tokens) and split_cells(tokens[figures]) is not None:
        figures += 1
    if figures < len(tokens) and not LETTER.match(tokens[figures]):
        return None
    return split_cells(" ".join(tokens[:figures])) if figures else None


def _header_line(lines, table: LabelTable, entry: LabelTableMapping, year: int) -> Line | None:
    """The first line of the table's column headers, when the mapping names them and they are
    printed right above the first row (blank lines allowed, no other row in between)."""
    wanted = [set(words) for words in entry.header_words(year)]
    if not wanted:
        return None
    seen: set[str] = set()
    index = table.rows[0].index - 1
    while index >= 0 and table.rows[0].index - index <= _HEADER_MAX_LINES:
        text = lines[index].text
        if TOTAL_WORD.match(normalise_label(text)) or row_splits(text, year) is not None:
            return None  # the rows of something printed above: the headers are not there
        if text.strip():
            seen |= set(label_words(text, year))
            if any(words <= seen for words in wanted):
                return lines[index]
        index -= 1
    return None


def _candidates(row: Row, labels: dict[Reading, str]) -> str:
    """A row's readings: "line 7: 'Accès à l'emploi' 1 858 | 'Accès à l'emploi 1' 858"."""
    return f"line {row.line.number}: " + " | ".join(
        f"{label!r} {show_reading(reading)}" for reading, label in labels.items())
