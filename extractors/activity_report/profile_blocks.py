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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

import yaml

from extractors import mappings
from extractors.activity_report.commune_tables import find_commune_tables, segments
from extractors.activity_report.sections import SectionContext
from extractors.catalogue import load_catalogue, load_dimensions
from extractors.documents import Document, Line
from extractors.facts import (
    FLAG_RESOLVED_BY_CONSTRAINTS,
    FLAG_SOURCE_TOTAL_MISMATCH,
    ExtractionIssue,
    Fact,
    Source,
)
from extractors.mappings import SectionRule, entries_for_section
from extractors.numbers import ZERO_MARK, readings, resolve_table
from extractors.reference import Commune, communes_by_name, normalise_label

MAPPING_FILE = "ml_activity_report_profile_blocks.yaml"
COMMUNE = "commune"
_HEADER_MAX_LINES = 4  # a header wraps over at most this many printed (non-blank) lines
_MIN_LABELS = 2  # a single label is a caption, not a header
_TOTAL_WORD = "total"
_TOTAL_PREFIX = re.compile(r"^\s*total(?:\s+g[ée]n[ée]ral)?\s*:?\s*", re.IGNORECASE)
_FIGURE_TOKEN = re.compile(r"^(?:\d+(?:,\d+)?%?|/|%)$")
_COUNT_TOKEN = re.compile(r"^(?:\d+|/)$")
_WORD = re.compile(r"[a-z0-9]+")

Value = int | Decimal
Row = tuple[Value, ...]


# --- Mapping file --------------------------------------------------------------------------

@dataclass(frozen=True)
class ProfileBlockMapping:
    indicator: str
    dimensions: frozenset[str]
    section: SectionRule  # the headings it is printed under

    def matches(self, context: SectionContext, year: int) -> bool:
        return self.section.matches(context, year)


@cache
def profile_block_mappings() -> tuple[ProfileBlockMapping, ...]:
    """The mapping file's entries, checked against the catalogue (a mismatch is a bug)."""
    path = mappings.MAPPINGS_DIR / MAPPING_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    catalogue, dimensions = load_catalogue(), load_dimensions()
    entries = []
    for entry in data["profile_blocks"]:
        indicator = catalogue.get(entry["indicator"])
        dims = frozenset(entry["dimensions"])
        if indicator is None:
            raise ValueError(f"{path}: unknown indicator {entry['indicator']!r}")
        if unknown := dims - set(dimensions):
            raise ValueError(f"{path}: {indicator.code}: unknown dimensions {sorted(unknown)}")
        if dims not in {frozenset(breakdown) for breakdown in indicator.breakdowns}:
            raise ValueError(f"{path}: {indicator.code}: dimensions {sorted(dims)} are not one "
                             f"of its catalogue breakdowns {list(indicator.breakdowns)}")
        section = SectionRule.parse(entry.get("section"))
        if section is None:
            raise ValueError(f"{path}: {indicator.code}: every entry needs its section headings")
        entries.append(ProfileBlockMapping(indicator.code, dims, section))
    return tuple(entries)


# --- Labels ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Label:
    dimension: str
    words: tuple[str, ...]  # normalised words, in print order
    code: str


def _words(text: str) -> tuple[str, ...]:
    """A printed text as its normalised words, in order (punctuation dropped)."""
    return tuple(_WORD.findall(normalise_label(text)))


def _vocabulary(dimension: str, year: int) -> dict[tuple[str, ...], Label]:
    """Printed labels of a dimension for an edition (its own, else every listed edition's,
    latest first), keyed by their words."""
    editions = mappings.dimension_labels().get(dimension, {})
    order = [year] if year in editions else sorted(editions, reverse=True)
    vocabulary: dict[tuple[str, ...], Label] = {}
    for edition in order:
        for label, code in editions[edition].items():
            words = _words(label)
            if words:
                vocabulary.setdefault(words, Label(dimension, words, code))
    return vocabulary


def _parse_labels(words: tuple[str, ...], vocabulary: dict[tuple[str, ...], Label]
                  ) -> tuple[list[Label], bool] | None:
    """Read `words` as a sequence of labels (longest label first), optionally ending with
    "total"; None unless every word is used."""
    labels: list[Label] = []
    index = 0
    while index < len(words):
        best = max((label for key, label in vocabulary.items()
                    if words[index:index + len(key)] == key), key=lambda l: len(l.words),
                   default=None)
        if best is None:
            if words[index:] == (_TOTAL_WORD,):
                return labels, True
            return None
        labels.append(best)
        index += len(best.words)
    return labels, False


