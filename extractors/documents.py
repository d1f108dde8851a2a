"""Reading a published document into numbered lines with their provenance.

Plain text (the text layer of a report) and PDF (via pdfplumber) give the same `Line`s, so
every extractor works on both. A document that cannot be read raises `DocumentError`
naming the file and the reason. A file over `max_document_bytes()` (MLW_MAX_DOCUMENT_BYTES) is
refused before it is read: a stray 50 MB dump must not hold a run for minutes and gigabytes.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from extractors.text_encoding import UndecodableText, decode_text

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}
MAX_DOCUMENT_BYTES_VARIABLE = "MLW_MAX_DOCUMENT_BYTES"
# Real reports are well under 1 MB of text and a few MB of PDF: 20 MB leaves a wide margin.
DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


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


def file_sha256(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_document(path: str | Path) -> Document:
    """Read a text or PDF document; raise DocumentError when it cannot be read."""
    path = Path(path)
    if not path.is_file():
        raise DocumentError(path, "file not found")
    try:
        sha256 = file_sha256(path)
    except OSError as error:
        raise DocumentError(path, f"cannot read file: {error.strerror or error}") from error
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES | TEXT_SUFFIXES:
        _check_size(path)
    if suffix in PDF_SUFFIXES:
        from extractors.pdf_lines import read_pdf_lines

        lines, page_count = read_pdf_lines(path)
        return Document(str(path), sha256, tuple(lines), page_count)
    if suffix in TEXT_SUFFIXES:
        lines, encoding = _read_text_lines(path)
        return Document(str(path), sha256, tuple(lines), None, encoding)
    raise DocumentError(path, f"unsupported file type {suffix or '(none)'}: expected .txt or .pdf")


def max_document_bytes() -> int:
    """The size limit of a document, from MLW_MAX_DOCUMENT_BYTES (bytes) or the default."""
    raw = os.environ.get(MAX_DOCUMENT_BYTES_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_DOCUMENT_BYTES
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit <= 0:
        raise ValueError(f"{MAX_DOCUMENT_BYTES_VARIABLE}={raw!r}: expected a positive number of bytes")
    return limit


def _check_size(path: Path) -> None:
    size, limit = path.stat().st_size, max_document_bytes()
    if size > limit:
        raise DocumentError(path, f"file too large: {size:,} bytes, over the limit of {limit:,} "
                                  f"bytes ({MAX_DOCUMENT_BYTES_VARIABLE}): not read")


def _read_text_lines(path: Path) -> tuple[list[Line], str]:
    """The numbered lines of a text file and the encoding they were read in."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "not a text file (binary content)")
    try:
        decoded = decode_text(data)
    except UndecodableText as error:
        raise DocumentError(path, str(error)) from error
    del data
    lines = [Line(text=raw, number=number)
             for number, raw in enumerate(decoded.text.splitlines(), start=1)]
    return lines, decoded.encoding
