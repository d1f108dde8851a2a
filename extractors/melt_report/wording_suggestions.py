"""Suggestions for the key figures no wording covers: the indicator of a wording that read nothing.

A new edition rewords a key figure ("1 340 appels entrants" becomes "1 412 appels reçus"): the
edition's mapped wording then reads nothing, and the figure is kept for review with its printed
clause. The suggestion is that wording's indicator when it is the one wording of the figure's
section that read nothing and whose words the clause shares best, at least half of them. It is
only a suggestion: the figure is published after a reviewer accepts it (`mlw review accept ID`),
which writes the clause as the edition's wording in the curation folder.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extractors.facts import Fact
from extractors.melt_report.wordings import Wording
from extractors.reference import normalise_label
from extractors.review import ReviewItem

MIN_SHARED = 0.5  # share of a wording's words the clause must print
_WORD = re.compile(r"[^\W\d_]{3,}")  # words of three letters or more: not "de", "à", "+"


def with_suggestions(items: list[ReviewItem], facts: list[Fact], wordings: list[Wording],
                     units: dict[str, str]) -> list[ReviewItem]:
    """`items` with a suggestion on each figure whose clause fits one unread wording."""
    read = {fact.indicator for fact in facts}
    unread = [wording for wording in wordings
              if len(wording.codes) == 1 and wording.codes[0] not in read]
    return [_suggested(item, unread, units) if item.label and item.suggestion is None else item
            for item in items]


def _suggested(item: ReviewItem, unread: list[Wording], units: dict[str, str]) -> ReviewItem:
    section = (item.table or "").partition("@")[2] or None
    clause = _words(item.label or "")
    scores = sorted(((_shared(clause, wording), wording.codes[0]) for wording in unread
                     if wording.spec.section in (None, section)
                     and _unit_fits(item.value_text, units.get(wording.codes[0]))), reverse=True)
    if not scores or scores[0][0] < MIN_SHARED or (len(scores) > 1 and scores[1][0] == scores[0][0]):
        return item
    return replace(item, suggestion=scores[0][1])


def _shared(clause: set[str], wording: Wording) -> float:
    words = _words(re.sub(r"\{[^}]*\}", " ", wording.spec.wording))
    return len(words & clause) / len(words) if words else 0.0


def _words(text: str) -> set[str]:
    return set(_WORD.findall(normalise_label(text)))


def _unit_fits(printed: str, unit: str | None) -> bool:
    if unit is None:
        return False
    if "%" in printed:
        return unit == "percent"
    if "€" in printed:
        return unit == "eur"
    return unit == "count"
