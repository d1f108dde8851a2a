"""The numbers printed in a block, and which of them are figures.

Only figures (a count, an amount, a share) can be published or kept for review. Dates, clock
times, years, ages, phone numbers, postcodes, street numbers, identifiers (SIRET, BP),
ordinals ("8ème édition") and page folios are numbers too, but they count nothing.
Thousands are grouped by spaces ("13 740"); a decimal point or comma is kept ("31.8%").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from extractors.facts import Unit
from extractors.reference import communes_by_name

Role = Literal["figure", "year", "date", "time", "age", "duration", "phone", "postcode",
               "address", "identifier", "ordinal", "folio", "axis"]

# On folded text (lower case, no accents, single spaces).
NUMBER = re.compile(
    r"(?<![\w.,/#])(?<!\w\+)(?P<sign>\+ ?)?(?P<int>\d{1,3}(?: \d{3})+|\d+)"
    r"(?:[.,](?P<dec>\d+))?(?!\d)"
    r"(?P<unit> ?(?:%|k€|€|euros?\b))?"
)
_MONTHS = ("janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|"
           "decembre")
_PHONE = re.compile(r"(?<!\d)0\d(?: \d\d){4}(?!\d)")
_NUMERIC_DATE = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?![\d])")
_AFTER_DATE = re.compile(rf"^ ?(?:er )?(?:{_MONTHS})a?\b")  # "30 Septembreà"
_AFTER_TIME = re.compile(r"^ ?h(?:\d\d)?(?![a-z])")
_AFTER_ORDINAL = re.compile(r"^(?:er|e|eme|ieme)\b")
_AFTER_AGE = re.compile(r"^ ?ans\b|^ (?:a|au|et|-) \d+ ans\b")  # "16 à 25 ans"
_AFTER_DURATION = re.compile(r"^ ?mois\b")
# "entre 15 et 20 heures par semaine": a rhythm, not a quantity.
_AFTER_RATE = re.compile(r"^(?: (?:a|et|-) \d+)? ?(?:heures?|h|jours?|mois|semaines?|minutes?) par "
                         r"(?:semaine|jour|mois|an)\b")
_LIST_MARKER = re.compile(r"^ ?[.)] ")  # "1. L'amélioration...": an item number
_BEFORE_YEAR = re.compile(r"(?:\b(?:en|depuis|jusqu'en|jusqu'a|d'ici|annee|l'annee|exercice)"
                          r"|[/.])\s?$")
_AFTER_STREET = re.compile(r"^,? (?:rue|place|avenue|av|boulevard|bd|chemin|allee|impasse|quai|"
                           r"route|square|cours)\b")
_BEFORE_IDENTIFIER = re.compile(r"\b(?:siret|siren|bp|tel|fax|n°|no|loi)[\W\d]*$")
_AFTER_POSTCODE_WORD = re.compile(r"^ ([a-z][a-z' -]+?)(?: cedex\b|$|[ ,.;:)])")


@dataclass(frozen=True)
class Number:
    """A number in a block's folded text, with its unit and what it is."""

    start: int  # folded span, unit included
    end: int
    text: str  # the folded number and unit ("13 740", "31.8%")
    value: float
    unit: Unit
    role: Role

    @property
    def is_figure(self) -> bool:
        return self.role == "figure"


def read_numbers(text: str, year: int | None) -> list[Number]:
    """Every number of a block's folded text, in order, each with its role."""
    phones = [match.span() for match in _PHONE.finditer(text)]
    dates = [match.span() for match in _NUMERIC_DATE.finditer(text) if _is_date(match)]
    split_years = _split_years(text, year)
    numbers = []
    for match in NUMBER.finditer(text):
        start, end = match.span()
        if _inside(start, phones):
            role: Role = "phone"
        elif _inside(start, dates):
            role = "date"
        elif _inside(start, split_years):
            role = "year"
        else:
            role = _role(text, match, year)
        numbers.append(Number(start, end, match[0].strip(), _value(match), _unit(match), role))
    if _is_folio_pair(text, numbers):
        numbers = [Number(n.start, n.end, n.text, n.value, n.unit, "folio") for n in numbers]
    elif _is_axis(text, numbers):
        numbers = [Number(n.start, n.end, n.text, n.value, n.unit, "axis") for n in numbers]
    return numbers


