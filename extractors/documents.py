"""Reading a published document into numbered lines with their provenance.

Plain text (the text layer of a report) and PDF (via pdfplumber, `pdf_lines`) give the same
`Line`s (`lines`), so every extractor works on both. A document that cannot be read raises
`DocumentError` naming the file and the reason. Files over the bounds of `document_limits` (size, lines, line
length) are refused before they are extracted: a stray 50 MB dump must not hold a run for
minutes and gigabytes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractors.document_limits import (
    line_length_problem,
    lines_problem,
    size_problem,
)
from extractors.lines import Document, DocumentError, Line
from extractors.pdf_lines import read_pdf_lines
from extractors.text_encoding import UndecodableText, decode_text

TEXT_SUFFIXES = {".txt", ".text"}
PDF_SUFFIXES = {".pdf"}


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
        lines, page_count = read_pdf_lines(path)
        return Document(str(path), sha256, tuple(lines), page_count)
    if suffix in TEXT_SUFFIXES:
        lines, encoding = _read_text_lines(path)
        return Document(str(path), sha256, tuple(lines), None, encoding)
    raise DocumentError(path, f"unsupported file type {suffix or '(none)'}: expected .txt or .pdf")


def _check_size(path: Path) -> None:
    if problem := size_problem(path.stat().st_size):
        raise DocumentError(path, problem)


def _read_text_lines(path: Path) -> tuple[list[Line], str]:
    """The numbered lines of a text file and the encoding they were read in."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DocumentError(path, "not a text file (binary content)")
    try:
        decoded = decode_text(data)
    except UndecodableText as error:
        raise DocumentError(path, str(error)) from error
    decoded_encoding = decoded.encoding
    del data
    text = decoded.text
    # Newlines alone already say "too many" without splitting millions of lines into memory.
    if problem := lines_problem(text.count("\n")):
        raise DocumentError(path, problem)
    raw_lines = text.splitlines()
    del text, decoded
    if problem := lines_problem(len(raw_lines)):
        raise DocumentError(path, problem)
    longest = max(range(len(raw_lines)), key=lambda i: len(raw_lines[i]), default=None)
    if longest is not None and (problem := line_length_problem(len(raw_lines[longest]))):
        raise DocumentError(path, f"line {longest + 1}: {problem}")
    lines = [Line(text=raw, number=number) for number, raw in enumerate(raw_lines, start=1)]
    return lines, decoded_encoding