def _label_prefix(tokens: list[str], vocabulary: dict[tuple[str, ...], Label]
                  ) -> tuple[Label, list[str]] | None:
    """A row "<label> figures": the shortest leading label after which only figures follow."""
    for end in range(1, len(tokens)):
        label = vocabulary.get(_words(" ".join(tokens[:end])))
        if label and all(_FIGURE_TOKEN.match(token) for token in tokens[end:]):
            return label, tokens[end:]
    return None


# --- Printed blocks --------------------------------------------------------------------------

@dataclass
class Header:
    dimension: str
    labels: list[Label]
    has_total: bool  # the header ends with "Total :": each figure line ends with its total
    lines: list[Line]


@dataclass
class BlockRow:
    line: Line
    tokens: list[str]
    label: Label | None = None  # cross-tab row label
    commune: Commune | None = None  # commune list row


@dataclass
class Block:
    """A block as printed, before its figures are read."""

    first_line: Line  # where the block starts: its header, or its first row
    first_index: int  # index of first_line in document.lines (for its section context)
    header: Header | None
    rows: list[BlockRow] = field(default_factory=list)
    row_dimension: str | None = None  # cross-tab only
    total_line: Line | None = None
    total_tokens: list[str] | None = None
    problem: tuple[Line, str] | None = None  # found while cutting the block, reported if mapped

    @property
    def dimensions(self) -> frozenset[str]:
        if self.header is None:
            return frozenset({COMMUNE})
        return frozenset({self.header.dimension} | ({self.row_dimension} - {None}))

    @property
    def describe(self) -> str:
        if self.header is None:
            return "commune list"
        labels = " | ".join(" ".join(label.words) for label in self.header.labels)
        return (f"{' x '.join(sorted(self.dimensions))} block [{labels}"
                f"{' | total' if self.header.has_total else ''}]")


class BlockProblem(Exception):
    """A block whose layout was recognised but which cannot be read: reported, not guessed."""

    def __init__(self, line: Line, reason: str, candidates: tuple[str, ...] = ()):
        super().__init__(reason)
        self.line, self.reason, self.candidates = line, reason, candidates
        self.header: Header | None = None  # set for a header whose block cannot be cut
        self.first_index = 0  # index of the header's first line in document.lines


def _figure_tokens(text: str) -> list[str] | None:
    tokens = text.split()
    if tokens and all(_FIGURE_TOKEN.match(token) for token in tokens):
        return tokens
    return None


def _total_tokens(text: str) -> list[str] | None:
    """The leading figures of a "Total : 1 634 jeunes reçus en entretien" line, else None."""
    if _words(text)[:1] != (_TOTAL_WORD,):
        return None
    tokens = []
    for token in _TOTAL_PREFIX.sub("", text).split():
        if not _FIGURE_TOKEN.match(token):
            break
        tokens.append(token)
    return tokens or None


def _row_like(text: str) -> tuple[str, list[str]] | None:
    """Words followed by figures ("Filles 67 179 89 335"): (the words, the figures), else None."""
    tokens = text.split()
    cut = len(tokens)
    while cut and _FIGURE_TOKEN.match(tokens[cut - 1]):
        cut -= 1
    name = " ".join(tokens[:cut])
    if not cut or cut == len(tokens) or not re.search(r"[^\W\d_]", name):
        return None
    return name, tokens[cut:]


