"""Headline claims of an activity report: figures stated in prose sentences.

The text layer wraps sentences over several lines and mixes them with table rows, chart
residue and headings. Sentences are rebuilt first (`prose_sentences`), then every figure
that qualifies something is read from them (`extract_claims`). Nothing here depends on an
edition's line numbers or wording; when a figure's reading is doubtful it is left out
(precision over recall), since an audit will hold each claim against the tables.

Deliberately not claims: years and dates ("en 2023", "20 octobre 2023", "1er juillet"),
ordinals ("27e édition"), ranges ("de 16 à 25 ans", "entre 18 et 21 ans"), durations and
ages ("9 mois", "24h/semaine", "4 demi-journées"), rates and averages ("528 € / mois",
"une moyenne de 27 contacts par jeune"), identifiers ("Module 1", "19 avenue ..."),
percentage points, and figures in sentences with neither a verb, a "%", a final full stop
nor a "label : figure" bullet (table captions, footnotes such as "(dont 29 € de frais)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.activity_report.prose import (
    BULLET,
    FINITE_VERB,
    LINK_WORDS,
    Sentence,
    fold,
    prose_sentences,
)
from extractors.claims import Claim, ClaimKind
from extractors.lines import Document
from extractors.facts import Source, Unit
from extractors.reference import normalise_label

# --- Figures ----------------------------------------------------------------------------

# A figure, thousands grouped by spaces ("28 123"), decimal comma; "138 359h" is no figure at all.
_NUMBER = re.compile(r"(?<![\w/.,])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?"
                     r"(?![\w/]|[ \u00a0\u202f]\d{3}(?!\d))")
_UNIT = re.compile(r"\s*(?:(?P<percent>%)|(?P<scale>[kM])?€|(?P<euros>euros?\b))")
_MONTHS = ("janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
           "decembre")
# Figures that measure time, age or distance, or bound a range, are part of a subject ("âgés de
# 16 à 17 ans"); dates, codes, addresses, identifiers and rates end it.
_MEASURE_AFTER = re.compile(
    r"^\s*(?:ans?|annees?|mois|semaines?|jours?|heures?|h|minutes?|demi-journees?|trimestres?|"
    r"points?|pts|fois|km|kilometres?)\b"
)
_NOT_A_QUANTITY_AFTER = re.compile(
    rf"^\s*(?:(?:{_MONTHS}|eme|ieme|e|er|rue|avenue|av|boulevard|bd|place|allee|chemin|route|"
    r"impasse|quai)\b|(?:/|par\s+(?!rapport))\s*\w|"
    r"[\w']+(?:\s+[\w']+)?\s+par\s+(?:an|annee|mois|semaine|jour|jeune|personne)\b)"
)
_NOT_A_QUANTITY_BEFORE = re.compile(
    r"(?:\b(?:module|article|niveau|n°|no|numero|page|p\.|etape|phase|axe|annexe|tableau|"
    r"graphique|figure|chapitre|partie|section|version|lot)|\bmoyenne\s+(?:de\s+|d')?)\s*$"
)
_RANGE_NEXT = re.compile(r"^\s*(?:%|€)?\s*(?:a|au|-)\s+\d")
_RANGE_PREVIOUS = re.compile(
    r"(?:\d\s*(?:%|€)?\s*(?:a|au|-)|\bentre\s+\d+\s*(?:%|€)?\s+et)\s+$")
_RANGE_BETWEEN = re.compile(r"\bentre\s+$")
_COMPARISON_BEFORE = re.compile(r"(?:\(|\bcontre|\bvs\.?)\s*[+-]?\s*$")
_COMPARISON_AFTER = re.compile(r"^\s+en\s+((?:19|20)\d\d)\b")
_CHANGE = re.compile(
    r"(?P<verb>augment\w*|progress\w*|hausse|baiss\w*|diminu\w*|recul\w*|regress\w*|evolu\w*|"
    r"croissance|chute|repli\w*)\s+(?:de\s+|d')?(?:plus\s+de\s+|pres\s+de\s+|environ\s+)?"
    r"(?P<sign>[+-]\s*)?$"
)
_DECREASE = re.compile(r"^(?:baiss|diminu|recul|regress|chute|repli)")
_CHANGE_NOUNS = frozenset("augmentation hausse baisse progression diminution evolution "
                          "croissance chute recul repli regression".split())
_AUXILIARY_BEFORE = re.compile(r"(?:\b(?:a|ont|est|sont|etait|etaient)\s+(?:ete\s+|en\s+)?)$")
_BASE_YEAR = re.compile(
    r"(?:par\s+rapport\s+(?:a|au|aux)\s+(?:l'annee\s+|l'exercice\s+|l'an\s+)?|"
    r"compare\w*\s+a\s+|depuis\s+|vs\.?\s+|entre\s+)((?:19|20)\d\d)\b"
)
_SHARE_VERB = re.compile(r"\b(?:represente|representent|concerne|concernent|constitue|"
                         r"constituent)\s*$")
_AFTER_STOP = re.compile(
    r"[()\[\];:.!?«»\"…,]|\s-\s|\ben\s+(?:19|20)\d\d\b|\bpar\s+rapport\b|\bcontre\b|\bdont\b|"
    r"\bsoit\b"
)
_BEFORE_STOP = re.compile(r"[()\[\];:!?«»\"…]|\.\s")
_MAX_SUBJECT_WORDS = 12

Span = tuple[int, int]


@dataclass
class _Figure:
    """A number read in a sentence, with what it turned out to be."""

    start: int
    end: int  # after its unit
    value: float
    unit: Unit
    explicit_unit: bool
    role: str = "claim"  # "claim", "comparison", or "skip" (year, date, duration, ...)
    stops_subject: bool = True  # a subject does not run over a figure, a year or a date
    kind: ClaimKind = "count"
    comparison_year: int | None = None
    year: int | None = None
    main: _Figure | None = None  # the headline figure a comparison figure belongs to
    negative: bool = False  # a comparison figure printed with a minus sign
    subject: str = ""


def extract_claims(document: Document, year: int, structure: str) -> list[Claim]:
    """Every headline figure of the report's prose, with its sentence and provenance."""
    claims: list[Claim] = []
    for sentence in prose_sentences(document.lines):
        if not _is_statement(sentence.text):
            continue
        for figure in _read_figures(sentence.text, year):
            claims.append(_claim(document, sentence, figure, year, structure))
    return list(dict.fromkeys(claims))


