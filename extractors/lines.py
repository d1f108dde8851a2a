"""The shared shapes of a read document: its numbered `Line`s, the `Document`, `DocumentError`.

They import nothing of the project, so every reader (`documents`, `pdf_lines`) and every
extractor depends on them and none of them on another: plain text and PDF give the same
`Line`s, and each extractor works on both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path


class DocumentError(Exception):
    """A document that cannot be read at all (unreadable, encrypted, no text layer...)."""

    def __init__(self, path: str | Path, reason: str, page: int | None = None):
        self.path = str(path)
        self.reason = reason
        self.page = page
        where = f"{self.path}, page {page}" if page is not None else self.path
        super().__init__(f"{where}: {reason}")


_PAGE_NUMBER = re.compile(r"\d{1,3}")


@dataclass(frozen=True)
class Line:
    text: str
    number: int  # 1-based: line of the text file, or line within the PDF page
    page: int | None = None  # 1-based PDF page; None for plain text
    bbox: tuple[float, float, float, float] | None = None  # PDF: x0, top, x1, bottom (points)

    @property
    def is_page_number(self) -> bool:
        """A line holding only a short number: a page's folio, which can fall inside a table."""
        return bool(_PAGE_NUMBER.fullmatch(self.text.strip()))


@dataclass(frozen=True)
class Document:
    path: str
    sha256: str
    lines: tuple[Line, ...]
    page_count: int | None  # None for plain text
    encoding: str | None = None  # text: "utf-8" or the code page detected; None for PDF