class _Scanner:
    """Walks the printed (non-blank) lines of a document and cuts them into blocks."""

    def __init__(self, document: Document, year: int, dimensions: set[str]):
        self.lines = document.lines
        self.year = year
        self.vocabularies = {dim: _vocabulary(dim, year) for dim in sorted(dimensions - {COMMUNE})}
        self.vocabulary_words = {dim: {word for key in vocabulary for word in key}
                                 for dim, vocabulary in self.vocabularies.items()}
        self.find_communes = COMMUNE in dimensions
        excluded = _commune_table_lines(document, year)
        self.content = [index for index, line in enumerate(self.lines)
                        if line.text.strip() and not line.is_page_number
                        and index not in excluded]

    def line(self, position: int) -> Line | None:
        return self.lines[self.content[position]] if position < len(self.content) else None

    def blocks(self):
        """Yield (Block | BlockProblem) for every block, in print order."""
        position = 0
        while position < len(self.content):
            header, after = self._header(position)
            if header is not None:
                try:
                    block, position = self._read_labelled_block(header, position, after)
                    yield block
                except BlockProblem as problem:
                    problem.header, problem.first_index = header, self.content[position]
                    position = after
                    yield problem
                continue
            if self.find_communes and _commune_rows(self.line(position)) is not None:
                block, position = self._read_commune_list(position)
                yield block
                continue
            position += 1

    def _header(self, position: int) -> tuple[Header | None, int]:
        """The header starting at `position` (its longest complete reading) and the position
        after it, or (None, position)."""
        best: tuple[Header | None, int] = (None, position)
        for dimension, vocabulary in self.vocabularies.items():
            allowed = self.vocabulary_words[dimension] | {_TOTAL_WORD}
            words: tuple[str, ...] = ()
            for end in range(position, min(position + _HEADER_MAX_LINES, len(self.content))):
                line_words = _words(self.line(end).text)
                if not line_words or not set(line_words) <= allowed:
                    break
                words += line_words
                parsed = _parse_labels(words, vocabulary)
                if parsed is None:
                    continue
                labels, has_total = parsed
                codes = [label.code for label in labels]
                if len(labels) < _MIN_LABELS or len(set(codes)) != len(codes):
                    continue
                if end + 1 > best[1]:
                    lines = [self.line(p) for p in range(position, end + 1)]
                    best = (Header(dimension, labels, has_total, lines), end + 1)
        return best

    def _read_labelled_block(self, header: Header, start: int, position: int
                             ) -> tuple[Block, int]:
        first = self.line(start)
        block = Block(first, self.content[start], header)
        line = self.line(position)
        where = f"{block.describe}"
        if line is None:
            raise BlockProblem(header.lines[-1], f"{where}: no figures after the header")
        tokens = _figure_tokens(line.text)
        if tokens is not None:  # one line of figures
            block.rows.append(BlockRow(line, tokens))
            position += 1
            following = self.line(position)
            if following is not None and (total := _total_tokens(following.text)):
                block.total_line, block.total_tokens = following, total
                position += 1
            return block, position
        # a cross-tab: rows "<label> figures" until the "Total" row
        while line is not None:
            total = _total_tokens(line.text)
            if total is not None and block.rows:
                block.total_line, block.total_tokens = line, total
                return block, position + 1
            row = self._crosstab_row(line, header, block)
            if row is None:
                break
            block.rows.append(row)
            position += 1
            line = self.line(position)
        if not block.rows:
            printed = line.text.strip() if line is not None else "(end of document)"
            raise BlockProblem(line or header.lines[-1],
                               f"{where}: the header is not followed by figures or by rows "
                               f"'<label> figures' (next line: {printed!r})")
        return block, position

    def _crosstab_row(self, line: Line, header: Header, block: Block) -> BlockRow | None:
        """A row of the cross-tab, None at the end of the block; raises on an unknown label."""
        tokens = line.text.split()
        dimensions = ([block.row_dimension] if block.row_dimension
                      else [dim for dim in self.vocabularies if dim != header.dimension])
        for dimension in dimensions:
            found = _label_prefix(tokens, self.vocabularies[dimension])
            if found is not None:
                label, figures = found
                block.row_dimension = dimension
                return BlockRow(line, figures, label=label)
        shape = _row_like(line.text)
        if shape is None:
            return None
        name, _ = shape
        raise BlockProblem(line, f"{block.describe}: unknown label {name!r} in a cross-tab row: "
                                 f"not a label of {' or '.join(dimensions)} in extractors/mappings/"
                                 f"dimension_labels.yaml for {self.year}; block not extracted")

    def _read_commune_list(self, position: int) -> tuple[Block, int]:
        """Lines of one or two "<commune> <figure>" runs, and an optional "Total" line."""
        block = Block(self.line(position), self.content[position], None)
        while (line := self.line(position)) is not None:
            rows = _commune_rows(line)
            if rows is None:
                break
            block.rows.extend(BlockRow(line, values, commune=commune) for commune, values in rows)
            position += 1
        if line is not None and (unknown := _unknown_communes(line)):
            block.problem = (line, f"unknown commune {unknown!r} in a commune list")
            position += 1
        elif line is not None and (total := _total_tokens(line.text)) is not None:
            block.total_line, block.total_tokens = line, total
            position += 1
        return block, position


