"""A PDF's text layer as numbered lines with page and position (pdfplumber).

Words are grouped into lines by their vertical position, not by the PDF's content-stream order,
so a table row whose cells were drawn separately (name left, figures right-aligned in their
columns) reads back as one line "Lambersart 1 168 436", like the text layer of a report.
Anything that makes the text unreadable becomes a `DocumentError` naming the file and the reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from extractors.document_limits import lines_problem
from extractors.lines import DocumentError, Line

# Words whose tops differ by at most this much (points) sit on the same line: enough for
# baseline jitter and small font-size changes, well below a line spacing.
LINE_TOLERANCE = 3.0
# A vertical gap this many times the page's usual line pitch is a paragraph break: the line
# reader yields an empty line there, as text layers do, since parsers use them as separators.
PARAGRAPH_GAP = 1.6
_HEADER_WINDOW = 1024  # PDF readers accept "%PDF-" anywhere in the first KiB


def read_pdf_lines(path: str | Path) -> tuple[list[Line], int]:
    """Every text line of every page, in reading order; and the page count."""
    path = Path(path)
    _check_pdf_header(path)
    try:
        pdf = pdfplumber.open(path)
    except Exception as error:  # pdfminer raises many kinds of errors on malformed input
        raise DocumentError(path, _open_failure(error)) from error
    with pdf:
        page_count = len(pdf.pages)
        if page_count == 0:
            raise DocumentError(path, "the PDF has no pages")
        lines: list[Line] = []
        for page_number, page in enumerate(pdf.pages, start=1):
            try:
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
            except Exception as error:
                raise DocumentError(
                    path, f"cannot read the page: {_describe(error)}", page=page_number
                ) from error
            finally:
                page.close()
            lines.extend(_page_lines(words, page_number))
            if problem := lines_problem(len(lines)):  # stop reading pages: bounded memory
                raise DocumentError(path, problem, page=page_number)
    if not lines:
        raise DocumentError(
            path, "page 1 has no text layer (scanned image?): OCR is not supported", page=1
        )
    return lines, page_count


def _page_lines(words: list[dict[str, Any]], page_number: int) -> list[Line]:
    """Group a page's words into lines: close tops form a line, words left to right."""
    groups: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if groups and word["top"] - groups[-1][0]["top"] <= LINE_TOLERANCE:
            groups[-1].append(word)
        else:
            groups.append([word])
    lines = []
    number = 0
    breaks = paragraph_breaks([group[0]["top"] for group in groups])
    for index, group in enumerate(groups):
        if index in breaks:
            number += 1  # a paragraph break, as a text layer prints it: an empty line
            lines.append(Line(text="", number=number, page=page_number, bbox=None))
        number += 1
        group.sort(key=lambda w: w["x0"])
        bbox = (
            round(min(w["x0"] for w in group), 1),
            round(min(w["top"] for w in group), 1),
            round(max(w["x1"] for w in group), 1),
            round(max(w["bottom"] for w in group), 1),
        )
        text = " ".join(w["text"] for w in group)
        lines.append(Line(text=text, number=number, page=page_number, bbox=bbox))
    return lines


def paragraph_breaks(tops: list[float]) -> set[int]:
    """Indices of the lines (by their tops, in order) that follow a paragraph break: a gap
    over PARAGRAPH_GAP times the page's usual (median) line pitch. Needs 3 lines or more."""
    gaps = [later - earlier for earlier, later in zip(tops, tops[1:])]
    if len(gaps) < 2:
        return set()
    pitch = sorted(gaps)[len(gaps) // 2]
    return {index + 1 for index, gap in enumerate(gaps) if gap > PARAGRAPH_GAP * pitch}


def _check_pdf_header(path: Path) -> None:
    """Refuse early, with a plain reason, what is not a PDF at all."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(_HEADER_WINDOW)
    except OSError as error:
        raise DocumentError(path, f"cannot read file: {error.strerror or error}") from error
    if not head:
        raise DocumentError(path, "cannot open PDF: the file is empty")
    if b"%PDF-" not in head:
        raise DocumentError(path, "cannot open PDF: not a PDF file (no %PDF- header)")


def _open_failure(error: Exception) -> str:
    cause = error.args[0] if isinstance(error, PdfminerException) and error.args else error
    if isinstance(cause, PDFPasswordIncorrect):
        return "encrypted PDF: password-protected, cannot be read without its password"
    if isinstance(cause, PDFEncryptionError):
        return f"encrypted PDF: cannot decrypt it ({_describe(cause)})"
    return f"cannot open PDF (corrupt or truncated?): {_describe(cause)}"


def _describe(error: object) -> str:
    if isinstance(error, PdfminerException) and error.args:
        error = error.args[0]
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__