def _is_statement(text: str) -> bool:
    """A sentence that states something: a verb, a "%", a full stop, or "- label : figure"."""
    return bool("%" in text or FINITE_VERB.search(text) or text.endswith(".")
                or (BULLET.match(text) and " : " in text))


def _read_figures(text: str, year: int) -> list[_Figure]:
    folded = fold(text)
    figures = [_figure(text, folded, match, year) for match in _NUMBER.finditer(text)]
    main: _Figure | None = None
    for figure in figures:
        if figure.role == "comparison":
            if main is None:
                figure.role = "claim"  # nothing to compare with: a plain figure of that year
            else:
                figure.main = main
                main.comparison_year = figure.year
        elif figure.role == "claim":
            main = figure
    stops = [(figure.start, figure.end) for figure in figures if figure.stops_subject]
    kept = []
    for figure in figures:
        if figure.role == "claim":
            _read_kind(folded, figure)
            figure.subject = _subject(text, folded, figure, stops)
            if figure.kind == "change" and figure.comparison_year is None:
                figure.comparison_year = _base_year(folded, figure, stops)
    for figure in figures:
        if figure.role == "comparison" and figure.main is not None:
            figure.kind, figure.subject = figure.main.kind, figure.main.subject
            if figure.kind == "change" and (figure.negative or figure.main.value < 0):
                figure.value = -abs(figure.value)  # "a baissé de 5 % (contre 8 % en 2022)"
            if not figure.explicit_unit:
                figure.unit = figure.main.unit
        if figure.role != "skip" and re.search(r"[^\W\d_]", figure.subject):
            kept.append(figure)
    return kept


def _figure(text: str, folded: str, match: re.Match[str], year: int) -> _Figure:
    integer, decimals = match[1], match[2]
    digits = re.sub(r"\D", "", integer)
    value = float(f"{digits}.{decimals}" if decimals else digits)
    unit_match = _UNIT.match(text, match.end())
    unit: Unit = "count"
    end = match.end()
    if unit_match:
        end = unit_match.end()
        unit = "percent" if unit_match["percent"] else "eur"
        if unit_match["scale"]:
            value *= 1_000 if unit_match["scale"] == "k" else 1_000_000
    figure = _Figure(match.start(), end, value, unit, explicit_unit=unit_match is not None)
    before, after = folded[:match.start()], folded[end:]
    plain = integer == digits and decimals is None
    if plain and unit == "count" and len(digits) == 4 and digits[:2] in ("19", "20"):
        figure.role, figure.year = "skip", int(digits)  # a year, not a quantity
    elif (_MEASURE_AFTER.match(after) or _RANGE_NEXT.match(after) or _RANGE_PREVIOUS.search(before)
          or (_RANGE_BETWEEN.search(before) and re.match(r"^\s*(?:%|€)?\s*et\s+\d", after))):
        figure.role, figure.stops_subject = "skip", False  # a duration, an age, a range
    elif (plain and (len(digits) > 4 or (len(digits) > 1 and digits[0] == "0"))
          or _NOT_A_QUANTITY_AFTER.match(after) or _NOT_A_QUANTITY_BEFORE.search(before)):
        figure.role = "skip"  # a date, a code, an address, an identifier, a rate
    else:
        compared = _COMPARISON_AFTER.match(after)
        if compared and _COMPARISON_BEFORE.search(before) and int(compared[1]) != year:
            figure.role, figure.year = "comparison", int(compared[1])
            figure.negative = re.search(r"-\s*$", before) is not None
    return figure


