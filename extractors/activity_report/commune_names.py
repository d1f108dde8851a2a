"""Printed commune names to reference communes: the reference, then the reviewers' decisions.

A new edition respells a commune ("Madeleine (La)", "St-André-lès-Lille"). The reference
(dbt seed ref_communes.csv) knows official spellings only; a reviewer's decision recorded by
`mlw review accept` (curation folder, `<year>/dimension_labels.yaml`, dimension `commune`,
printed label -> INSEE code) makes the next extraction read the row as that commune. A
spelling no decision covers is never mapped automatically: `closest_commune` only suggests.
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from extractors import wording_rules
from extractors.reference import Commune, communes_by_name, normalise_label

COMMUNE_DIMENSION = "commune"  # the dimension a commune review item names
# A suggestion by similarity needs this ratio, and the next commune at least the margin behind.
_CLOSE = 0.8
_MARGIN = 0.05
_ARTICLE_AFTER = re.compile(r"^(.+?)\s*\((l'|la|le|les)\)$")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "les": "lez"}


def commune_named(name: str, year: int | None = None) -> Commune | None:
    """The commune a printed name designates: the reference's spelling, else (with the edition
    `year`) a reviewer's decision for that printed label; None when neither knows it."""
    commune = communes_by_name().get(normalise_label(name))
    if commune is not None or year is None:
        return commune
    return decided_commune(name, year)


def decided_commune(name: str, year: int) -> Commune | None:
    """The commune a recorded decision gives the printed `name` in the `year` edition (its code
    an INSEE code, or a reference name); None without a decision or for an unknown code."""
    try:
        code = wording_rules.dimension_code(COMMUNE_DIMENSION, name, year)
    except wording_rules.UnknownLabel:
        return None
    return _by_insee().get(code) or communes_by_name().get(normalise_label(code))


def fold(name: str) -> str:
    """A name without what respellings change: a trailing "(La)" put first, hyphens and
    apostrophes as spaces, "St"/"Ste" spelt out, "lès" as "lez" (not as a leading article)."""
    text = normalise_label(name)
    if match := _ARTICLE_AFTER.match(text):
        text = f"{match.group(2)} {match.group(1)}"
    words = re.sub(r"[-'.]", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) if position else
                    ("saint" if word == "st" else "sainte" if word == "ste" else word)
                    for position, word in enumerate(words))


def closest_commune(name: str) -> Commune | None:
    """The reference commune a printed name most likely means (a reviewer's suggestion, never a
    reading): the one whose folded name is the same, else the one clearly closest; None when
    none or several fit."""
    folded = fold(name)
    by_fold = _by_fold()
    if folded in by_fold:
        same = by_fold[folded]
        return same[0] if len(same) == 1 else None
    ratios = sorted(((difflib.SequenceMatcher(None, folded, known).ratio(), known)
                     for known in by_fold), reverse=True)
    if not ratios or ratios[0][0] < _CLOSE:
        return None
    if len(ratios) > 1 and ratios[0][0] - ratios[1][0] < _MARGIN:
        return None
    best = by_fold[ratios[0][1]]
    return best[0] if len(best) == 1 else None


@cache
def _by_fold() -> dict[str, list[Commune]]:
    index: dict[str, list[Commune]] = {}
    for commune in {commune.insee: commune for commune in communes_by_name().values()}.values():
        index.setdefault(fold(commune.name), []).append(commune)
    return index


@cache
def _by_insee() -> dict[str, Commune]:
    return {commune.insee: commune for commune in communes_by_name().values()}
