"""How much of a document the extractors accept: bounds on time and memory, with a reason.

Extraction costs time per line (every table reader looks at every line), so a stray dump or a
hostile file must be refused before it holds a run for minutes and gigabytes. Real reports are
far inside these bounds (the corpus: under 200 KB, 6,715 lines, 594 characters per line);
each bound is an environment variable for the rare bigger one.
"""

from __future__ import annotations

import os

MAX_BYTES_VARIABLE = "MLW_MAX_DOCUMENT_BYTES"
MAX_LINES_VARIABLE = "MLW_MAX_DOCUMENT_LINES"
DEFAULT_MAX_BYTES = 20 * 1024 * 1024     # file size, text or PDF
DEFAULT_MAX_LINES = 100_000              # lines of the text layer (about 30 s of extraction)
MAX_LINE_CHARACTERS = 10_000             # one line of a report's text layer (the corpus: 594)


def _positive_int(variable: str, default: int) -> int:
    raw = os.environ.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ValueError(f"{variable}={raw!r}: expected a positive whole number")
    return value


def max_document_bytes() -> int:
    return _positive_int(MAX_BYTES_VARIABLE, DEFAULT_MAX_BYTES)


def max_document_lines() -> int:
    return _positive_int(MAX_LINES_VARIABLE, DEFAULT_MAX_LINES)


def size_problem(size: int) -> str | None:
    """Why a file of `size` bytes is refused, or None."""
    limit = max_document_bytes()
    if size > limit:
        return (f"file too large: {size:,} bytes, over the limit of {limit:,} bytes "
                f"({MAX_BYTES_VARIABLE}): not read")
    return None


def lines_problem(count: int) -> str | None:
    """Why a text layer of `count` lines (or more) is refused, or None."""
    limit = max_document_lines()
    if count > limit:
        return (f"too many lines: over {limit:,} lines of text ({MAX_LINES_VARIABLE}), "
                f"far more than any report: not extracted")
    return None


def line_length_problem(length: int) -> str | None:
    """Why a line of `length` characters is refused, or None."""
    if length > MAX_LINE_CHARACTERS:
        return (f"line of {length:,} characters, over the limit of {MAX_LINE_CHARACTERS:,}: "
                f"not the text layer of a report")
    return None