def _commune(name: str) -> Commune | None:
    return communes_by_name().get(normalise_label(name))


def _commune_rows(line: Line | None) -> list[tuple[Commune, list[str]]] | None:
    """The (commune, figures) runs of a line of a commune list (one or two communes), else None."""
    if line is None:
        return None
    runs = segments(line.text)
    if not runs or any(not name or not values for name, values in runs):
        return None
    communes = [_commune(name) for name, _ in runs]
    if any(commune is None for commune in communes):
        return None
    return [(commune, values) for commune, (_, values) in zip(communes, runs)]


def _unknown_communes(line: Line) -> str | None:
    """In a line shaped like a commune list line where some names are communes, the others."""
    runs = segments(line.text)
    if len(runs) < 2 or any(not name or not values for name, values in runs):
        return None
    unknown = [name for name, _ in runs if _commune(name) is None]
    return ", ".join(unknown) if unknown and len(unknown) < len(runs) else None


def _commune_table_lines(document: Document, year: int) -> set[int]:
    """Lines of the commune tables with a stated total: commune_tables.py extracts those."""
    index = {(line.page, line.number): position for position, line in enumerate(document.lines)}
    excluded: set[int] = set()
    for table in find_commune_tables(document.lines, year):
        if table.total_line is None:
            continue
        start = index[(table.header_line.page, table.header_line.number)]
        end = index[(table.total_line.page, table.total_line.number)]
        excluded.update(range(start, end + 1))
    return excluded


# --- Reading the figures ------------------------------------------------------------------------

@dataclass
class Figures:
    """A block's figures once read: a grid of cells and the totals printed with it."""

    cells: list[Row]  # one per body row, one value per header label
    row_totals: list[Value | None]  # the "Total :" column of each row, if printed
    column_totals: Row | None  # the "Total" row of a cross-tab (without the grand total)
    grand_total: Value | None
    percent: bool
    resolved_lines: set[tuple[int | None, int]]  # (page, line) of lines that needed the totals


def _line_readings(tokens: list[str], width: int) -> tuple[bool, list[Row]]:
    """Every reading of a line's figures as `width` values; percents end with "%"."""
    if not any("%" in token for token in tokens):
        if not all(_COUNT_TOKEN.match(token) for token in tokens):
            return False, []
        return False, readings(tokens, width)
    groups: list[list[str]] = [[]]
    for token in tokens:
        number = token.rstrip("%")
        if number:
            groups[-1].append(number)
        if token.endswith("%"):
            if not groups[-1]:
                return True, []
            groups.append([])
    if groups[-1] or len(groups) - 1 != width:
        return True, []  # a figure without its "%"
    values: list[Value] = []
    for group in groups[:-1]:
        options = readings(group, 1) if all(t == ZERO_MARK or t[0].isdigit() for t in group) else []
        if len(options) != 1:
            return True, []
        values.append(options[0][0])
    return True, [tuple(values)]


def _show(row: Row) -> str:
    return " / ".join(f"{value:,}".replace(",", " ").replace(".", ",") for value in row)


def _describe(line: Line, options: list[Row]) -> str:
    return f"line {line.number}: " + " | ".join(_show(option) for option in options)


def _read_figures(block: Block) -> Figures:
    """Read the block's figures, using every constraint printed with it; raise BlockProblem."""
    if block.header is None:
        columns, has_total_column = 1, False
    else:
        columns, has_total_column = len(block.header.labels), block.header.has_total
    width = columns + (1 if has_total_column else 0)
    options, kinds = [], set()
    for row in block.rows:
        percent, row_options = _line_readings(row.tokens, width)
        kinds.add(percent)
        if not row_options:
            raise BlockProblem(row.line, f"{block.describe}: cannot read {width} figure(s) "
                                         f"from {' '.join(row.tokens)!r}; block not extracted")
        options.append(row_options)
    total_options: list[Row] | None = None
    if block.total_line is not None:
        # a cross-tab's "Total" row is a row of column totals; elsewhere the total is one figure
        total_width = width if block.row_dimension is not None else 1
        percent, total_options = _line_readings(block.total_tokens, total_width)
        kinds.add(percent)
        if not total_options:
            raise BlockProblem(block.total_line, f"{block.describe}: cannot read {total_width} "
                               f"figure(s) from the stated total "
                               f"{' '.join(block.total_tokens)!r}; block not extracted")
    if len(kinds) > 1:
        raise BlockProblem(block.first_line, f"{block.describe}: percents and counts mixed")
    percent = kinds.pop()

    if block.header is None:
        return _read_commune_list(block, options, total_options, percent)
    if block.row_dimension is not None:
        return _read_crosstab(block, options, total_options, columns, has_total_column, percent)
    return _read_line(block, options, total_options, columns, has_total_column, percent)


