"""Reading the figures of a line of a web page, and telling them from what only looks like one.

Not figures, by design (documented in the mapping file): links, phone numbers (personal data),
proper names holding digits ("3 Suisses"), ages and age ranges ("from 16 to 25 years old"),
durations, list numbers ("1-Visit ..."), years, and digits glued to letters ("31th", "80s",
"horizon9", "km2"). Everything else is a `Figure`: the caller must publish it, claim it or
report it, never drop it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.structure_page.page_mapping import PageMapping
from extractors.structure_page.page_text import blank_out, phrase_pattern
from extractors.text_folding import fold

_LINK = re.compile(r"(?:https?://|www\.)\S+")
_PHONE = re.compile(r"(?<!\d)(?:(?:\+|00)\d{2}\s?\d|0\d)(?:[\s.]?\d{2}){4}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_LIST_NUMBER = re.compile(r"^\s*\d{1,2}\s*[-.)]\s*(?=[^\W\d_])")
_NUMBER = re.compile(r"(?<![\w.,'/-])(\d{1,3}(?: \d{3})+(?!\d)|\d+)(?:([.,])(\d+))?(?!\w)")


@dataclass(frozen=True)
class Figure:
    """A number as printed on a line, with what the line says around it."""

    line: int
    start: int  # span of the number (and its unit) in the printed line
    end: int
    printed: str  # the number and its unit as printed ("13,62 km2", "20%")
    value: float
    unit: str  # count | eur | percent, or another unit's code (km2, km, hectares)
    qualifier: str | None  # approximate | lower_bound | upper_bound
    subject: str  # the normalised words the figure qualifies ("" when none follow it)


@dataclass(frozen=True)
class LineReading:
    figures: tuple[Figure, ...]
    years: tuple[int, ...]  # years named on the line (links and phone numbers left out)


def redact(printed: str) -> str:
    """The text without phone numbers or e-mail addresses: personal data never enters a record."""
    return _EMAIL.sub("[e-mail]", _PHONE.sub("[phone]", printed))


def masked(printed: str, mapping: PageMapping) -> str:
    """The folded line with every non-figure number blanked out (years are kept: see scan)."""
    text = fold(printed)
    spans = [m.span() for m in _LINK.finditer(text)] + [m.span() for m in _PHONE.finditer(text)]
    text = blank_out(text, spans)
    names = phrase_pattern(mapping.names_with_digits)
    ages = phrase_pattern(mapping.age_words)
    ranges = phrase_pattern(mapping.range_words)
    durations = phrase_pattern(mapping.duration_words)
    patterns = [
        rf"(?<![a-z0-9]){names}(?![a-z0-9])",
        rf"(?<![\w.,])(?:\d{{1,3}}\s*{ranges}\s*)?\d{{1,3}}\s*{ages}(?![a-z])",
        rf"(?<![\w.,])\d+\s*-?\s*{durations}(?![a-z])",
    ]
    spans = [m.span() for pattern in patterns for m in re.finditer(pattern, text)]
    spans += [m.span() for m in _LIST_NUMBER.finditer(text)]
    return blank_out(text, spans)


def scan(printed: str, line: int, mapping: PageMapping, language: str) -> LineReading:
    """Every figure and year of a printed line."""
    text = masked(printed, mapping)
    figures, years = [], []
    for match in _NUMBER.finditer(text):
        if _is_year(match, text, mapping):
            years.append(int(match.group(0)))
            continue
        figures.append(_figure(match, text, printed, line, mapping, language))
    return LineReading(tuple(figures), tuple(years))


def _is_year(match: re.Match[str], text: str, mapping: PageMapping) -> bool:
    """A 19xx/20xx number is a year after a month name or a year prefix ("in 2004"), else
    unless a counted word follows it ("over 2000 employees")."""
    digits = match.group(0)
    if not (len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2099):
        return False
    before = re.findall(r"[a-z]+", text[:match.start()])
    if before and (before[-1] in mapping.months or before[-1] in mapping.year_prefixes):
        return True
    after = re.match(r"\s*([a-z][a-z']*)", text[match.end():])
    if after is None:
        return not re.match(r"\s*%", text[match.end():])
    word = after.group(1)
    qualifiers = {w for words in mapping.qualifiers.values() for w in words}
    return word in mapping.subject_stop_words or word in qualifiers


def _figure(match: re.Match[str], text: str, printed: str, line: int, mapping: PageMapping,
            language: str) -> Figure:
    value = _value(match, mapping.thousands_mark.get(language, ","))
    rest_at = match.end()
    unit = "count"
    multiplier = re.match(rf"\s*{phrase_pattern(mapping.multipliers)}(?![a-z])", text[rest_at:])
    if multiplier:
        value *= mapping.multipliers[multiplier.group(0).strip()]
        rest_at += multiplier.end()
    if symbol := re.match(r"\s*(%|€|euros?\b|eur\b)", text[rest_at:]):
        unit = "percent" if symbol.group(1) == "%" else "eur"
        rest_at += symbol.end()
    elif other := re.match(rf"\s*({phrase_pattern(mapping.other_units)})(?![a-z0-9])", text[rest_at:]):
        unit = mapping.other_units[other.group(1)]
        rest_at += other.end()
    return Figure(line=line, start=match.start(), end=rest_at,
                  printed=printed[match.start():rest_at].strip(), value=value, unit=unit,
                  qualifier=_qualifier(text[:match.start()], mapping),
                  subject=_subject(text[rest_at:], mapping))


def _value(match: re.Match[str], thousands_mark: str) -> float:
    integer, mark, decimals = match.group(1).replace(" ", ""), match.group(2), match.group(3)
    if mark is None:
        return float(integer)
    if mark == thousands_mark and len(decimals) == 3:
        return float(integer + decimals)
    return float(f"{integer}.{decimals}")


def _qualifier(before: str, mapping: PageMapping) -> str | None:
    for kind, words in mapping.qualifiers.items():
        if re.search(rf"(?<![a-z]){phrase_pattern(words)}\s*$", before):
            return kind
    return None


_LEADING = {"of", "the", "a", "an", "de", "des", "du", "d'", "la", "le", "les", "l'"}


def _subject(after: str, mapping: PageMapping) -> str:
    """The words right after a figure, up to punctuation or a stop word."""
    words: list[str] = []
    for token in re.finditer(r"\s*([a-z][a-z'-]*|\S)", after):
        word = token.group(1)
        if not re.match(r"[a-z]", word):
            break
        if not words and word in _LEADING:
            continue
        if word in mapping.subject_stop_words or len(words) == mapping.subject_max_words:
            break
        words.append(word)
    return " ".join(words)
