"""Label-table rows as printed: "label figure(s)" lines, their runs, and the tables they form.

The label and its figures are told apart by the mapping: every split of a line into a label
and a tail of figures is tried ("Information Collective / Atelier 6 209": "/" is in the label),
and the splits whose label maps give the row's readings; the stated total chooses between them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from extractors.activity_report.page_breaks import continued_at
from extractors.lines import Line
from extractors.headings import SectionContext
from extractors.numbers import MAX_NUMBER_TOKENS, Reading, readings, split_cells
from extractors.reference import normalise_label
from extractors.wording_rules import UnknownLabel, dimension_code

_MAX_WRAPPED_LINES = 2  # lines a label may be printed on before the line holding its figure
_PERCENT_ROW = re.compile(r"^(?P<label>.*\S)\s+(?P<value>\d+(?:,\d+)?)\s*%$")
TOTAL_WORD = re.compile(r"^total\b")
# "Graph1", "Feuil1": an embedded spreadsheet's chart data follows, in tab-separated lines.
_CHART_RESIDUE = re.compile(r"^(?:graph|feuil)\d+$", re.IGNORECASE)
_LEADING_BULLET = re.compile(r"^[\s\-–—•\uf000-\uf8ff]+")
_TRAILING_COLON = re.compile(r"[\s:]+$")
LETTER = re.compile(r"[^\W\d_]")


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
    # every split's reading -> its label, for a table whose dimension does not know the label
    printed: dict[Reading, str] = field(default_factory=dict)

    @property
    def dimensions(self) -> set[str]:
        return set(self.codes)


@dataclass
class Run:
    """Rows printed one after the other (blank lines allowed), and the total that closes them."""

    rows: list[Row]
    total: int | None = None  # index of the "Total ..." line


def row_splits(text: str, year: int) -> tuple[bool, list[tuple[str, list[str]]]] | None:
    """Whether a line is a share ("… 24 %"), and every (label, figure tokens) split of it,
    widest figure tail first; None when it is not a "label figures" line."""
    text = " ".join(text.split())
    if not text or TOTAL_WORD.match(normalise_label(text)):
        return None
    if match := _PERCENT_ROW.match(text):
        label = _clean(match["label"])
        return (True, [(label, [match["value"]])]) if LETTER.search(label) else None
    tokens = text.split()
    splits = []
    # A row's figure is one number: a longer tail can never be read (numbers.MAX_NUMBER_TOKENS),
    # and trying every split of a long line would be quadratic in its length.
    for start in range(max(1, len(tokens) - MAX_NUMBER_TOKENS), len(tokens)):
        cells = split_cells(" ".join(tokens[start:]))
        label = _clean(" ".join(tokens[:start]))
        if cells and LETTER.search(label) and cells != [str(year)]:  # "... en 2023": prose
            splits.append((label, cells))
    return (False, splits) if splits else None


def _clean(label: str) -> str:
    """A label without its list bullet ("- Femmes :") or trailing colon."""
    return _TRAILING_COLON.sub("", _LEADING_BULLET.sub("", label))


def _read_row(index: int, line: Line, text: str, year: int, dimensions: set[str]) -> Row | None:
    parsed = row_splits(text, year)
    if parsed is None:
        return None
    percent, splits = parsed
    codes: dict[str, str] = {}
    options: dict[str, dict[Reading, str]] = {}
    split_labels: dict[Reading, str] = {}
    label = splits[0][0]
    printed: dict[Reading, str] = {}
    for split_label, cells in splits:
        for reading in readings(cells, 1):
            printed.setdefault(reading, split_label)
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
    return Row(index, line, label, percent, codes, options, split_labels, printed)


def find_runs(lines: tuple[Line, ...], year: int, dimensions: set[str],
              contexts: list[SectionContext] | None = None) -> list[Run]:
    """The runs of rows of the document, each with the total line that closes it, if any.
    With the lines' section contexts, a run split by a page break is read as one."""
    running = _running_lines(lines, year, dimensions, contexts) if contexts else set()
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
        if index in running:
            continue
        text = line.text.strip()
        if residue and (not text or "\t" in line.text):
            continue  # chart data of an embedded spreadsheet: never a table row
        residue = bool(_CHART_RESIDUE.match(text))
        if residue or not text or line.is_page_number:
            if residue or texts:
                close()
            texts = []
            continue
        if TOTAL_WORD.match(normalise_label(text)):
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


def _running_lines(lines: tuple[Line, ...], year: int, dimensions: set[str],
                   contexts: list[SectionContext]) -> set[int]:
    """The lines of running footers and headers that a page break prints between two parts of
    a table: after a row, before a row of the same dimension, in the same section."""
    def row_at(line: Line) -> Row | None:
        row = _read_row(0, line, line.text.strip(), year, dimensions)
        return row if row is not None and row.codes else None

    running: set[int] = set()
    for index, line in enumerate(lines):
        row = row_at(line) if line.text.strip() and not line.is_page_number else None
        if row is None:
            continue
        resumed = continued_at(lines, index + 1, line, lambda after: bool(
            (after_row := row_at(after)) and after_row.dimensions & row.dimensions))
        if resumed is not None and resumed > index + 1 and contexts[resumed] == contexts[index]:
            running.update(range(index + 1, _first_row_above(lines, index + 1, resumed, year)))
    return running


def _first_row_above(lines: tuple[Line, ...], start: int, resumed: int, year: int) -> int:
    """Where the rows of the resumed part begin: the "label figure" lines printed right above
    the first row whose label maps (a renamed row after the page break is a row of the table,
    never part of the running header)."""
    while resumed - 1 >= start and lines[resumed - 1].text.strip() and \
            not lines[resumed - 1].is_page_number and row_splits(lines[resumed - 1].text, year) is not None:
        resumed -= 1
    return resumed


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


@dataclass
class LabelTable:
    rows: list[Row]
    dimensions: set[str]  # the dimensions every mapped row can belong to
    total: int | None


def run_tables(run: Run) -> list[LabelTable]:
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
