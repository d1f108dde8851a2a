"""Layout of the breakdown tables of a sample report, in the places a real report prints them.

Each table is printed in the chapter of the commune table it details (`_HOME`; a table kind
added to the mappings later gets a chapter of its own), under headings built from its mapping
entry's section wording: the chapter title when it already holds those words, else a part
"I. <wording>". The headings are checked against the mapping files as the extractor reads
them (exactly one entry of the table's dimensions matches), so a sample never prints a table
the extractor would not attribute.

Layouts follow the real reports: vertical label tables whose long labels wrap onto the line of
their figure, share lists, horizontal profile blocks and cross-tabs whose category headers wrap
as a staircase (a label starts on the line where the previous one ends, so the text layer reads
them in order), and a commune list in two real columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from reportlab.lib.utils import simpleSplit

from extractors.activity_report.label_table_mapping import label_table_mappings
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.headings import SectionContext
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import label_words
from sample_inputs.breakdowns import (
    COMMUNE_LIST,
    CROSS_TAB,
    LABEL_TABLE,
    SHARE_LIST,
    TOTAL_COLUMN,
    TOTAL_LINE,
    TOTAL_ROW_AND_COLUMN,
    BreakdownTable,
)
from sample_inputs.figures import ReportFigures
from sample_inputs.pages import (
    BODY_FONT,
    BODY_SIZE,
    BOLD_FONT,
    HEADER_SIZE,
    LEFT,
    PAGE_BREAK,
    Cell,
    Flow,
    KeepTogether,
    VisualLine,
    cell_value,
    paragraph,
    roman,
    section,
    thousands,
)

# The commune table whose chapter prints each breakdown indicator.
_HOME = {
    "new_registrations_profile": "new_registrations",
    "new_registrations_share": "new_registrations",
    "youths_interviewed_profile": "youths_in_contact",
    "youths_interviewed_share": "youths_in_contact",
    "contacts_by_nature": "contacts",
    "propositions": "contacts",
    "training_entrants_profile": "training_entries",
    "training_actions": "training_entries",
    "employment_contracts_by_type": "employment_contracts",
    "employment_youths_profile": "employment_contracts",
    "cej_contacts_by_nature": "cej_youths",
    "cej_measures": "cej_youths",
    "cej_entrants_profile": "cej_youths",
}
# Vertical label tables: labels wrap at LABEL_WIDTH, figures right-aligned at VALUE_RIGHT.
LABEL_WIDTH = 230.0
VALUE_RIGHT = LEFT + 380.0
HEADER_RIGHT_LEFT = LEFT + 250.0  # where the figure column's header starts
# Profile blocks and cross-tabs: fixed columns, labels wrapped to COLUMN_WIDTH.
COLUMN_WIDTH, COLUMN_GAP = 62.0, 14.0
ROW_LABEL_WIDTH = 96.0  # a cross-tab's row labels
# Two-column commune list: (name left, figure right) of each column.
COMMUNE_COLUMNS = ((LEFT, LEFT + 150.0), (LEFT + 190.0, LEFT + 340.0))


class BreakdownLayout:
    """Hands out each breakdown table once, in the chapter that prints it."""

    def __init__(self, figures: ReportFigures):
        self.figures = figures
        self.pending = list(figures.breakdown_tables)
        self.split_table = _table_to_split(self.pending)

    def chapter(self, main: str, chapter_title: str) -> Flow:
        """The sections printed in the chapter of commune table `main`, after that table."""
        tables = [table for table in self.pending if _HOME.get(table.spec.indicator) == main]
        return self._sections(tables, chapter_title)

    def own_chapters(self, first_number: int) -> tuple[Flow, int]:
        """Chapters for the tables no chapter printed, one per section wording; and the
        number of the next chapter."""
        flow: Flow = []
        number = first_number
        while self.pending:
            wording = self.pending[0].spec.section
            chapter_title = f"{number}) {wording[:1].upper()}{wording[1:]}"
            tables = [table for table in self.pending if table.spec.section == wording]
            flow += section(chapter_title) + self._sections(tables, chapter_title)
            number += 1
        return flow, number

    def _sections(self, tables: list[BreakdownTable], chapter_title: str) -> Flow:
        """Tables whose wording the chapter title holds first, then one part per wording."""
        chapter_words = set(label_words(chapter_title))
        wordings = list(dict.fromkeys(table.spec.section for table in tables))
        in_title = [w for w in wordings if set(label_words(w)) <= chapter_words]
        flow: Flow = []
        part = ""
        for number, wording in enumerate(in_title + [w for w in wordings if w not in in_title]):
            if wording not in in_title:
                part = f"{roman(number - len(in_title) + 1)}. {wording}"
                flow += paragraph(part, space_before=14.0)
            for table in [t for t in tables if t.spec.section == wording]:
                _check_section(table, SectionContext(chapter_title, part), self.figures.year)
                self.pending.remove(table)
                flow += self._table(table)
        return flow

    def _table(self, table: BreakdownTable) -> Flow:
        flow: Flow = []
        headline = _HEADLINES.get((table.spec.indicator, table.spec.dimensions))
        if headline is not None:
            flow += paragraph(headline(table, self.figures), space_before=10.0)
        caption = paragraph(_caption(table), space_before=10.0)
        kind = table.spec.kind
        if kind in (LABEL_TABLE, SHARE_LIST):  # may run over a page break, one does on purpose
            split_after = (math.ceil(len(table.grid) / 2) if table is self.split_table else None)
            return flow + caption + _vertical(table, split_after)
        body = {CROSS_TAB: _cross_tab, COMMUNE_LIST: _commune_list}.get(kind, _profile_line)(table)
        return flow + [KeepTogether(tuple(caption + body))]  # never cut by a page number


def _table_to_split(tables: list[BreakdownTable]) -> BreakdownTable | None:
    """The label table printed across a page break: the one with the most rows."""
    label_tables = [table for table in tables if table.spec.kind == LABEL_TABLE]
    return max(label_tables, key=lambda table: len(table.grid), default=None)


def _check_section(table: BreakdownTable, context: SectionContext, year: int) -> None:
    """Raise unless the headings make the extractor attribute the table to its own entry."""
    spec = table.spec
    if spec.kind in (LABEL_TABLE, SHARE_LIST):
        found = [entry.indicator for entry in label_table_mappings()
                 if entry.dimension == spec.dimensions[0] and entry.in_section(context, year)]
    else:
        found = [entry.indicator for entry in profile_block_mappings()
                 if entry.dimensions == frozenset(spec.dimensions) and entry.in_section(context, year)]
    if found != [spec.indicator]:
        raise ValueError(f"sample layout: {spec.indicator} by {spec.dimensions} printed under "
                         f"'{context}' would be read as {found or 'nothing'}")


def _caption(table: BreakdownTable) -> str:
    """What the table counts, along what: the catalogue's words, e.g. "Contacts par nature —
    nature du contact" (never starting with "Commune": that word opens a commune table)."""
    dimensions = load_dimensions()
    names = []
    for dimension in table.spec.dimensions:
        name = re.sub(r"\s*\(.*?\)", "", dimensions[dimension].label).strip()
        names.append(name[:1].lower() + name[1:])
    return f"{load_catalogue()[table.spec.indicator].label} — {' et '.join(names)}"


