"""Which part of the report a line belongs to: the last mapped heading printed above it.

Generic figure wordings ("1 606 contrats de travail signés") take their meaning from the
part of the report they are printed in (the CEJ's, the PLIE's...). Headings are matched whole,
over one to four consecutive non-blank lines, because the layout breaks them
("L’accompagnement" / "renforcé du CEJ").
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from extractors.lines import Line
from extractors.reference import normalise_label

MAX_HEADING_LINES = 4


@dataclass(frozen=True)
class Sections:
    """Positions are indices in the document's lines (a PDF numbers lines per page)."""

    starts: tuple[int, ...]  # positions of the headings, ascending
    names: tuple[str, ...]  # the section each heading opens

    def at(self, position: int) -> str | None:
        index = bisect.bisect_right(self.starts, position) - 1
        return self.names[index] if index >= 0 else None


def find_sections(lines: Sequence[Line], headings: dict[str, tuple[str, ...]]) -> Sections:
    """Every line where a mapped heading starts, in order."""
    wanted = {normalise_label(wording).rstrip(" :"): name
              for name, wordings in headings.items() for wording in wordings}
    found: list[tuple[int, str]] = []
    for index, _ in enumerate(lines):
        for text in line_windows(lines, index):
            name = wanted.get(text.rstrip(" :"))
            if name is not None:
                found.append((index, name))
                break
    return Sections(tuple(number for number, _ in found), tuple(name for _, name in found))


def line_windows(lines: Sequence[Line], index: int, size: int = MAX_HEADING_LINES) -> list[str]:
    """The folded text of lines[index], then of it joined with the next non-blank lines."""
    if not lines[index].text.strip():
        return []
    windows, parts = [], []
    for line in lines[index:index + size]:
        if not line.text.strip():
            break
        parts.append(normalise_label(line.text))
        windows.append(" ".join(parts))
    return windows
