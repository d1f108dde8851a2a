"""The guide's edition year, read from its timelines.

The guide prints no publication date. Every action's timeline ends on a year, usually left
empty: the horizon the guide was written towards (2020 for the 2017-2020 programme; a few
timelines stop in 2019 or run on to 2021). The edition year is the most frequent end year of
the timelines (the latest one on a tie); a figure dated after it is a forecast, not a fact.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from extractors.pia_guide.milestones import Milestone


def edition_year(timelines: Iterable[list[Milestone]]) -> int | None:
    ends = Counter(max(m.last_year for m in timeline) for timeline in timelines if timeline)
    if not ends:
        return None
    return max(ends, key=lambda year: (ends[year], year))
