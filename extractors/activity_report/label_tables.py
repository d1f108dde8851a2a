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

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from extractors import mappings
from extractors.activity_report.commune_tables import _TOTAL_PREFIX, _fact
from extractors.activity_report.sections import SectionContext
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.documents import Document, Line
from extractors.facts import (
    FLAG_RESOLVED_BY_CONSTRAINTS,
    FLAG_SOURCE_TOTAL_MISMATCH,
    ExtractionIssue,
    Fact,
)
from extractors.mappings import SectionRule, UnknownLabel, dimension_code, entries_for_section, label_words
from extractors.numbers import MAX_NUMBER_TOKENS, Reading, readings, resolve_table, split_cells
from extractors.reference import normalise_label

LABEL_TABLES_FILE = "ml_activity_report_label_tables.yaml"
_MAX_WRAPPED_LINES = 2  # lines a label may be printed on before the line holding its figure
_HEADER_MAX_LINES = 8  # lines above the first row searched for the table's header
_PERCENT_ROW = re.compile(r"^(?P<label>.*\S)\s+(?P<value>\d+(?:,\d+)?)\s*%$")
_TOTAL_WORD = re.compile(r"^total\b")
# "Graph1", "Feuil1": an embedded spreadsheet's chart data follows, in tab-separated lines.
_CHART_RESIDUE = re.compile(r"^(?:graph|feuil)\d+$", re.IGNORECASE)
_LEADING_BULLET = re.compile(r"^[\s\-–—•\uf000-\uf8ff]+")
_TRAILING_COLON = re.compile(r"[\s:]+$")
_LETTER = re.compile(r"[^\W\d_]")


# --- the mapping file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LabelTableMapping:
    indicator: str
    dimension: str
    section: SectionRule  # the headings it is printed under
    header_labels: dict[int, str] = field(default_factory=dict)  # optional: its column headers

    def in_section(self, context: SectionContext, year: int) -> bool:
        return self.section.matches(context, year)

    def header_words(self, year: int) -> list[tuple[str, ...]]:
        return [label_words(label, year) for label in _by_edition(self.header_labels, year)]


def _by_edition(labels: dict[int, str], year: int) -> list[str]:
    editions = [year] if year in labels else sorted(labels, reverse=True)
    return [labels[edition] for edition in editions]


def label_table_mappings() -> tuple[LabelTableMapping, ...]:
    """The entries of the mapping file (read from extractors.mappings.MAPPINGS_DIR)."""
    return _load_mappings(mappings.MAPPINGS_DIR / LABEL_TABLES_FILE)