# --- vertical tables ----------------------------------------------------------------------------


def _vertical(table: BreakdownTable, split_after: int | None) -> Flow:
    """Header (if the mapping names one), "label figure" rows, "Total : N" (counts only)."""
    spec = table.spec
    flow: Flow = _vertical_header(spec.header) if spec.header else []
    for number, (code, label) in enumerate(zip(spec.codes[0], spec.labels[0]), start=1):
        value = table.grid[(code,)]
        shown = f"{value} %" if spec.unit == "percent" else cell_value(value)
        parts = simpleSplit(label, BODY_FONT, BODY_SIZE, LABEL_WIDTH)
        for part in parts[:-1]:
            flow.append(VisualLine((Cell(part, LEFT),)))
        flow.append(VisualLine((Cell(parts[-1], LEFT), Cell(shown, VALUE_RIGHT, True))))
        if number == split_after:
            flow.append(PAGE_BREAK)
    if () in table.totals:
        word = "Total général :" if len(spec.codes[0]) % 2 else "Total :"  # both are printed
        flow.append(VisualLine((Cell(word, LEFT),
                                Cell(thousands(table.totals[()]), VALUE_RIGHT, True)),
                               font=BOLD_FONT, rule_above=True))
    return flow


def _vertical_header(header: str) -> Flow:
    """"Nature Nombre de contacts": the label column's header left, the figure column's one
    (from its second capitalised word) over the figures, wrapped."""
    words = header.split()
    cut = next((i for i, word in enumerate(words) if i and word[:1].isupper()), len(words))
    left, right = " ".join(words[:cut]), " ".join(words[cut:])
    parts = simpleSplit(right, BOLD_FONT, HEADER_SIZE, VALUE_RIGHT - HEADER_RIGHT_LEFT) if right else []
    flow: Flow = []
    for index in range(max(1, len(parts))):
        cells = [Cell(left, LEFT)] if index == 0 and left else []
        if index < len(parts):
            cells.append(Cell(parts[index], HEADER_RIGHT_LEFT))
        flow.append(VisualLine(tuple(cells), font=BOLD_FONT, size=HEADER_SIZE,
                               space_before=6.0 if index == 0 else 0.0))
    return flow