def _role(text: str, match: re.Match[str], year: int | None) -> Role:
    before, after = text[:match.start()], text[match.end():]
    digits = match["int"]
    whole = match["unit"] is None and match["dec"] is None
    plain = whole and match["sign"] is None
    if _BEFORE_IDENTIFIER.search(before):
        return "identifier"
    if _AFTER_DATE.match(after):
        return "date"
    if _AFTER_TIME.match(after):
        return "time"
    if plain and (_AFTER_ORDINAL.match(after)
                  or (not before.strip(" -•") and _LIST_MARKER.match(after))):
        return "ordinal"
    if whole and _AFTER_RATE.match(after):
        return "duration"
    if plain and _AFTER_STREET.match(after):
        return "address"
    if whole and _AFTER_AGE.match(after):
        return "age"
    if whole and _AFTER_DURATION.match(after) and before.strip():
        return "duration"  # "CDD de + de 6 mois": part of a label, not a figure
    if plain and re.fullmatch(r"\d{5}", digits) and _is_postcode(after):
        return "postcode"
    if plain and _is_year(digits, year) and not _starts_a_count(before, after, digits, year):
        return "year"
    if plain and len(digits) == 4 and 1900 <= int(digits) <= 2100 and _BEFORE_YEAR.search(before):
        return "year"  # "prévus jusqu'en 2035"
    return "figure"


def _is_year(digits: str, year: int | None) -> bool:
    latest = (year or 2030) + 5
    return len(digits) == 4 and 1990 <= int(digits) <= latest


def _starts_a_count(before: str, after: str, digits: str, year: int | None) -> bool:
    """A year-like number opening a box and followed by a word ("2010 jeunes"): a figure,
    unless it is the edition's year or a neighbour ("2023 a été marquée par...")."""
    if year is not None and abs(int(digits) - year) <= 1:
        return False
    return not before.strip(" -•+") and bool(re.match(r"^ [a-z]", after))


def _is_postcode(after: str) -> bool:
    match = _AFTER_POSTCODE_WORD.match(after)
    if match is None:
        return False
    words = match[1].split()
    names = communes_by_name()
    return any(" ".join(words[:count]) in names for count in range(len(words), 0, -1))


def _is_date(match: re.Match[str]) -> bool:
    day, month = int(match[1]), int(match[2])
    return 1 <= day <= 31 and 1 <= month <= 12 and (match[3] is not None or "/" in match[0])


def _split_years(text: str, year: int | None) -> list[tuple[int, int]]:
    """The edition year printed in two parts by the layout ("versées en 202 3")."""
    if year is None:
        return []
    pattern = rf"\ben ({str(year)[:3]}) ({str(year)[3:]})(?!\d)"
    return [span for match in re.finditer(pattern, text) for span in (match.span(1), match.span(2))]


def _is_folio_pair(text: str, numbers: list[Number]) -> bool:
    """A block holding only "6 7" or "68 69": the folios of a double page."""
    if len(numbers) != 2 or text.strip() != f"{numbers[0].text} {numbers[1].text}":
        return False
    first, second = numbers[0].value, numbers[1].value
    return first.is_integer() and first % 2 == 0 and second == first + 1


def _is_axis(text: str, numbers: list[Number]) -> bool:
    """A block of bare numbers, three of them evenly spaced ("50 10 15 20"): a chart's scale."""
    if len(numbers) < 3 or text.strip() != " ".join(number.text for number in numbers):
        return False
    return is_scale([number.value for number in numbers])


def is_scale(values: list[float]) -> bool:
    """Whether at least three of the values are evenly spaced ticks (10, 20, 30...)."""
    ticks = sorted(set(values))
    for i, low in enumerate(ticks):
        for high in ticks[i + 1:]:
            step = high - low
            if step > 0 and low + 2 * step in ticks and low % step == 0:
                return True
    return False


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _value(match: re.Match[str]) -> float:
    digits = match["int"].replace(" ", "")
    value = float(f"{digits}.{match['dec']}" if match["dec"] else digits)
    if match["unit"] and "k€" in match["unit"]:
        value *= 1000
    return value


def _unit(match: re.Match[str]) -> Unit:
    unit = (match["unit"] or "").strip()
    if unit == "%":
        return "percent"
    return "eur" if unit else "count"
