"""Key figures: a figure is published only when a checked wording of the mapping covers it.

Every figure of a figure box that no wording covers, or that two wordings claim, or whose
wording is mapped in another section, is kept as a ReviewItem with its lines around it: the
layout may have moved its label, and a wrong label is worse than none. Figures in body text
(paragraphs) are left to the prose claims unless a wording covers them, and kept for review
when no claim reads them either: no figure is silently dropped.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from extractors.claims import Claim
from extractors.facts import Fact, Source
from extractors.lines import Document, Line
from extractors.melt_report.block_numbers import Number, is_scale, read_numbers
from extractors.melt_report.folded_text import redact
from extractors.melt_report.report_sections import Sections
from extractors.melt_report.text_blocks import Block
from extractors.melt_report.wordings import (
    UNPUBLISHED,
    Wording,
    WordingMatch,
    clause_around,
    find_matches,
)
from extractors.review import ReviewItem

CONTEXT_LINES = 2  # non-blank lines kept on each side of a review item's block
KEY_FIGURES = "key_figures"  # the `table` of a key figure (Fact) and of a figure kept for review
PROSE_UNREAD = ("stated in body text, but neither a mapped wording nor the prose claims read "
                "what it counts")


@dataclass(frozen=True)
class Reading:
    """A figure read by a wording: the indicator it publishes (or UNPUBLISHED)."""

    code: str
    wording: Wording

    @property
    def key(self) -> tuple[str, str | None]:
        return self.code, self.wording.spec.programme


@dataclass(frozen=True)
class Candidate:
    fact: Fact
    number: Number
    block: Block
    wording: Wording


@dataclass
class Setting:
    """What reading figures needs besides the blocks."""

    document: Document
    year: int
    structure: str
    units: dict[str, str]  # indicator code -> unit of the catalogue
    programme_keys: dict[str, str]  # mapping programme id -> Programme key (found ones)
    sections: Sections

    @cached_property
    def positions(self) -> dict[tuple[int | None, int], int]:
        """(page, line number) -> index in the document's lines."""
        return {(line.page, line.number): index
                for index, line in enumerate(self.document.lines)}

    def section_of(self, line: Line) -> str | None:
        return self.sections.at(self.positions[(line.page, line.number)])


def read_key_figures(setting: Setting, blocks: list[Block], wordings: list[Wording],
                     claims: Sequence[Claim] = ()) -> tuple[list[Fact], list[ReviewItem]]:
    """The published key figures, and the figures kept for review. A figure of body text is
    kept for review only when no claim of its sentence reads it either."""
    claimed = {(claim.source.page, line, claim.value) for claim in claims for line in claim.lines}
    reviews: list[ReviewItem] = []
    candidates: list[Candidate] = []
    axes = _vertical_axes(blocks, setting.year)
    for index, block in enumerate(blocks):
        if index in axes:
            continue
        numbers = [number for number in read_numbers(block.folded.text, setting.year)
                   if number.is_figure]
        if not numbers:
            continue
        readings, near_misses = _readings(setting, block, numbers, wordings)
        for number in numbers:
            found = readings.get(number.start, [])
            if len({reading.key for reading in found}) == 1 and found[0].code != UNPUBLISHED:
                candidate, problem = _candidate(setting, block, number, found[0].wording,
                                                found[0].code)
                if candidate is not None:
                    candidates.append(candidate)
                    continue
                reviews.append(_review(setting, block, number, problem))
            elif found:
                reviews.append(_review(setting, block, number, _why_not(found)))
            elif not block.is_prose:
                reason = _unread_reason(setting, block, number, near_misses.get(number.start))
                reviews.append(_review(setting, block, number, reason, clause=_clause(reason)))
            elif not any((line.page, line.number, number.value) in claimed
                         for line in block.lines):
                reviews.append(_review(setting, block, number, PROSE_UNREAD))
    facts, repeated = _one_per_indicator(setting, candidates)
    return facts, repeated + reviews


def _readings(setting: Setting, block: Block, numbers: list[Number], wordings: list[Wording],
              ) -> tuple[dict[int, list[Reading]], dict[int, WordingMatch]]:
    """Per figure (by start): the wordings that cover it in their section, and those that
    would cover it in another section."""
    figures = {(number.start, number.end) for number in numbers}
    readings: dict[int, list[Reading]] = defaultdict(list)
    near_misses: dict[int, WordingMatch] = {}
    for wording in wordings:
        for match in find_matches(wording, block.folded.text):
            if not all(span in figures for span in match.spans):
                continue  # a slot on a year, a date...: not this wording
            line = block.line_at(block.folded.printed_span(*match.spans[0])[0])
            section = wording.spec.section
            in_section = section is None or setting.section_of(line) == section
            for code, (start, _) in zip(wording.slots, match.spans):
                if in_section:
                    readings[start].append(Reading(code, wording))
                else:
                    near_misses[start] = match
    return readings, near_misses


def _candidate(setting: Setting, block: Block, number: Number, wording: Wording, code: str,
               ) -> tuple[Candidate | None, str]:
    unit = setting.units.get(code)
    if unit is None:
        return None, f"the mapping names {code!r}, which is not in the catalogue"
    if unit != number.unit:
        return None, f"printed as a {number.unit} figure but {code} is a {unit} indicator"
    dimensions: dict[str, str] = {}
    if wording.spec.programme is not None:
        key = setting.programme_keys.get(wording.spec.programme)
        if key is None:
            return None, (f"its wording is about programme {wording.spec.programme!r}, which "
                          "the document does not name")
        dimensions = {"programme": key}
    line = _line_of(block, number)
    fact = Fact(indicator=code, dimensions=dimensions, value=number.value, unit=unit,
                year=setting.year, structure=setting.structure, is_total=False,
                source=Source.of_line(setting.document, line),
                table=f"{KEY_FIGURES}@L{block.pieces[0].line.number}")
    return Candidate(fact, number, block, wording), ""


