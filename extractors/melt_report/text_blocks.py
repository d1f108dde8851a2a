"""Cutting a glossy report's text layer into blocks: one figure with its label, or a paragraph.

The PDF layout prints key figures as boxes ("13 740 / appels entrants"), which the text layer
renders as short runs of lines separated by blank lines, sometimes glued to a neighbour
("hommes144", "formation7 jeunes"). A block is a run of non-blank lines, cut again before a
line (or glued fragment) that starts a new figure and after a heading that ends with ":". A
figure box whose label stops on a dangling word ("355 jeunes en" / "situation pro") or whose
next text, one blank line below, starts with a link word ("182 542 heures réalisées" / "par les
habitants de Lys-Tourcoing") takes that text as the end of its label: the layout broke a
sentence, not a box. A bare number never takes a label across a blank line: which box the
next text belongs to cannot be told. A short heading printed right above a paragraph is a
block of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from extractors.lines import Line
from extractors.melt_report.folded_text import Folded

# A number glued to the end of a word ("hommes144"), unless letters follow ("adopte1job").
# A clock time ("9H30", "1h30") is no glue.
_LETTER_DIGIT_GLUE = re.compile(r"(?<=[^\W\d_])(?<!\d[hH])(?=\d+(?![\d\w]))")
# The edition year glued to the next figure after "en" ("EN 2023217").
_YEAR_GLUE = r"(?i:\ben\s+{year})(?=\d{{1,6}}\b)"
_STARTS_WITH_NUMBER = re.compile(r"^[\s\-–•▪\uf0b7\uf0a7]*(?:\+\s*(?:de\s+)?)?\d")
_LINK_WORDS = (r"de|du|des|en|et|ou|a|à|au|aux|par|pour|sur|les|la|le|un|une|avec|dont|dans|"
               r"entre|soit|plus|moins|que|qui|été|ont|sont|est")
_ELIDED = r"[dl]['’]"
_LINK_END = re.compile(rf"(?:(?<!\w)(?:{_LINK_WORDS}|{_ELIDED})|[,\-–+/])\s*$", re.IGNORECASE)
# Lower case only: "La médiation", "Le parrainage" open a new heading, "de CV" does not.
_LINK_START = re.compile(rf"^\s*(?:(?:{_LINK_WORDS})(?!\w)|{_ELIDED}\w)")
_UNIT_START = re.compile(r"^\s*(?:mois|ans)\b")
_FIGURE_BOX = re.compile(r"^[\s\-–•]*(?:dont\s+)?(?:\+\s*(?:de\s+)?)?\d", re.IGNORECASE)
_PAGE_START = re.compile(r"^ \S")  # the text layer opens a page (or a box) with one space
_SUB_FIGURE = re.compile(r"^\s*dont\b", re.IGNORECASE)
_TRAILING_FIGURE = re.compile(r"(?<![\d.,])(?!(?:19|20)\d\d\b)\d[\d ]*(?:[.,]\d+)?\s*%?$")
_LONG_LINE = 75  # a line this long is body text: blocks holding one are paragraphs
_LONG_SENTENCES = 150  # narrow columns: this much text with a full stop is a paragraph too
_HEADING_LINE = 45  # a heading line is short...
_BODY_LINE = 60  # ...and the body text under it is not


@dataclass(frozen=True)
class Piece:
    """A line, or the part of a line on one side of a glue."""

    line: Line
    text: str
    glued: bool = False  # cut from the previous piece of the same line


@dataclass
class Block:
    pieces: list[Piece] = field(default_factory=list)
    continued: bool = False  # took the end of its label across a blank line

    @cached_property
    def printed(self) -> str:
        """The pieces joined by one space; a line-end hyphen before a lower-case word is a
        word broken by the layout ("nou-" "veaux")."""
        text = ""
        for piece in self.pieces:
            part = piece.text.strip()
            if text.endswith("-") and part[:1].islower() and text[-2:-1].isalpha():
                text = text[:-1] + part
            else:
                text = f"{text} {part}" if text else part
        return text

    @cached_property
    def folded(self) -> Folded:
        return Folded.of(self.printed)

    @cached_property
    def _piece_starts(self) -> list[tuple[int, Line]]:
        """Where each piece's text starts in `printed`, by searching them in order."""
        starts, position = [], 0
        for piece in self.pieces:
            part = piece.text.strip()
            found = self.printed.find(part[:8], position) if part else -1
            position = found if found >= 0 else position
            starts.append((position, piece.line))
        return starts

    def line_at(self, printed_index: int) -> Line:
        """The line a printed character of the block comes from."""
        line = self.pieces[0].line
        for start, piece_line in self._piece_starts:
            if start <= printed_index:
                line = piece_line
        return line

    @property
    def lines(self) -> list[Line]:
        return list(dict.fromkeys(piece.line for piece in self.pieces))

    @property
    def is_prose(self) -> bool:
        """Body text rather than a figure box: a full-width line, or long text with a full
        stop (a paragraph set in a narrow column)."""
        if any(len(piece.line.text.strip()) >= _LONG_LINE for piece in self.pieces):
            return True
        text = self.printed
        return len(text) >= _LONG_SENTENCES and bool(re.search(r"[.!?](?:\s|$)", text))


