"""Ages of an action's target public, read from its wording ("Pour les jeunes de 16 à 25 ans").

Rules, on the accent-free lower-case text:
- a range "de 16 à 25 ans", "entre 16 et 25 ans", "16-17 ans", "13 à 30 ans" gives min and max;
  when a range is printed, it is the general rule and later extensions ("pouvant aller jusqu'à
  30 ans si le jeune est reconnu travailleur handicapé") stay in the text only;
- otherwise bounds: "moins de 26 ans" (max 25), "jusqu'à 25 ans" (max 25), "plus de 16 ans"
  (min 17), "à partir de 16 ans", "dès 16 ans", "16 ans et plus" (min 16);
- a text that states no age ("Pour les étudiants de la MEL") gives None, None and no issue;
- a text that mentions ages in another way ("ayant quitté l'école après 16 ans"), or prints two
  different ranges, gives None, None and a reason: the caller reports it, nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.reference import normalise_label

_RANGE = re.compile(r"\b(\d{1,2}) ?(?:a|-|/|et) ?(\d{1,2}) ans\b")
_MAX_EXCLUSIVE = re.compile(r"\bmoins de (\d{1,2}) ans\b")
_MAX_INCLUSIVE = re.compile(r"\bjusqu'? ?a (\d{1,2}) ans\b")
_MIN_EXCLUSIVE = re.compile(r"\bplus de (\d{1,2}) ans\b")
_MIN_INCLUSIVE = re.compile(r"\b(?:a partir de|des) (\d{1,2}) ans\b|\b(\d{1,2}) ans et plus\b")
_ANY_AGE = re.compile(r"\b\d{1,2} ans\b")


@dataclass(frozen=True)
class Ages:
    age_min: int | None
    age_max: int | None
    problem: str | None = None  # why ages were printed but not read


def parse_ages(text: str | None) -> Ages:
    if not text:
        return Ages(None, None)
    words = normalise_label(text)
    ranges = list(dict.fromkeys((int(a), int(b)) for a, b in _RANGE.findall(words)))
    if len(ranges) > 1:
        return Ages(None, None, f"several age ranges {ranges}")
    if ranges:
        low, high = ranges[0]
        return Ages(low, high) if low <= high else Ages(None, None, f"age range {low}-{high} reversed")
    low = _first(_MIN_INCLUSIVE, words, 0) or _first(_MIN_EXCLUSIVE, words, 1)
    high = _first(_MAX_EXCLUSIVE, words, -1) or _first(_MAX_INCLUSIVE, words, 0)
    if low is not None or high is not None:
        if low is not None and high is not None and low > high:
            return Ages(None, None, f"age bounds {low}-{high} reversed")
        return Ages(low, high)
    if _ANY_AGE.search(words):
        return Ages(None, None, "age condition not parsable")
    return Ages(None, None)


def _first(pattern: re.Pattern[str], words: str, shift: int) -> int | None:
    match = pattern.search(words)
    if match is None:
        return None
    return int(next(group for group in match.groups() if group)) + shift