# --- horizontal blocks --------------------------------------------------------------------------


def _columns(start: float, count: int) -> list[tuple[float, float]]:
    """(left, right) of `count` value columns from x = `start`."""
    lefts = [start + i * (COLUMN_WIDTH + COLUMN_GAP) for i in range(count)]
    return [(left, left + COLUMN_WIDTH) for left in lefts]


def _staircase_header(labels: list[str], columns: list[tuple[float, float]]) -> list[VisualLine]:
    """Category labels wrapped to their column, each starting on the line where the previous
    one ends ("Supérieur au" / "BAC BAC BEP/CAP Aucun" / "diplôme"), as real reports print
    them: read line by line, the labels come out whole and in order."""
    lines: list[list[Cell]] = [[]]
    line = 0
    for label, (left, _) in zip(labels, columns):
        parts = simpleSplit(label, BOLD_FONT, HEADER_SIZE, COLUMN_WIDTH)
        for offset, part in enumerate(parts):
            while len(lines) <= line + offset:
                lines.append([])
            lines[line + offset].append(Cell(part, left))
        line += len(parts) - 1
    return [VisualLine(tuple(cells), font=BOLD_FONT, size=HEADER_SIZE,
                       space_before=6.0 if index == 0 else 0.0)
            for index, cells in enumerate(lines)]


def _figure(value: int, unit: str) -> str:
    return f"{value} %" if unit == "percent" else cell_value(value)


def _profile_line(table: BreakdownTable) -> list[VisualLine]:
    """Labels of one dimension across the page, their figures below; the total as a last
    "Total :" column or as a "Total : N" line."""
    spec = table.spec
    labels = list(spec.labels[0]) + (["Total :"] if spec.total == TOTAL_COLUMN else [])
    columns = _columns(LEFT, len(labels))
    values = [table.grid[(code,)] for code in spec.codes[0]]
    if spec.total == TOTAL_COLUMN:
        values.append(table.totals[()])
    flow = _staircase_header(labels, columns)
    flow.append(VisualLine(tuple(Cell(_figure(value, spec.unit), right, True)
                                 for value, (_, right) in zip(values, columns))))
    if spec.total == TOTAL_LINE:
        flow.append(VisualLine((Cell(f"Total : {thousands(table.totals[()])}", LEFT),),
                               space_before=4.0))
    return flow


