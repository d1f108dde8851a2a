"""The structure's profile: key figures and mapped prose figures of the page's first part, and
the communes of its territory.

Profile figures describe the commune the profile's first paragraph is about when that commune
is one of the structure's territory ("Wattrelos is a town ..."): the facts then carry it as
dimensions commune / commune_insee, since the page's 42041 inhabitants are Wattrelos', not
Wattrelos-Leers'. Without such a commune the facts have no dimension (the whole territory).
"""

from __future__ import annotations

import re

from extractors.lines import Line
from extractors.reference import Commune, communes_by_name
from extractors.structure_page.line_figures import Figure, LineReading
from extractors.structure_page.page_mapping import CONTRACT_UNITS, FigureRule, PageMapping
from extractors.structure_page.page_records import Records
from extractors.structure_page.page_sections import Section, is_prose
from extractors.structure_page.page_text import (
    fold,
    phrase_pattern,
    sentence_spans,
    word_set,
)

KEY_FIGURE_MAX_WORDS = 4
TERRITORY_INDICATOR = "structure_page_territory_commune"


def communes_named(folded: str) -> list[tuple[int, Commune]]:
    """MEL communes named in a folded text, longest names first when they overlap, by position."""
    found: list[tuple[int, int, Commune]] = []
    for name, commune in communes_by_name().items():
        for match in re.finditer(rf"(?<![a-z0-9]){phrase_pattern([name])}(?![a-z0-9])", folded):
            found.append((match.start(), match.end(), commune))
    kept: list[tuple[int, int, Commune]] = []
    for start, end, commune in sorted(found, key=lambda f: f[0] - f[1]):
        if all(end <= s or start >= e for s, e, _ in kept):
            kept.append((start, end, commune))
    return [(start, commune) for start, _, commune in sorted(kept, key=lambda f: f[0])]


def territory_communes(line: Line, start: int, end: int) -> list[Commune]:
    """The communes the structure's name is made of ("Wattrelos-Leers")."""
    unique: dict[str, Commune] = {}
    for _, commune in communes_named(fold(line.text)[start:end]):
        unique.setdefault(commune.insee, commune)
    return list(unique.values())


def add_territory_facts(records: Records, line: Line, communes: list[Commune]) -> None:
    for commune in communes:
        records.fact(TERRITORY_INDICATOR, None, line, 1.0, "count", "territory",
                     {"commune": commune.name, "commune_insee": commune.insee},
                     printed=commune.name)


def profile_commune(section: Section, territory: list[Commune]) -> Commune | None:
    """The commune named first in the profile's first paragraph that names one (a cookie
    banner names none), if it is a commune of the structure's territory."""
    insees = {commune.insee for commune in territory}
    for line in section.lines:
        named = [commune for _, commune in communes_named(fold(line.text))] if is_prose(line) else []
        if named:
            return named[0] if named[0].insee in insees else None
    return None


def extract_profile(section: Section, readings: dict[int, LineReading], mapping: PageMapping,
                    records: Records, commune: Commune | None) -> set[Figure]:
    """Facts (or review items) for the profile's mapped figures; returns the figures used."""
    dimensions = {"commune": commune.name, "commune_insee": commune.insee} if commune else {}
    used: set[Figure] = set()
    published: set[str] = set()
    qualifier_words = {w for words in mapping.qualifiers.values() for w in words}
    for line in section.lines:
        figures = readings[line.number].figures
        if len(figures) == 1 and not readings[line.number].years:
            label = {w for w in word_set(line.text) if not w.isdigit()} - qualifier_words
            rule = _rule_for(mapping.key_figures, label, records.year)
            if rule and len(label) <= KEY_FIGURE_MAX_WORDS:
                _publish(rule, figures[0], line, records, dimensions, published)
                used.add(figures[0])
                continue
        for start, end in sentence_spans(line.text):
            words = word_set(line.text[start:end])
            for rule in mapping.sentence_figures:
                if not any(word_set(w) <= words for w in rule.wordings_for(records.year)):
                    continue
                fitting = [f for f in figures if start <= f.start < end and f not in used
                           and f.unit == rule.unit]
                for figure in fitting:
                    if len(fitting) == 1:
                        _publish(rule, figure, line, records, dimensions, published)
                    else:
                        records.review(figure.printed, figure.value, line,
                                       f"{rule.indicator}: several figures of the sentence fit")
                    used.add(figure)
    return used


def _rule_for(rules: tuple[FigureRule, ...], label: set[str], year: int | None) -> FigureRule | None:
    for rule in rules:
        if any(set(word_set(wording)) == label for wording in rule.wordings_for(year)):
            return rule
    return None


def _publish(rule: FigureRule, figure: Figure, line: Line, records: Records,
             dimensions: dict[str, str], published: set[str]) -> None:
    """A fact, unless its unit has no place in the contract or the indicator is already out."""
    if rule.unit not in CONTRACT_UNITS:
        records.review(figure.printed, figure.value, line,
                       f"{rule.indicator}: unit {rule.unit} is not a unit of the fact contract "
                       f"({', '.join(CONTRACT_UNITS)}); kept for review, not published")
    elif figure.unit != rule.unit:
        records.review(figure.printed, figure.value, line,
                       f"{rule.indicator}: printed in {figure.unit}, expected {rule.unit}")
    elif rule.indicator in published:
        records.review(figure.printed, figure.value, line,
                       f"{rule.indicator}: the page already gave this figure (first one kept)")
    else:
        published.add(rule.indicator)
        records.fact(rule.indicator, figure, line, figure.value, rule.unit,  # type: ignore[arg-type]
                     "profile", dimensions)
