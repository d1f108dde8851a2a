"""Profile blocks as printed: a header of labels then figures, cross-tabs, commune lists.

The scanner cuts a document's printed lines into blocks, recognised by their labels (the
year-keyed extractors/mappings/dimension_labels.yaml), never by captions, line or page numbers.
What the figures are is read later (block_figures.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.activity_report.block_labels import (
    TOTAL_WORD,
    Label,
    figure_cell,
    label_prefix,
    label_sequence,
    parse_labels,
    vocabulary_of,
)
from extractors.activity_report.commune_lists import commune_rows, commune_table_lines, unknown_communes
from extractors.activity_report.page_breaks import continued_at
from extractors.activity_report.table_facts import TOTAL_PREFIX
from extractors.lines import Document, Line
from extractors.reference import Commune

COMMUNE = "commune"
_HEADER_MAX_LINES = 4  # a header wraps over at most this many printed (non-blank) lines
_MIN_LABELS = 2  # a single label is a caption, not a header


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
    name: str = ""  # a cross-tab row label as printed when its dimension does not know it


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
    tokens = [figure_cell(token) for token in text.split()]
    return tokens if tokens and None not in tokens else None


def total_tokens(text: str) -> list[str] | None:
    """The leading figures of a "Total : 1 634 jeunes reçus en entretien" line, else None."""
    if label_sequence(text)[:1] != (TOTAL_WORD,):
        return None
    tokens = []
    for token in TOTAL_PREFIX.sub("", text).split():
        if (cell := figure_cell(token)) is None:
            break
        tokens.append(cell)
    return tokens or None


def _row_like(text: str) -> tuple[str, list[str]] | None:
    """Words followed by figures ("Filles 67 179 89 335"): (the words, the figures), else None."""
    tokens = text.split()
    cut = len(tokens)
    while cut and figure_cell(tokens[cut - 1]) is not None:
        cut -= 1
    name = " ".join(tokens[:cut])
    if not cut or cut == len(tokens) or not re.search(r"[^\W\d_]", name):
        return None
    return name, [figure_cell(token) for token in tokens[cut:]]


class BlockScanner:
    """Walks the printed (non-blank) lines of a document and cuts them into blocks."""

    def __init__(self, document: Document, year: int, dimensions: set[str]):
        self.lines = document.lines
        self.year = year
        self.vocabularies = {dim: vocabulary_of(dim, year) for dim in sorted(dimensions - {COMMUNE})}
        self.vocabulary_words = {dim: {word for key in vocabulary for word in key}
                                 for dim, vocabulary in self.vocabularies.items()}
        self.find_communes = COMMUNE in dimensions
        excluded = commune_table_lines(document, year)
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
            if self.find_communes and commune_rows(self.line(position), self.year) is not None:
                block, position = self._read_commune_list(position)
                yield block
                continue
            position += 1

    def _header(self, position: int) -> tuple[Header | None, int]:
        """The header starting at `position` (its longest complete reading) and the position
        after it, or (None, position)."""
        best: tuple[Header | None, int] = (None, position)
        for dimension, vocabulary in self.vocabularies.items():
            allowed = self.vocabulary_words[dimension] | {TOTAL_WORD}
            words: tuple[str, ...] = ()
            for end in range(position, min(position + _HEADER_MAX_LINES, len(self.content))):
                line_words = label_sequence(self.line(end).text)
                if not line_words or not set(line_words) <= allowed:
                    break
                words += line_words
                parsed = parse_labels(words, vocabulary)
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
            if following is not None and (total := total_tokens(following.text)):
                block.total_line, block.total_tokens = following, total
                position += 1
            return block, position
        # a cross-tab: rows "<label> figures" until the "Total" row
        while line is not None:
            total = total_tokens(line.text)
            if total is not None and block.rows:
                block.total_line, block.total_tokens = line, total
                self._check_row_labels(block)
                return block, position + 1
            row = self._crosstab_row(line, header, block)
            if row is None:
                resumed = self._resumed(position, block, lambda after: bool(
                    block.row_dimension and label_prefix(
                        after.text.split(), self.vocabularies[block.row_dimension])))
                if resumed is None:
                    break
                position, line = resumed, self.line(resumed)
                continue
            block.rows.append(row)
            position += 1
            line = self.line(position)
        if not block.rows:
            printed = line.text.strip() if line is not None else "(end of document)"
            raise BlockProblem(line or header.lines[-1],
                               f"{where}: the header is not followed by figures or by rows "
                               f"'<label> figures' (next line: {printed!r})")
        self._check_row_labels(block)
        return block, position

    def _resumed(self, position: int, block: Block, continues) -> int | None:
        """The position where a block's rows resume after a page break, if they do."""
        if not block.rows:
            return None
        index = continued_at(self.lines, self.content[position], block.rows[-1].line,
                             lambda after: continues(after) or total_tokens(after.text) is not None)
        if index is None or index not in self.content:
            return None
        resumed = self.content.index(index)
        if resumed <= position:
            return None  # the line itself (a total after a folio): no page break to pass over
        if any(self._header(skipped)[0] is not None for skipped in range(position, resumed)):
            return None  # the next page starts a block of its own
        return resumed

    def _check_row_labels(self, block: Block) -> None:
        """A cross-tab needs one known row label to say what its rows are; unknown labels
        beside known ones are kept as printed (read as unmapped)."""
        if block.row_dimension is None:
            row = block.rows[0]
            raise BlockProblem(row.line, f"{block.describe}: unknown label {row.name!r} in a "
                                         "cross-tab row: no row label of the block is in "
                                         "extractors/mappings/dimension_labels.yaml for "
                                         f"{self.year}; block not extracted")

    def _crosstab_row(self, line: Line, header: Header, block: Block) -> BlockRow | None:
        """A row of the cross-tab, None at the end of the block; a row whose label is unknown
        but that prints a figure per column is kept with its printed name."""
        tokens = line.text.split()
        dimensions = ([block.row_dimension] if block.row_dimension
                      else [dim for dim in self.vocabularies if dim != header.dimension])
        for dimension in dimensions:
            found = label_prefix(tokens, self.vocabularies[dimension])
            if found is not None:
                label, figures = found
                block.row_dimension = dimension
                return BlockRow(line, figures, label=label)
        shape = _row_like(line.text)
        width = len(header.labels) + (1 if header.has_total else 0)
        if shape is None or len(shape[1]) < width:
            return None
        name, figures = shape
        return BlockRow(line, figures, name=name)

    def _read_commune_list(self, position: int) -> tuple[Block, int]:
        """Lines of one or two "<commune> <figure>" runs, and an optional "Total" line."""
        block = Block(self.line(position), self.content[position], None)
        while (line := self.line(position)) is not None:
            rows = commune_rows(line, self.year)
            if rows is None:
                resumed = self._resumed(position, block, lambda after: commune_rows(after, self.year) is not None)
                if resumed is None:
                    break
                position = resumed
                continue
            block.rows.extend(BlockRow(line, values, commune=commune) for commune, values in rows)
            position += 1
        if line is not None and (unknown := unknown_communes(line, self.year)):
            block.problem = (line, f"unknown commune {unknown!r} in a commune list")
            position += 1
        elif line is not None and (total := total_tokens(line.text)) is not None:
            block.total_line, block.total_tokens = line, total
            position += 1
        return block, position