def _cross_tab(table: BreakdownTable) -> list[VisualLine]:
    """Column labels (+ "Total :"), one row per row label (+ its total), a "Total" row."""
    spec = table.spec
    (row_codes, column_codes), (row_labels, column_labels) = spec.codes, spec.labels
    with_total_column = spec.total == TOTAL_ROW_AND_COLUMN
    labels = list(column_labels) + (["Total :"] if with_total_column else [])
    columns = _columns(LEFT + ROW_LABEL_WIDTH, len(labels))
    flow = _staircase_header(labels, columns)
    column_totals = table.marginal(spec.dimensions[1])
    for number, (code, label) in enumerate(zip(row_codes, row_labels)):
        values = [table.grid[(code, column)] for column in column_codes]
        if with_total_column:
            values.append(sum(values))
        flow.append(_row(label, values, columns, spec.unit, rule_above=number == 0))
    totals = [column_totals[column] for column in column_codes]
    if with_total_column:
        totals.append(table.total)
    flow.append(_row("Total", totals, columns, spec.unit, rule_above=True, font=BOLD_FONT))
    return flow


def _row(label: str, values: list[int], columns: list[tuple[float, float]], unit: str,
         rule_above: bool = False, font: str = BODY_FONT) -> VisualLine:
    cells = (Cell(label, LEFT),) + tuple(Cell(_figure(value, unit), right, True)
                                         for value, (_, right) in zip(values, columns))
    return VisualLine(cells, font=font, rule_above=rule_above)


def _commune_list(table: BreakdownTable) -> list[VisualLine]:
    """Communes in two real columns, top to bottom then left to right; "Total : N" below."""
    spec = table.spec
    entries = [(label, table.grid[(code,)]) for code, label in zip(spec.codes[0], spec.labels[0])]
    half = math.ceil(len(entries) / 2)
    flow: list[VisualLine] = []
    for index in range(half):
        cells: list[Cell] = []
        for (name_x, value_x), position in zip(COMMUNE_COLUMNS, (index, index + half)):
            if position < len(entries):
                name, value = entries[position]
                cells += [Cell(name, name_x), Cell(cell_value(value), value_x, True)]
        flow.append(VisualLine(tuple(cells), space_before=6.0 if index == 0 else 0.0))
    if () in table.totals:
        flow.append(VisualLine((Cell(f"Total : {thousands(table.totals[()])}", LEFT),),
                               space_before=4.0))
    return flow


# --- headline sentences -------------------------------------------------------------------------


def _share_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    holder = table.grid.get(("holder",), 0)
    return f"{holder} % des jeunes inscrits pour la première fois sont titulaires du permis B."


def _sex_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    sexes = table.marginal("sex")
    return (f"Parmi les {thousands(table.total)} jeunes accueillis pour la première fois, "
            f"{thousands(sexes['female'])} sont des femmes et {thousands(sexes['male'])} des "
            "hommes.")


def _interviews_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    interviews = table.grid.get(("individual_interview",), 0)
    return (f"Les entretiens individuels représentent {thousands(interviews)} des "
            f"{thousands(table.total)} contacts de l’année.")


def _training_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    return (f"Les {thousands(figures.totals['training_entries'])} jeunes entrés en formation "
            f"ont suivi {thousands(table.total)} actions.")


def _employment_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    return (f"{thousands(table.total)} jeunes ont signé au moins un contrat de travail en "
            f"{figures.year}.")


def _measures_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    return (f"Après leur entrée dans le dispositif, les jeunes ont démarré "
            f"{thousands(table.total)} mesures.")


def _mentoring_headline(table: BreakdownTable, figures: ReportFigures) -> str:
    return f"{thousands(table.total)} jeunes ont rejoint le programme de parrainage en {figures.year}."


# (indicator, dimensions) -> the sentence printed before that table (figures from the table).
_HEADLINES: dict[tuple[str, tuple[str, ...]], Callable[[BreakdownTable, ReportFigures], str]] = {
    ("new_registrations_share", ("driving_licence",)): _share_headline,
    ("new_registrations_profile", ("sex", "age_band")): _sex_headline,
    ("contacts_by_nature", ("contact_nature",)): _interviews_headline,
    ("training_actions", ("training_type",)): _training_headline,
    ("employment_youths_profile", ("qualification_level",)): _employment_headline,
    ("cej_measures", ("situation_type",)): _measures_headline,
    ("mentoring_youths", ("qualification_level",)): _mentoring_headline,
}