def split_pieces(line: Line, year: int | None) -> list[Piece]:
    """A line of a figure box cut at its glues: a number glued after a word, the edition year
    glued to the figure that follows it. Body text lines are left whole ("Adopte1 job")."""
    if len(line.text.strip()) >= _LONG_LINE:
        return [Piece(line, line.text)]
    cuts = [match.start() for match in _LETTER_DIGIT_GLUE.finditer(line.text)]
    if year is not None:
        cuts += [match.end() for match in re.finditer(_YEAR_GLUE.format(year=year), line.text)]
    pieces, start = [], 0
    for cut in sorted(set(cuts)):
        if line.text[start:cut].strip():
            pieces.append(Piece(line, line.text[start:cut], glued=bool(pieces)))
            start = cut
    pieces.append(Piece(line, line.text[start:], glued=bool(pieces)))
    return pieces


def blocks(lines: tuple[Line, ...] | list[Line], year: int | None) -> list[Block]:
    """The document's blocks, in reading order of the text layer."""
    runs: list[tuple[int, list[Block]]] = []  # (blank lines before it, blocks of a run)
    run: list[Block] = []
    blanks = 0
    for line in lines:
        if not line.text.strip():
            if run:
                runs.append((blanks, run))
                run, blanks = [], 0
            blanks += 1
            continue
        for piece in split_pieces(line, year):
            if not run or _starts_new_block(run[-1], piece):
                run.append(Block())
            run[-1].pieces.append(piece)
    if run:
        runs.append((blanks, run))
    return [part for block in _join_continuations(runs) for part in _split_heading(block)]


def _starts_new_block(current: Block, piece: Piece) -> bool:
    """After a heading's ":"; before a figure that does not continue a sentence; before a
    line indented by the text layer (a page's first line, a bullet) that does not either."""
    previous = current.pieces[-1].text.rstrip()
    if previous.endswith(":"):
        return True
    if piece.glued:
        return bool(_STARTS_WITH_NUMBER.match(piece.text))
    dangling = bool(_LINK_END.search(previous))
    if _STARTS_WITH_NUMBER.match(piece.text):
        return not (dangling or previous[-1:].isdigit())  # "133" + "350€": one amount
    if _SUB_FIGURE.match(piece.text):
        return False
    return bool(_PAGE_START.match(piece.text)) and not dangling


def _split_heading(block: Block) -> list[Block]:
    """A heading printed right above its paragraph ("Le sport" / "En 2023, la MELT a mis en
    œuvre...") is a block of its own: it is neither the paragraph's first words nor a label."""
    for count in range(1, min(4, len(block.pieces))):
        heading, body = block.pieces[:count], block.pieces[count]
        texts = [piece.text.strip() for piece in heading]
        if any(len(text) > _HEADING_LINE or re.search(r"[\d.,;:!?]$|\d", text) for text in texts):
            return [block]
        first = body.text.strip()
        if len(body.line.text.strip()) >= _BODY_LINE and first[:1].isupper():
            return [Block(list(heading)), Block(block.pieces[count:], block.continued)]
    return [block]


def _join_continuations(runs: list[tuple[int, list[Block]]]) -> list[Block]:
    """Merge into a run's last block the next run, one blank line below, when it is the end
    of its label."""
    result: list[Block] = []
    for blanks, run in runs:
        previous = result[-1] if result else None
        first = run[0]
        if previous is not None and blanks == 1 and _continues(previous, first):
            previous.pieces.extend(first.pieces)
            previous.continued = True
            for attribute in ("printed", "folded", "_piece_starts"):
                previous.__dict__.pop(attribute, None)
            run = run[1:]
        result.extend(run)
    return result


def _continues(block: Block, following: Block) -> bool:
    """A figure box's label broken by a blank line: the box ends on a dangling word or on a
    figure still without its label, or the next text starts with a link word ("par les
    habitants", "d'emploi"); that text holds no figure of its own."""
    text = block.printed.rstrip()
    if text.endswith(":") or len(following.lines) > 3:
        return False
    if re.search(r"\d", _without_ages_and_years(following.printed)):
        return False
    if _UNIT_START.match(following.printed) and text[-1:].isdigit():
        return True  # "(12" + "mois et plus)": a duration in a label
    if not _FIGURE_BOX.match(text) or re.fullmatch(r"[\s\d+%€.,kK-]+", text):
        return False  # not a figure box, or a bare number: its label cannot be told
    return bool(_LINK_END.search(text) or _TRAILING_FIGURE.search(text)
                or _LINK_START.match(following.printed))


def _without_ages_and_years(text: str) -> str:
    text = re.sub(r"\b(?:19|20)\d\d\b", "", text)
    return re.sub(r"\b\d+\s*(?:ans|mois)\b", "", text)
