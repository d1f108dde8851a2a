"""Layout of the breakdown tables of a sample report, in the places a real report prints them.

Each table is printed in the chapter of the commune table it details (`_HOME`; a table kind
added to the mappings later gets a chapter of its own), under headings built from its mapping
entry's section wording: the chapter title when it already holds those words, else a part
"I. <wording>". The headings are checked against the mapping files as the extractor reads
them (exactly one entry of the table's dimensions matches), so a sample never prints a table
the extractor would not attribute.

The tables themselves are laid out by breakdown_table_lines.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from extractors.activity_report.label_table_mapping import label_table_mappings
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.headings import SectionContext
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.headings import label_words
from sample_inputs.breakdown_table_lines import (
    commune_list_lines,
    cross_tab_lines,
    profile_block_lines,
    vertical_table_flow,
)
from sample_inputs.breakdowns import (
    COMMUNE_LIST,
    CROSS_TAB,
    LABEL_TABLE,
    SHARE_LIST,
    BreakdownTable,
)
from sample_inputs.pages import Flow, KeepTogether, paragraph, roman, section, thousands
from sample_inputs.report_figures import ReportFigures


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
            return flow + caption + vertical_table_flow(table, split_after)
        body = {CROSS_TAB: cross_tab_lines, COMMUNE_LIST: commune_list_lines}.get(kind, profile_block_lines)(table)
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
