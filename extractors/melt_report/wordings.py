"""Matching the mapping's figure wordings against a block, clause by clause.

A wording ("{incoming_calls} appels entrants") is compiled to a pattern over folded text. It
must cover a whole clause: start at the block's start or after , ; : ( or at "dont"/"soit",
and end at the block's end or before such a mark. So "{x} nouveaux inscrits" reads "1 340
nouveaux inscrits" but not "plus de 40 nouveaux inscrits ont participé aux ateliers".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from extractors.melt_report.report_mapping import FigureWording
from extractors.reference import normalise_label

UNPUBLISHED = "?"  # a {?} slot: printed in the wording, meaning not settled
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+|\?)\}")
_SENTINEL = "\u27e6{}\u27e7"  # survives folding
_SENTINEL_SPLIT = re.compile("\u27e6(\\d+)\u27e7")
_SLOT = r"(?:\+ ?)?(?:\d{1,3}(?: \d{3})+|\d+)(?:[.,]\d+)?(?: ?(?:%|k€|€|euros?\b))?"
_UNIT_AFTER_SLOT = re.compile(r"^ ?(?:%|k€|€)")
_CLAUSE_MARK = r"[;:()!?]|[.,](?= |$)"
_CLAUSE_WORD = re.compile(r"\b(?:dont|soit)\b")
_BULLET = re.compile(r"^[-–•*▪ ]+")


@dataclass(frozen=True)
class Wording:
    spec: FigureWording
    pattern: re.Pattern[str]
    slots: tuple[str, ...]  # indicator code (or UNPUBLISHED) of groups s0, s1...
    anchor: str  # its longest literal: a block without it cannot match

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code in self.slots if code != UNPUBLISHED)


@dataclass(frozen=True)
class WordingMatch:
    wording: Wording
    spans: tuple[tuple[int, int], ...]  # folded span of each slot
    start: int
    end: int


def compile_wording(spec: FigureWording, year: int) -> Wording:
    names = _PLACEHOLDER.findall(spec.wording)
    marked = spec.wording
    for index, name in enumerate(names):
        marked = marked.replace("{" + name + "}", _SENTINEL.format(index), 1)
    parts = _SENTINEL_SPLIT.split(normalise_label(marked))
    regex, slots, literals = "", [], []
    for position, part in enumerate(parts):
        if position % 2 == 1:  # a placeholder
            name = names[int(part)]
            if name == "year":
                regex += re.escape(str(year))
            else:
                regex += f"(?P<s{len(slots)}>{_SLOT})"
                slots.append(name)
            continue
        if position > 0 and names[int(parts[position - 1])] != "year":
            part = _UNIT_AFTER_SLOT.sub("", part)  # the slot reads the unit itself
            if part.startswith(" "):
                regex += " ?"  # "169jeunes": a figure glued to its label
                part = part[1:]
        literals.append(part)
        regex += re.escape(part)
    if not slots:
        raise ValueError(f"mapping wording without a figure: {spec.wording!r}")
    anchor = max(literals, key=len).strip()
    return Wording(spec, re.compile(regex), tuple(slots), anchor)


def clause_starts(text: str) -> list[int]:
    starts = {0}
    if bullet := _BULLET.match(text):
        starts.add(bullet.end())
    for match in re.finditer(_CLAUSE_MARK, text):
        position = match.end()
        while position < len(text) and text[position] == " ":
            position += 1
        starts.add(position)
    starts.update(match.start() for match in _CLAUSE_WORD.finditer(text))
    return sorted(start for start in starts if start < len(text))


def clause_ends(text: str) -> list[int]:
    ends = {len(text)}
    for match in re.finditer(_CLAUSE_MARK, text):
        position = match.start()
        while position > 0 and text[position - 1] == " ":
            position -= 1
        ends.add(position)
    for match in _CLAUSE_WORD.finditer(text):
        ends.add(match.start() - 1 if match.start() > 0 else 0)
    return sorted(end for end in ends if end > 0)


def find_matches(wording: Wording, text: str) -> Iterator[WordingMatch]:
    """Every clause-bounded span of `text` the wording covers entirely."""
    if wording.anchor not in text:
        return
    ends = clause_ends(text)
    for start in clause_starts(text):
        for end in ends:
            if end <= start:
                continue
            match = wording.pattern.fullmatch(text, start, end)
            if match is not None:
                spans = tuple(match.span(f"s{index}") for index in range(len(wording.slots)))
                yield WordingMatch(wording, spans, start, end)


def clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding text[start:end]: from the nearest clause start to the nearest end."""
    begin = max([position for position in clause_starts(text) if position <= start] or [0])
    finish = min([position for position in clause_ends(text) if position >= end] or [len(text)])
    return begin, finish
