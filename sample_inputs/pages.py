"""Layout primitives shared by the sample report's layouts: cells, visual lines, the page geometry.

A report is a flow of `VisualLine`s (cells on one baseline, at fixed x positions) that
`render.layout` cuts into pages. The text rendering joins a line's cells with one space, as a
PDF reader does when it groups words by baseline, so every layout must keep a line's cells in
left-to-right order and far enough apart (COLUMN_GAP) never to be read as one word.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit

# Standard PDF fonts: no font file needed, and their WinAnsi encoding has é, œ, ’, – and …
BODY_FONT, BOLD_FONT = "Helvetica", "Helvetica-Bold"
BODY_SIZE, HEADER_SIZE, TITLE_SIZE = 10.0, 9.0, 13.0
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT, RIGHT = 56.0, PAGE_WIDTH - 56.0
TOP, BOTTOM = 60.0, PAGE_HEIGHT - 70.0  # distances from the top edge
FOOTER_TOP = PAGE_HEIGHT - 40.0
NAME_COLUMN_END = 205.0
COLUMN_GAP = 20.0  # between value columns: far above pdfplumber's word-joining tolerance
PAGE_BREAK = None  # an item of the flow that starts a new page


@dataclass(frozen=True)
class Cell:
    text: str
    x: float  # left edge, or right edge when right-aligned
    right_aligned: bool = False


@dataclass(frozen=True)
class VisualLine:
    """One printed line: cells on the same baseline."""

    cells: tuple[Cell, ...]
    font: str = BODY_FONT
    size: float = BODY_SIZE
    space_before: float = 0.0
    rule_above: bool = False  # a thin table rule drawn above the line

    @property
    def text(self) -> str:
        return " ".join(cell.text for cell in self.cells)


@dataclass(frozen=True)
class PlacedLine:
    line: VisualLine
    top: float  # distance of the line's top from the page's top edge


@dataclass(frozen=True)
class KeepTogether:
    """Lines printed on one page, moved whole to the next page when they do not fit: a real
    report never cuts a profile block or a cross-tab, and the extractor needs them whole."""

    lines: tuple[VisualLine, ...]


Flow = list[VisualLine | KeepTogether | None]


def thousands(value: int) -> str:
    """12345 -> '12 345', as the reports print counts."""
    return f"{value:,}".replace(",", " ")


def cell_value(value: int) -> str:
    """A table cell: thousands separated by a space, '/' for none."""
    return thousands(value) if value else "/"


def paragraph(text: str, space_before: float = 6.0) -> list[VisualLine]:
    """A sentence wrapped to the text width (same wrap in both renderings)."""
    wrapped = simpleSplit(text, BODY_FONT, BODY_SIZE, RIGHT - LEFT)
    return [VisualLine((Cell(part, LEFT),), space_before=space_before if i == 0 else 0.0)
            for i, part in enumerate(wrapped)]


def title(text: str, size: float = 12.0, space_before: float = 18.0) -> list[VisualLine]:
    return [VisualLine((Cell(text, LEFT),), font=BOLD_FONT, size=size, space_before=space_before)]


def section(text: str) -> Flow:
    """A numbered section: like the real reports, it starts a new page."""
    flow: Flow = [PAGE_BREAK]
    return flow + title(text, space_before=0.0)


def roman(number: int) -> str:
    """1 -> 'I', 4 -> 'IV': the numbering of a chapter's parts."""
    numerals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in numerals:
        while number >= value:
            out, number = out + numeral, number - value
    return out