def _one_per_indicator(setting: Setting, candidates: list[Candidate],
                       ) -> tuple[list[Fact], list[ReviewItem]]:
    """One fact per indicator and dimensions: a wording read twice with the same value is one
    figure printed twice; with different values, neither reading can be trusted."""
    groups: dict[tuple, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        fact = candidate.fact
        groups[(fact.indicator, tuple(sorted(fact.dimensions.items())))].append(candidate)
    facts, reviews = [], []
    for (code, _), group in groups.items():
        if len({candidate.fact.value for candidate in group}) == 1:
            facts.append(group[0].fact)
            continue
        lines = ", ".join(str(candidate.fact.source.line) for candidate in group)
        for candidate in group:
            reason = (f"the mapped wording of {code} reads different values at lines {lines}")
            reviews.append(_review(setting, candidate.block, candidate.number, reason))
    return facts, reviews


def _why_not(found: list[Reading]) -> str:
    if len({reading.key for reading in found}) > 1:
        wordings = "; ".join(sorted({f"«{reading.wording.spec.wording}»" for reading in found}))
        return f"several mapped wordings fit it: {wordings}"
    return (f"printed in the mapped wording «{found[0].wording.spec.wording}», which does not "
            "publish it: what it counts is not settled")


def _unread_reason(setting: Setting, block: Block, number: Number,
                   near_miss: WordingMatch | None) -> str:
    text = block.folded.text
    if near_miss is not None:
        spec = near_miss.wording.spec
        here = setting.section_of(_line_of(block, number)) or "no mapped heading"
        return (f"the wording «{spec.wording}» is mapped under section {spec.section} only; "
                f"this figure is under {here}")
    if not re.search(r"[^\W\d_]", text.replace("k€", "")):
        reason = "no label next to it"
        first = block.pieces[0]
        if first.glued:
            before = first.line.text[:first.line.text.find(first.text)].strip()
            reason += f" (printed glued after «{before}» on its line)"
    else:
        start, end = clause_around(text, number.start, number.end)
        if not re.search(r"[^\W\d_]", text[start:end]):
            start, end = 0, len(text)  # "TOTAL : 698": the clause is the figure alone
        printed = block.printed[slice(*block.folded.printed_span(start, end))]
        reason = f"no mapped wording for «{printed}»"
    if re.fullmatch(r"\d{3}(?: \d{3})+", number.text):
        groups = number.text.split()
        reason += f"; «{number.text}» may also be {len(groups)} figures ({' | '.join(groups)})"
    return reason


def _vertical_axes(blocks: list[Block], year: int) -> set[int]:
    """Runs of blocks holding one bare number each that step evenly down to 0: a chart scale
    printed one tick per line."""
    axes: set[int] = set()
    run: list[tuple[int, float]] = []
    for index, block in enumerate(blocks + [Block()]):
        numbers = read_numbers(block.folded.text, year) if block.pieces else []
        if len(numbers) == 1 and block.folded.text == numbers[0].text:
            run.append((index, numbers[0].value))
            continue
        values = [value for _, value in run]
        if len(run) >= 3 and 0 in values and is_scale(values):
            axes.update(position for position, _ in run)
        run = []
    return axes


def _line_of(block: Block, number: Number) -> Line:
    return block.line_at(block.folded.printed_span(number.start, number.end)[0])


def _clause(reason: str) -> str | None:
    """The printed clause of a figure no wording covers: what a reviewer's wording will be."""
    found = re.match(r"no mapped wording for «(.+)»", reason)
    return found.group(1) if found else None


def _review(setting: Setting, block: Block, number: Number, reason: str,
            clause: str | None = None) -> ReviewItem:
    """A figure kept for review. One that no wording covers carries its printed clause
    (`label`) and its section (`table`: key_figures@<section>), so that `mlw review accept ID
    --as INDICATOR` can write the wording of its edition (extractors/melt_report/decisions.py)."""
    printed = block.printed[slice(*block.folded.printed_span(number.start, number.end))]
    line = _line_of(block, number)
    section = setting.section_of(line) if clause else None
    return ReviewItem(value_text=printed.strip(), value=number.value, reason=reason,
                      context=context(setting, block.lines), year=setting.year,
                      structure=setting.structure, source=Source.of_line(setting.document, line),
                      label=clause, table=f"{KEY_FIGURES}@{section or ''}" if clause else None)


def context(setting: Setting, own_lines: list[Line]) -> str:
    """Some lines and a few non-blank lines on each side, joined with " | "."""
    lines = setting.document.lines
    own = [setting.positions[(line.page, line.number)] for line in own_lines]
    before = [i for i in range(min(own) - 1, -1, -1) if lines[i].text.strip()]
    after = [i for i in range(max(own) + 1, len(lines)) if lines[i].text.strip()]
    chosen = sorted(set(before[:CONTEXT_LINES]) | set(own) | set(after[:CONTEXT_LINES]))
    return redact(" | ".join(lines[i].text.strip() for i in chosen if lines[i].text.strip()))