def _place(line: Line) -> tuple[int | None, int]:
    return line.page, line.number


def _sums_to_total(row: Row, columns: int) -> bool:
    return sum(row[:columns]) == row[columns]


def _read_crosstab(block, options, total_options, columns, has_total_column, percent) -> Figures:
    """Rows of a cross-tab: each row's own total first, then the column totals (resolve_table)."""
    filtered = []
    for row_options in options:
        kept = row_options
        if has_total_column:
            kept = [option for option in row_options if _sums_to_total(option, columns)] or row_options
        filtered.append(kept)
    if total_options is not None:
        totals = total_options
        if has_total_column:
            totals = [option for option in totals if _sums_to_total(option, columns)] or totals
        reading = resolve_table(filtered, totals, set())
        if reading.problem:
            raise BlockProblem(block.first_line, f"{block.describe}: {reading.problem}; "
                                                 "block not extracted", tuple(reading.candidates))
        chosen, total = reading.rows, reading.total
    else:
        ambiguous = [_describe(row.line, row_options)
                     for row, row_options in zip(block.rows, filtered) if len(row_options) > 1]
        if ambiguous:
            raise BlockProblem(block.first_line, f"{block.describe}: ambiguous figures and no "
                                                 "stated total to choose; block not extracted",
                               tuple(ambiguous))
        chosen, total = [row_options[0] for row_options in filtered], None
    resolved = {_place(row.line) for row, row_options in zip(block.rows, options)
                if len(row_options) > 1}
    if total_options is not None and len(total_options) > 1:
        resolved.add(_place(block.total_line))
    return Figures(
        cells=[row[:columns] for row in chosen],
        row_totals=[row[columns] if has_total_column else None for row in chosen],
        column_totals=total[:columns] if total is not None else None,
        grand_total=total[columns] if total is not None and has_total_column else None,
        percent=percent, resolved_lines=resolved,
    )


def _read_commune_list(block, options, total_options, percent) -> Figures:
    """One figure per commune (in one column, a line has at most one reading)."""
    for row, row_options in zip(block.rows, options):
        if len(row_options) != 1:
            raise BlockProblem(row.line, f"{block.describe}: ambiguous figure "
                                         f"{' '.join(row.tokens)!r}; block not extracted",
                               (_describe(row.line, row_options),))
    if total_options is not None and len(total_options) != 1:
        raise BlockProblem(block.total_line, f"{block.describe}: ambiguous stated total; block "
                                             "not extracted",
                           (_describe(block.total_line, total_options),))
    cells = [row_options[0] for row_options in options]
    grand = total_options[0][0] if total_options is not None else None
    return Figures(cells, [None] * len(cells), None, grand, percent, set())


def _read_line(block, options, total_options, columns, has_total_column, percent) -> Figures:
    """One line of figures, its "Total :" column and/or its "Total : N" line."""
    [row_options] = options
    combos = [(row, total) for row in row_options for total in (total_options or [None])]

    def consistent(combo) -> bool:
        row, total = combo
        if has_total_column and not _sums_to_total(row, columns):
            return False
        if total is not None:
            stated = row[columns] if has_total_column else sum(row[:columns])
            return stated == total[0]
        return True

    kept = [combo for combo in combos if consistent(combo)]
    constrained = has_total_column or total_options is not None
    if len(kept) != 1 and not (not kept and len(combos) == 1):
        if not constrained:
            reason = "several readings of the figures and no stated total to choose"
        elif kept:
            reason = "several readings add up to the stated total"
        else:
            reason = "no reading adds up to the stated total"
        candidates = [_describe(block.rows[0].line, row_options)]
        if total_options is not None and len(total_options) > 1:
            candidates.append(_describe(block.total_line, total_options))
        raise BlockProblem(block.first_line, f"{block.describe}: ambiguous figures: {reason}; "
                                             "block not extracted", tuple(candidates))
    row, total = (kept or combos)[0]
    resolved = {_place(block.rows[0].line)} if len(row_options) > 1 else set()
    if total_options is not None and len(total_options) > 1:
        resolved.add(_place(block.total_line))
    return Figures(
        cells=[row[:columns]],
        row_totals=[row[columns] if has_total_column else None],
        column_totals=None,
        grand_total=total[0] if total is not None else None,
        percent=percent, resolved_lines=resolved,
    )