def _read_kind(folded: str, figure: _Figure) -> None:
    """Share, change (signed), amount or count, from the unit and the words before."""
    if figure.unit == "eur":
        figure.kind = "amount"
        return
    if figure.unit != "percent":
        figure.kind = "count"
        return
    before = folded[:figure.start]
    change = _CHANGE.search(before)
    attached_sign = re.search(r"[^\s\-+](\s*)([+-])$", before)
    if change is None and attached_sign is None:
        figure.kind = "share"
        return
    figure.kind = "change"
    decrease = (change is not None and _DECREASE.match(change["verb"])) or (
        (change["sign"] if change else attached_sign[2]) or "").strip() == "-"
    if decrease:
        figure.value = -abs(figure.value)


def _subject(text: str, folded: str, figure: _Figure, stops: list[Span]) -> str:
    """The words the figure qualifies: those after it, else those before it."""
    after = _after_words(text, folded, figure, stops)
    before = folded[:figure.start]
    if figure.kind == "change":
        change = _CHANGE.search(before)
        verbal = change is not None and (
            change["verb"] not in _CHANGE_NOUNS
            or _AUXILIARY_BEFORE.search(before[:change.start()]))
        if change is not None and (verbal or not after):
            return _before_words(text, before[:change.start()], stops)
        return after
    if figure.kind == "share" and after and _SHARE_VERB.search(before):
        return _trim(f"{_before_words(text, before, stops)} {after}".split(), cap=None)
    return after or _before_words(text, before, stops)


def _after_words(text: str, folded: str, figure: _Figure, stops: list[Span]) -> str:
    """From the figure's unit to the next figure, year, date or clause stop."""
    end = min([start for start, _ in stops if start > figure.start] + [len(text)])
    stop = _AFTER_STOP.search(folded, figure.end, end)
    return _trim(normalise_label(text[figure.end:stop.start() if stop else end]).split())


def _before_words(text: str, before: str, stops: list[Span]) -> str:
    """Back to the previous figure or clause stop; a label's ":" and a bullet do not count."""
    before = re.sub(r"[\s:+-]*$", "", before)
    begin = max([match.end() for match in _BEFORE_STOP.finditer(before)]
                + [end for _, end in stops if end <= len(before)] + [0])
    words = normalise_label(BULLET.sub("", text[begin:len(before)])).split()
    while words and words[-1] in ("a", "ont", "est", "sont", "ete", "etait", "etaient", "en"):
        words.pop()
    return _trim(words, cap=None)


def _trim(words: list[str], cap: int | None = _MAX_SUBJECT_WORDS) -> str:
    """At most `cap` words, without dangling link words or punctuation at either end."""
    words = list(words[:cap] if cap is not None else words)
    while words:
        last = words[-1].rstrip(",;:")
        if not last or last in LINK_WORDS or last.endswith("'"):
            words.pop()
        else:
            words[-1] = last
            break
    while words and words[0] in (":", "-", "+", "/", "et", "ou"):
        words.pop(0)
    return " ".join(words)


def _base_year(folded: str, figure: _Figure, stops: list[Span]) -> int | None:
    """The year a change is measured from, when the sentence names it."""
    later = [start for start, _ in stops if start > figure.end and not _is_year_at(folded, start)]
    found = (_BASE_YEAR.search(folded, figure.end, min(later + [len(folded)]))
             or _BASE_YEAR.search(folded, 0, figure.start))
    return int(found[1]) if found else None


def _is_year_at(folded: str, position: int) -> bool:
    return re.match(r"(?:19|20)\d\d\b", folded[position:]) is not None


def _claim(document: Document, sentence: Sentence, figure: _Figure, year: int,
           structure: str) -> Claim:
    first = sentence.lines[0]
    source = Source.of_line(document, first)
    return Claim(
        kind=figure.kind, value=figure.value, unit=figure.unit, subject=figure.subject,
        comparison_year=figure.comparison_year if figure.role == "claim" else None,
        sentence=sentence.text, year=figure.year or year,  # a comparison figure's own year
        structure=structure, source=source, lines=tuple(line.number for line in sentence.lines),
    )
