"""Where each part of an action block is printed.

Print order in a block: contact box (POUR EN SAVOIR PLUS: names, e-mails, phones), "UNE ACTION
INNOVANTE..." bullets, description, TITLE (capitals), yearly milestones, "Porteur de
l'action : ...", the map's commune labels then the action's communes or its scope, target
public, LES RESSOURCES, sometimes a line of key figures.

The contact box is never read: reading starts after the innovation marker (or, when that
marker is missing, at the title), so contact persons cannot leak into any record.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from extractors.lines import Line
from extractors.pia_guide.communes import commune_tokens
from extractors.pia_guide.guide_mapping import GuideMapping
from extractors.pia_guide.guide_text import (
    EMAIL,
    PHONE,
    clean,
    ends_sentence,
    is_blank,
    is_bullet,
    norm,
    paragraphs,
)
from extractors.pia_guide.milestones import year_range
from extractors.pia_guide.segments import Block

_FOLIO = re.compile(r"^(?:\d{1,3} ?)+$")


@dataclass(frozen=True)
class TitleLine:
    line: Line
    title: str  # the title's part of the line, as printed
    foreign: bool  # the line also held something else (e.g. a contact), left out


@dataclass(frozen=True)
class ActionLayout:
    block: Block
    title: tuple[TitleLine, ...]
    description: tuple[Line, ...]
    milestones: tuple[Line, ...]  # from the first year line
    carrier: Line | None
    tail: tuple[Line, ...]  # communes, scope and target public
    resources: tuple[Line, ...]
    key_figures: tuple[tuple[Line, ...], ...]  # paragraphs of figures after the resources
    has_innovation: bool


def title_part(text: str) -> tuple[str, bool] | None:
    """(title, foreign) when the line starts with a title in capitals. When a capitalised word,
    an e-mail or a phone number follows on the same line (a contact printed beside the title),
    only the capitals are the title and `foreign` is True."""
    cleaned = clean(text)
    if EMAIL.search(cleaned) or PHONE.search(cleaned):
        cleaned = PHONE.sub(" ", EMAIL.sub(" ", cleaned)).strip()
        foreign = True
    else:
        foreign = False
    words = cleaned.split(" ")
    taken = 0
    while taken < len(words) and not any(ch.islower() for ch in words[taken]):
        taken += 1
    title = " ".join(words[:taken]).strip()
    if sum(ch.isalpha() for ch in title) < 2:
        return None
    rest = words[taken:]
    if rest and not rest[0][:1].isupper():
        return None  # a sentence starting with a capitalised acronym, not a title
    return title, foreign or bool(rest)


def is_carrier(line: Line, mapping: GuideMapping) -> bool:
    return mapping.carrier.match(norm(line.text)) is not None


def _find(lines: Sequence[Line], test: Callable[[Line], bool], start: int = 0,
          stop: int | None = None) -> int | None:
    for index in range(start, len(lines) if stop is None else stop):
        if test(lines[index]):
            return index
    return None


def read_layout(block: Block, mapping: GuideMapping) -> ActionLayout | None:
    """The block's parts; None when no title can be found (the caller reports it)."""
    lines = block.lines
    innovation = _find(lines, lambda line: norm(line.text).startswith(mapping.innovation))
    body = 1 if innovation is None else innovation + 1
    resources_at = _find(lines, lambda line: norm(line.text) == mapping.resources, body)
    end = len(lines) if resources_at is None else resources_at
    first_year = _find(lines, lambda line: year_range(line) is not None, body, end)
    carrier_at = _find(lines, lambda line: is_carrier(line, mapping), body, end)
    title_stop = first_year if first_year is not None else carrier_at if carrier_at is not None else end
    title, title_start = _title(lines, body, title_stop)
    if not title:
        return None
    if first_year is None:
        milestones_end = title_stop
    elif carrier_at is not None and carrier_at > first_year:
        milestones_end = carrier_at
    else:
        milestones_end = _tail_start(lines, first_year, end, mapping)
    tail_start = carrier_at + 1 if carrier_at is not None else milestones_end
    after = paragraphs(lines[end + 1:]) if resources_at is not None else []
    resources, key_figures = _resources(after)
    return ActionLayout(
        block=block, title=title,
        description=_description(lines[innovation + 1:title_start]) if innovation is not None else (),
        milestones=tuple(lines[first_year:milestones_end]) if first_year is not None else (),
        carrier=lines[carrier_at] if carrier_at is not None else None,
        tail=tuple(lines[tail_start:end]), resources=resources, key_figures=key_figures,
        has_innovation=innovation is not None,
    )


def _title(lines: Sequence[Line], body: int, stop: int) -> tuple[tuple[TitleLine, ...], int]:
    """The run of capitals printed just before `stop` (blank lines between are skipped)."""
    index = stop - 1
    while index >= body and is_blank(lines[index]):
        index -= 1
    found: list[TitleLine] = []
    while index >= body and not is_blank(lines[index]):
        part = title_part(lines[index].text)
        if part is None:
            break
        found.insert(0, TitleLine(lines[index], part[0], part[1]))
        index -= 1
    return tuple(found), index + 1


def _description(lines: Sequence[Line]) -> tuple[Line, ...]:
    """The paragraphs after the innovation bullets. A bullet runs on (over blank lines too)
    until a paragraph ends a sentence; the first paragraph after a finished bullet that is not
    a bullet starts the description."""
    runs = paragraphs(lines)
    bullet_open = False
    for index, run in enumerate(runs):
        if is_bullet(run[0]) or bullet_open:
            bullet_open = not ends_sentence(run[-1].text)
            continue
        return tuple(line for later in runs[index:] for line in later)
    return ()


def _tail_start(lines: Sequence[Line], first_year: int, end: int, mapping: GuideMapping) -> int:
    """Without a carrier line, the milestones end at the first commune or scope line after the
    last year line, or at the last paragraph before the resources (the target public)."""
    last_year = max(i for i in range(first_year, end) if year_range(lines[i]) is not None)
    scope_starts = (*mapping.metropolitan_scopes, *mapping.relative_scopes)
    for index in range(last_year + 1, end):
        text = norm(lines[index].text)
        if text and (commune_tokens(lines[index], mapping) is not None
                     or any(scope.startswith(text) for scope in scope_starts)):
            return index
    index = end - 1
    while index > last_year and is_blank(lines[index]):
        index -= 1
    while index > last_year and not is_blank(lines[index - 1]):
        index -= 1
    return max(index, last_year + 1)


def _resources(runs: list[list[Line]]) -> tuple[tuple[Line, ...], tuple[tuple[Line, ...], ...]]:
    """The resources are the first paragraph after their heading, with later text paragraphs;
    paragraphs holding figures are the action's key figures; page folios ("42 43") are dropped."""
    resources: list[Line] = []
    figures: list[tuple[Line, ...]] = []
    for index, run in enumerate(runs):
        text = " ".join(clean(line.text) for line in run)
        if index and _FOLIO.match(text):
            continue
        if index and any(ch.isdigit() for ch in text):
            figures.append(tuple(run))
        else:
            resources.extend(run)
    return tuple(resources), tuple(figures)
