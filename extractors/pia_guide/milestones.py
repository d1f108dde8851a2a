"""An action's yearly milestones: a year line ("2017", "Mi-2019", "2019 - 2020"), an optional
subtitle ("Mise en place du dispositif", "62 actions déployées") and bullet items.

The last year of a timeline is often printed with nothing under it: it is the horizon the
timeline runs to, and still a year the guide dates the action to.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from extractors.lines import Line
from extractors.pia_guide.guide_text import Span, clean, is_blank, is_bullet

YEAR_LINE = re.compile(r"^(?:mi-? ?)?((?:19|20)\d{2})(?: ?- ?((?:19|20)\d{2}))?$", re.IGNORECASE)


def year_range(line: Line) -> tuple[int, int] | None:
    """(first, last) year of a milestone's year line, else None."""
    match = YEAR_LINE.match(clean(line.text))
    if match is None:
        return None
    first = int(match.group(1))
    return first, int(match.group(2) or first)


@dataclass
class Milestone:
    first_year: int
    last_year: int  # differs for "2019 - 2020"
    line: Line  # the year line
    texts: list[list[Line]] = field(default_factory=list)  # subtitle, then one list per bullet

    @property
    def spans(self) -> list[Span]:
        return [Span.join(lines) for lines in self.texts if lines]


def read_milestones(lines: Sequence[Line]) -> list[Milestone]:
    """Milestones from the first year line on. A non-bullet line after a bullet continues it
    (bullets wrap, sometimes over a blank line); before any bullet it is the subtitle."""
    milestones: list[Milestone] = []
    for line in lines:
        years = year_range(line)
        if years is not None:
            milestones.append(Milestone(years[0], years[1], line, [[]]))
            continue
        if not milestones or is_blank(line):
            continue
        current = milestones[-1]
        if is_bullet(line):
            current.texts.append([line])
        else:
            current.texts[-1].append(line)
    return milestones
