"""The figures printed in a milestone's text, each with the words it qualifies and its reading.

A figure is a number that is not a year ("pour 2020"), a date ("le 06 / 06") or a duration
("6 mois"): those are masked first (mapping `not_figures`). Its label is the words after it up
to the next figure or the end of its clause; "Réunions : 12" takes the words before the colon.
Readings, in order:
- target ("Objectif : 1 500 jeunes accompagnés"): a claim whose subject starts "objectif";
- no label: an issue, never a fact;
- not a yearly figure (a multi-year milestone, "sur 2 ans", a year after the guide's edition,
  or an undated key figure): a claim;
- a count of young people in the mapping's wordings: a fact of that indicator;
- anything else (workshops, missions, partner firms...): a claim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extractors.lines import Line
from extractors.pia_guide.guide_mapping import FigureRules
from extractors.pia_guide.guide_text import Span
from extractors.reference import normalise_label
from extractors.text_folding import fold

_SENTENCE_END = re.compile(r"\.(?:\s|$)|;|!(?:\s|$)")
_CLAUSE_BREAK = re.compile(r" / | [-–] |[()]")
_LABEL_END = re.compile(r",|\(")
_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?: \d{3})+|\d+)(?![\w,])")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# A 19xx/20xx number is a year when no word follows it ("pour 2020.", "2018 / 2019"), or when
# a word that introduces a date precedes it ("en 2018 les jeunes"); "de 2000 jeunes" is a figure.
_YEAR_CONTEXT = re.compile(r"\b(?:en|pour|fin|debut|depuis|d'ici|au|annee)\s*$")
_TRAILING_CONNECTORS = re.compile(r"(?:\s+(?:avec|pour|de|du|des|et|a|en|sur|dont|par|au|aux))+$")

Reading = Literal["fact", "claim", "issue"]


@dataclass(frozen=True)
class Figure:
    value: int
    printed: str  # the number as printed ("1 500")
    line: Line  # where the number is printed
    label: str  # the words it qualifies, as printed; "" when none
    clause: str  # its clause, folded, with the figure written "#"
    sentence: str  # its sentence as printed
    sentence_lines: tuple[Line, ...]
    target: bool


@dataclass(frozen=True)
class FigureReading:
    figure: Figure
    reading: Reading
    indicator: str | None = None  # for facts
    subject: str | None = None  # for claims
    reason: str | None = None  # for issues and for claims that are not yearly


def _mask(folded: str, rules: FigureRules, name: str | None) -> str:
    """Years, dates, durations, ages and the action's own name ("labo 148") blanked out (same
    length), so that no number in them is read."""
    chars = list(folded)
    patterns = list(rules.not_figures)
    if name and any(ch.isdigit() for ch in name):
        patterns.append(re.compile(r"\s+".join(map(re.escape, fold(name).split()))))
    spans = [match.span() for pattern in patterns for match in pattern.finditer(folded)]
    for match in _YEAR.finditer(folded):
        before, after = folded[:match.start()], folded[match.end():]
        if _YEAR_CONTEXT.search(before) or not re.match(r"\s*[a-z]", after):
            spans.append(match.span())
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _pieces(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in pattern.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def find_figures(span: Span, rules: FigureRules, name: str | None = None) -> list[Figure]:
    """The figures of a text; `name` is the action's name, whose numbers are not figures."""
    text = span.text
    folded = fold(text)
    masked = _mask(folded, rules, name)
    figures: list[Figure] = []
    for s_start, s_end in _pieces(text, _SENTENCE_END):
        sentence = text[s_start:s_end].strip()
        for c_start, c_end in _pieces(text[s_start:s_end], _CLAUSE_BREAK):
            c_start, c_end = c_start + s_start, c_end + s_start
            numbers = list(_NUMBER.finditer(masked, c_start, c_end))
            for index, match in enumerate(numbers):
                stop = numbers[index + 1].start() if index + 1 < len(numbers) else c_end
                figures.append(Figure(
                    value=int(match.group(1).replace(" ", "")),
                    printed=text[match.start():match.end()],
                    line=span.line_at(match.start()),
                    label=_label(text, c_start, match.start(), match.end(), stop),
                    clause=re.sub(r"\s+", " ", folded[c_start:match.start()] + "#"
                                  + folded[match.end():c_end]).strip(),
                    sentence=sentence,
                    sentence_lines=span.lines_between(s_start, s_end),
                    target=any(p.search(folded[s_start:match.start()]) for p in rules.targets),
                ))
    return figures


def _label(text: str, clause_start: int, start: int, end: int, stop: int) -> str:
    after = text[end:stop]
    cut = _LABEL_END.search(after)
    words = (after[:cut.start()] if cut else after).strip(" :.;!")
    words = _TRAILING_CONNECTORS.sub("", words).strip()
    if words:
        return words
    before = text[clause_start:start].rstrip()
    if before.endswith(":"):  # "Réunions : 12"
        return before[:-1].strip()
    return ""


def read_figure(figure: Figure, rules: FigureRules, yearly: str | None) -> FigureReading:
    """How a figure is published. `yearly` is None when the figure's year is a single year up
    to the guide's edition, else the reason why it is not a yearly figure."""
    subject = normalise_label(figure.label)
    if figure.target:
        return FigureReading(figure, "claim", subject=f"objectif {subject}".strip(), reason="target")
    if not subject:
        return FigureReading(figure, "issue", reason=f"figure {figure.printed} without a label")
    if yearly is None and any(p.search(figure.clause) for p in rules.multi_year):
        yearly = "counted over several years"
    if yearly is not None:
        return FigureReading(figure, "claim", subject=subject, reason=yearly)
    for indicator, patterns in rules.indicators:
        if any(p.search(figure.clause) for p in patterns):
            return FigureReading(figure, "fact", indicator=indicator)
    return FigureReading(figure, "claim", subject=subject)
