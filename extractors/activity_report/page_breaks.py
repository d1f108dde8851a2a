"""Tables split by a page break: the running header and footer printed between the parts.

A table that runs over two pages is printed as rows, then the page's footer (folio, running
title), the next page's header (the report's title, the part heading, sometimes the table's
column headers again), then the rest of its rows. It is read as one table when a page break
is certain in between (a folio line, or the PDF page changes) and rows of the same table
follow; never by guessing from a wording.
"""

from __future__ import annotations

from collections.abc import Callable

from extractors.lines import Line
from extractors.reference import normalise_label

# Lines a running footer and header take between two parts of a table, at most.
MAX_RUNNING_LINES = 8


def continued_at(lines: tuple[Line, ...], index: int, last_row: Line,
                 continues: Callable[[Line], bool], header_parts: frozenset[str] = frozenset()
                 ) -> int | None:
    """Where a table resumes after the page break starting at `index` (the first line that is
    not one of its rows), or None when it does not: `continues` tells a row (or the total) of
    the table; `header_parts` are its column-header lines, which a new page may repeat."""
    page_break = False
    back = index - 1  # a folio right after the last row was already passed over
    while back >= 0 and lines[back] is not last_row and (
            lines[back].is_page_number or not lines[back].text.strip()):
        page_break = page_break or lines[back].is_page_number
        back -= 1
    running = 0
    while index < len(lines) and running <= MAX_RUNNING_LINES:
        line = lines[index]
        text = line.text.strip()
        if line.page != last_row.page or line.is_page_number:
            page_break = True
        if text and not line.is_page_number:
            if continues(line):
                return index if page_break else None
            if normalise_label(text).startswith(("commune", "total")) and text not in header_parts:
                return None  # another table, or a total of something else
            running += 1
        index += 1
    return None