# --- Facts ------------------------------------------------------------------------------------

def extract_profile_blocks(
    document: Document, year: int, structure: str, contexts: list[SectionContext]
) -> tuple[list[Fact], list[ExtractionIssue]]:
    """Facts of every mapped profile block; an issue for every block that is not extracted."""
    catalogue = load_catalogue()
    entries = profile_block_mappings()
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    seen: dict[tuple[str, frozenset[str]], Line] = {}

    def issue(line: Line, reason: str, severity: str = "error", candidates=()) -> None:
        issues.append(ExtractionIssue(
            path=document.path, sha256=document.sha256, severity=severity, reason=reason,
            page=line.page, line=line.number, text=line.text, year=year, structure=structure,
            candidates=tuple(candidates),
        ))

    dimensions = {dim for entry in entries for dim in entry.dimensions}
    for block in _Scanner(document, year, dimensions).blocks():
        if isinstance(block, BlockProblem):
            # an error where a block of that dimension is expected; elsewhere (labels that
            # happen to stand alone on a line, in a section no entry maps) a warning
            context = contexts[block.first_index]
            expected = any(block.header.dimension in entry.dimensions
                           and entry.matches(context, year) for entry in entries)
            issue(block.line, block.reason if expected else
                  f"{block.reason} (under '{context}', which no entry of extractors/mappings/"
                  f"{MAPPING_FILE} maps for {year})",
                  "error" if expected else "warning", candidates=block.candidates)
            continue
        context = contexts[block.first_index]
        found, drifted = entries_for_section(
            [entry for entry in entries if entry.dimensions == block.dimensions],
            lambda entry: entry.matches(context, year),
            may_drift=block.header is not None)  # a stray commune list is not a drifted block
        if drifted:
            issue(block.first_line, f"{block.describe} under '{context}' read as "
                  f"{found[0].indicator}, the only entry of extractors/mappings/{MAPPING_FILE} "
                  f"with these dimensions: add this section's wording for {year}", "warning")
        if not found:
            if block.header is not None:  # a stray commune list is commune_tables' business
                issue(block.first_line, f"{block.describe} under '{context}' is not in "
                      f"extractors/mappings/{MAPPING_FILE} for {year}; not extracted", "warning")
            continue
        if len(found) > 1:
            issue(block.first_line, f"{block.describe} under '{context}' matches several entries "
                  f"of extractors/mappings/{MAPPING_FILE} "
                  f"({', '.join(entry.indicator for entry in found)}); not extracted")
            continue
        entry = found[0]
        key = (entry.indicator, entry.dimensions)
        if key in seen:
            issue(block.first_line, f"second {block.describe} for {entry.indicator} under "
                  f"'{context}' (first at line {seen[key].number}); not extracted")
            continue
        seen[key] = block.first_line
        try:
            if block.problem is not None:
                raise BlockProblem(block.problem[0], f"{block.problem[1]}; block not extracted")
            if block.header is None:
                _check_communes(block)
            figures = _read_figures(block)
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
    return facts, issues


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
    table = _table_ref(indicator, block.first_line)

    def fact(value, line: Line, dimensions: dict[str, str], is_total=False, mismatch=False):
        flags = []
        if _place(line) in figures.resolved_lines:
            flags.append(FLAG_RESOLVED_BY_CONSTRAINTS)
        if mismatch:
            flags.append(FLAG_SOURCE_TOTAL_MISMATCH)
        return Fact(
            indicator=indicator, dimensions=dimensions,
            value=float(value) if isinstance(value, Decimal) else value, unit=unit, year=year,
            structure=structure, is_total=is_total,
            source=Source(document.path, document.sha256, line.page, line.number, line.bbox,
                          line.text),
            table=table, flags=tuple(flags),
        )

    def row_dims(row: BlockRow) -> dict[str, str]:
        if row.commune is not None:
            return {"commune": row.commune.name, "commune_insee": row.commune.insee}
        if row.label is not None:
            return {row.label.dimension: row.label.code}
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


def _table_ref(indicator: str, first: Line) -> str:
    place = f"p{first.page}l{first.number}" if first.page is not None else f"l{first.number}"
    return f"{indicator}@{place}"