@cache
def _load_mappings(path: Path) -> tuple[LabelTableMapping, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalogue, dimensions = load_catalogue(), load_dimensions()
    entries = []
    for entry in data["label_tables"]:
        mapping = LabelTableMapping(
            indicator=entry["indicator"],
            dimension=entry["dimension"],
            section=SectionRule.parse(entry.get("section")),
            header_labels={int(year): str(label)
                           for year, label in (entry.get("header") or {}).items()},
        )
        indicator = catalogue.get(mapping.indicator)
        if indicator is None or mapping.dimension not in dimensions:
            raise ValueError(f"{path}: {mapping.indicator} / {mapping.dimension} is not in the "
                             "catalogue (indicators.yaml / dimensions.yaml)")
        if (mapping.dimension,) not in indicator.breakdowns:
            raise ValueError(f"{path}: {mapping.indicator} is not published by "
                             f"{mapping.dimension} in indicators.yaml")
        if mapping.section is None:
            raise ValueError(f"{path}: {mapping.indicator} / {mapping.dimension} names no section")
        entries.append(mapping)
    return tuple(entries)


# --- reading the lines --------------------------------------------------------------------------


@dataclass
class Row:
    """A line read as "label figure(s)", before its table is known."""

    index: int  # position in the document's lines of the row's first line
    line: Line  # the line where the figure is printed
    label: str  # as printed (the widest figure tail's label when no split maps)
    percent: bool
    codes: dict[str, str]  # dimension -> code of the label
    options: dict[str, dict[Reading, str]]  # dimension -> reading of the figure -> code
    split_labels: dict[Reading, str] = field(default_factory=dict)  # reading -> its label

    @property
    def dimensions(self) -> set[str]:
        return set(self.codes)


@dataclass
class Run:
    """Rows printed one after the other (blank lines allowed), and the total that closes them."""

    rows: list[Row]
    total: int | None = None  # index of the "Total ..." line


def _splits(text: str, year: int) -> tuple[bool, list[tuple[str, list[str]]]] | None:
    """Whether a line is a share ("… 24 %"), and every (label, figure tokens) split of it,
    widest figure tail first; None when it is not a "label figures" line."""
    text = " ".join(text.split())
    if not text or _TOTAL_WORD.match(normalise_label(text)):
        return None
    if match := _PERCENT_ROW.match(text):
        label = _clean(match["label"])
        return (True, [(label, [match["value"]])]) if _LETTER.search(label) else None
    tokens = text.split()
    splits = []
    # A row's figure is one number: a longer tail can never be read (numbers.MAX_NUMBER_TOKENS),
    # and trying every split of a long line would be quadratic in its length.
    for start in range(max(1, len(tokens) - MAX_NUMBER_TOKENS), len(tokens)):
        cells = split_cells(" ".join(tokens[start:]))
        label = _clean(" ".join(tokens[:start]))
        if cells and _LETTER.search(label) and cells != [str(year)]:  # "... en 2023": prose
            splits.append((label, cells))
    return (False, splits) if splits else None


def _clean(label: str) -> str:
    """A label without its list bullet ("- Femmes :") or trailing colon."""
    return _TRAILING_COLON.sub("", _LEADING_BULLET.sub("", label))


def _read_row(index: int, line: Line, text: str, year: int, dimensions: set[str]) -> Row | None:
    parsed = _splits(text, year)
    if parsed is None:
        return None
    percent, splits = parsed
    codes: dict[str, str] = {}
    options: dict[str, dict[Reading, str]] = {}
    split_labels: dict[Reading, str] = {}
    label = splits[0][0]
    for split_label, cells in splits:
        for dimension in sorted(dimensions):
            try:
                code = dimension_code(dimension, split_label, year)
            except UnknownLabel:
                continue
            if not codes:
                label = split_label
            codes.setdefault(dimension, code)
            for reading in readings(cells, 1):
                options.setdefault(dimension, {}).setdefault(reading, code)
                split_labels.setdefault(reading, split_label)
    return Row(index, line, label, percent, codes, options, split_labels)


def _runs(lines: tuple[Line, ...], year: int, dimensions: set[str]) -> list[Run]:
    """The runs of rows of the document, each with the total line that closes it, if any."""
    runs: list[Run] = []
    current: list[Row] = []
    texts: list[int] = []  # indexes of the text lines right above (a label may wrap over them)
    residue = False

    def close(total: int | None = None) -> None:
        nonlocal current
        if current:
            runs.append(Run(current, total))
        current = []

    for index, line in enumerate(lines):
        text = line.text.strip()
        if residue and (not text or "\t" in line.text):
            continue  # chart data of an embedded spreadsheet: never a table row
        residue = bool(_CHART_RESIDUE.match(text))
        if residue or not text or line.is_page_number:
            if residue or texts:
                close()
            texts = []
            continue
        if _TOTAL_WORD.match(normalise_label(text)):
            close(None if texts else index)
            texts = []
            continue
        row = _read_row(index, line, text, year, dimensions)
        if texts and (row is None or not row.codes):
            row = _wrapped_row(lines, texts, index, year, dimensions) or row
        if row is None:
            texts.append(index)
            continue
        if texts and row.index != texts[0]:
            close()  # text lines between this row and the run's rows end the run
        if current and current[-1].percent != row.percent:
            close()
        current.append(row)
        texts = []
    close()
    return runs


def _wrapped_row(lines: tuple[Line, ...], texts: list[int], index: int, year: int,
                 dimensions: set[str]) -> Row | None:
    """A row whose label starts on the text line(s) right above its figure's line, if the
    whole label maps ("Insertion sociale (santé, logement, / ressources, …) 10 955", or a
    label alone on its line above its figure)."""
    for count in range(1, min(_MAX_WRAPPED_LINES, len(texts)) + 1):
        above = texts[-count:]
        if above[-1] != index - 1 or above != list(range(above[0], index)):
            return None
        text = " ".join(lines[i].text.strip() for i in above) + " " + lines[index].text.strip()
        row = _read_row(above[0], lines[index], text, year, dimensions)
        if row is not None and row.codes:
            return row
    return None


# --- tables -------------------------------------------------------------------------------------


@dataclass
class LabelTable:
    rows: list[Row]
    dimensions: set[str]  # the dimensions every mapped row can belong to
    total: int | None


def _tables(run: Run) -> list[LabelTable]:
    """A run's tables. Rows before a total form one table, of the dimension most of their
    labels map to; a list of shares is cut where its labels change dimension (the driving
    licence list runs straight into the housing list)."""
    if not run.rows[0].percent:
        counts = Counter(d for row in run.rows for d in row.dimensions)
        if not counts:
            return []
        most = max(counts.values())
        return [LabelTable(run.rows, {d for d, n in counts.items() if n == most}, run.total)]
    tables: list[LabelTable] = []
    pending: list[Row] = []
    for row in run.rows:
        if not row.dimensions:
            (tables[-1].rows if tables else pending).append(row)
        elif tables and tables[-1].dimensions & row.dimensions:
            tables[-1].rows.append(row)
            tables[-1].dimensions &= row.dimensions
        else:
            tables.append(LabelTable(pending + [row], set(row.dimensions), None))
            pending = []
    if tables:
        tables[-1].total = run.total
    return tables


def extract_label_tables(
    document: Document, year: int, structure: str, contexts: list[SectionContext]
) -> tuple[list[Fact], list[ExtractionIssue]]:
    """Facts of every mapped label table; an issue for everything that is not extracted."""
    entries = label_table_mappings()
    units = {code: indicator.unit for code, indicator in load_catalogue().items()}
    dimensions = {entry.dimension for entry in entries}
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    seen: dict[tuple[str, str], Line] = {}

    def issue(line: Line, reason: str, severity: str = "error", candidates=()) -> None:
        issues.append(ExtractionIssue(
            path=document.path, sha256=document.sha256, severity=severity, reason=reason,
            page=line.page, line=line.number, text=line.text, year=year, structure=structure,
            candidates=tuple(candidates),
        ))

    for run in _runs(document.lines, year, dimensions):
        for table in _tables(run):
            first = table.rows[0]
            context = contexts[first.index]
            what = f"{' or '.join(sorted(table.dimensions))} table"
            matched, drifted = entries_for_section(
                [entry for entry in entries if entry.dimension in table.dimensions],
                lambda entry: entry.in_section(context, year))
            if drifted:
                issue(first.line, f"{what} in section '{context}' read as {matched[0].indicator}, "
                      f"the only entry of {LABEL_TABLES_FILE} with these labels: add this "
                      f"section's wording for {year}", severity="warning")
            if not matched:
                issue(first.line, f"{what} in section '{context}' matches no entry of "
                      f"{LABEL_TABLES_FILE}; not extracted", severity="warning")
                continue
            if len(matched) > 1:
                names = ", ".join(f"{e.indicator} ({e.dimension})" for e in matched)
                issue(first.line, f"{what} in section '{context}' matches several entries of "
                      f"{LABEL_TABLES_FILE}: {names}; not extracted", severity="warning")
                continue
            entry = matched[0]
            key = (entry.indicator, entry.dimension)
            if key in seen:
                issue(first.line, f"second {entry.indicator} table by {entry.dimension} (first "
                      f"at line {seen[key].number}); not extracted")
                continue
            seen[key] = first.line
            table_facts, problems = _read_table(document, table, entry, year, structure, units)
            for line, reason, severity, candidates in problems:
                issue(line, f"{entry.indicator}: {reason}; table not extracted", severity,
                      candidates)
            facts.extend(table_facts)
    return facts, issues


def _read_table(document, table: LabelTable, entry: LabelTableMapping, year, structure, units):
    """The table's facts, or the problems that keep it from being extracted."""
    dimension, lines = entry.dimension, document.lines
    problems = []
    for row in table.rows:
        if dimension not in row.codes:
            problems.append((row.line, f"label {row.label!r} is not in dimension_labels.yaml for "
                             f"{dimension} ({year})", "error", ()))
        elif not row.options.get(dimension):
            problems.append((row.line, f"cannot read one figure after {row.label!r}", "error", ()))
    if problems:
        return [], problems
    codes = Counter(row.codes[dimension] for row in table.rows)
    twice = sorted(code for code, count in codes.items() if count > 1)
    if twice:
        return [], [(table.rows[0].line, f"{dimension} code(s) printed twice: {', '.join(twice)}",
                     "error", ())]
    unit = units[entry.indicator]
    if table.rows[0].percent != (unit == "percent"):
        printed = "shares (%)" if table.rows[0].percent else "counts"
        return [], [(table.rows[0].line, f"the rows are {printed} but the indicator's unit is "
                     f"{unit}", "warning", ())]

    total_line = lines[table.total] if table.total is not None else None
    total_cells = _total_cells(total_line, table.rows[0].percent)
    if total_line is None and not table.rows[0].percent:
        return [], [(table.rows[-1].line, f"rows of {dimension} with no stated total after them",
                     "warning", ())]
    if total_line is not None and total_cells is None:
        if table.rows[0].percent:
            total_line = None  # a count under a list of shares: not this list's total
        else:
            return [], [(total_line, "the stated total holds something other than figures",
                         "error", ())]

    row_options = [list(row.options[dimension]) for row in table.rows]
    total_options = readings(total_cells, 1) if total_line is not None else []
    if total_line is not None:
        reading = resolve_table(row_options, total_options, set())
        if reading.problem:
            candidates = [_candidates(row, options)
                          for row, options in zip(table.rows, row_options) if len(options) > 1]
            if len(total_options) > 1:
                candidates.append("total: " + " | ".join(_show(r) for r in total_options))
            return [], [(table.rows[0].line, reading.problem, "error", candidates)]
        chosen, total, mismatch = reading.rows, reading.total, bool(reading.mismatched_columns)
        resolved = reading.resolved_rows
    else:
        ambiguous = [row for row, options in zip(table.rows, row_options) if len(options) > 1]
        if ambiguous:  # a list of shares has no total to choose with
            candidates = [_candidates(row, list(row.options[dimension])) for row in ambiguous]
            return [], [(ambiguous[0].line, "ambiguous figures and no stated total to choose",
                         "error", candidates)]
        chosen = [options[0] for options in row_options]
        total, mismatch, resolved = None, False, set()

    table_ref = _table_ref(entry, _header_line(lines, table, entry, year)
                           or lines[table.rows[0].index])
    facts = []
    for index, (row, value) in enumerate(zip(table.rows, chosen)):
        flags = (FLAG_RESOLVED_BY_CONSTRAINTS,) if index in resolved else ()
        facts.append(_fact(document, entry.indicator, value[0], units, year, structure, row.line,
                           table_ref, flags, {dimension: row.options[dimension][value]}))
    if total is not None:
        flags = (FLAG_SOURCE_TOTAL_MISMATCH,) if mismatch else ()
        facts.append(_fact(document, entry.indicator, total[0], units, year, structure,
                           total_line, table_ref, flags, {}, is_total=True))
    return facts, []


def _total_cells(line: Line | None, percent: bool) -> list[str] | None:
    """The figure tokens of a "Total : 42 318" line ("Total : 100 %" under shares; a count
    may be followed by what it counts: "Total : 1 634 jeunes reçus en entretien")."""
    if line is None:
        return None
    text = _TOTAL_PREFIX.sub("", line.text).strip()
    if percent:
        return split_cells(text[:-1]) if text.endswith("%") else None
    tokens = text.split()
    figures = 0
    while figures < len(tokens) and split_cells(tokens[figures]) is not None:
        figures += 1
    if figures < len(tokens) and not _LETTER.match(tokens[figures]):
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
        if _TOTAL_WORD.match(normalise_label(text)) or _splits(text, year) is not None:
            return None  # the rows of something printed above: the headers are not there
        if text.strip():
            seen |= set(label_words(text, year))
            if any(words <= seen for words in wanted):
                return lines[index]
        index -= 1
    return None


def _table_ref(entry: LabelTableMapping, line: Line) -> str:
    place = f"p{line.page}l{line.number}" if line.page is not None else f"l{line.number}"
    return f"{entry.indicator}@{place}"


def _candidates(row: Row, options: list[Reading]) -> str:
    """A row's readings: "line 7: 'Accès à l'emploi' 1 858 | 'Accès à l'emploi 1' 858"."""
    return f"line {row.line.number}: " + " | ".join(
        f"{row.split_labels[reading]!r} {_show(reading)}" for reading in options)


def _show(reading: Reading) -> str:
    return " / ".join(f"{value:,}".replace(",", " ").replace(".", ",") for value in reading)
