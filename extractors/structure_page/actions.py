"""The actions a structure page describes: `Programme` records, and their participants as facts.

Carriers are the structure itself (by its seed name) and the partners the page presents that
the action's text names: organisations an "about" part presents ("What's FACE ?") and those
listed after "partners" ("engaged with partners (acti-jeunes, horizon9)"). Dates, ages and
communes are only those the action's own text states; nothing is inherited from the page.
"""

from __future__ import annotations

import re

from extractors.lines import Line
from extractors.programmes import Programme, ProgrammeCommune, programme_key
from extractors.reference import national_scheme_code
from extractors.structure_page.line_figures import Figure, LineReading, redact
from extractors.structure_page.page_mapping import PageMapping
from extractors.structure_page.page_records import Records
from extractors.structure_page.page_sections import ActionBlock
from extractors.structure_page.page_text import (
    blank_out,
    fold,
    phrase_pattern,
    sentence_spans,
)
from extractors.structure_page.profile import communes_named

PARTICIPANTS_INDICATOR = "programme_participants"
_AGES = re.compile(r"(?:from|de)\s+(\d{1,2})\s*(?:to|a|-)\s*(\d{1,2})\s*(?:years|ans)")


def page_partners(lines: tuple[Line, ...], presented: list[str], mapping: PageMapping) -> list[str]:
    """Partner organisations as printed: those presented by an about part, then listed ones."""
    partners = list(presented)
    words = phrase_pattern(mapping.partner_words)
    for line in lines:
        for match in re.finditer(rf"(?<![a-z]){words}\s*\(([^)]*)\)", fold(line.text)):
            listed = line.text[match.start(1):match.end(1)]
            partners += [name.strip() for name in re.split(r",|;|\band\b|\bet\b", listed) if name.strip()]
    return list(dict.fromkeys(partners))


def _name_and_aliases(title: str) -> tuple[str, tuple[str, ...]]:
    """"Permis Sport Emploi (Sport/job/driver's licence)" -> the name and its translation."""
    aliases = tuple(alias.strip() for alias in re.findall(r"\(([^)]*)\)", title) if alias.strip())
    name = re.sub(r"\([^)]*\)", " ", title)
    name = re.sub(r"[«»“”\"]", " ", name)
    name = re.sub(r"^\s*(?:the|les|le|la|l')\s+", "", name, flags=re.IGNORECASE)
    return " ".join(name.split()), aliases


def _years(block: ActionBlock, readings: dict[int, LineReading],
           mapping: PageMapping) -> tuple[int | None, int | None]:
    """First and last year the action's text names; "since 2008" leaves the end open."""
    years = [year for line in block.lines for year in readings[line.number].years]
    if not years:
        return None, None
    text = fold(block.description)
    open_years = {int(y) for y in re.findall(rf"{phrase_pattern(mapping.open_ended)}\s+(\d{{4}})", text)}
    return min(years), (None if max(years) in open_years else max(years))


def extract_actions(blocks: list[ActionBlock], readings: dict[int, LineReading], mapping: PageMapping,
                    records: Records, structure_name: str, partners: list[str],
                    structure_spans: dict[int, list[tuple[int, int]]]) -> tuple[list[Programme], set[Figure]]:
    programmes: list[Programme] = []
    used: set[Figure] = set()
    keys: set[str] = set()
    for block in blocks:
        name, aliases = _name_and_aliases(block.title)
        key = _unique(programme_key(name), keys)
        first_year, last_year = _years(block, readings, mapping)
        text = f"{block.title} {block.description}"
        ages = _AGES.search(fold(block.description))
        places = [commune for line in block.lines for _, commune in
                  communes_named(blank_out(fold(line.text), structure_spans.get(line.number, [])))]
        programmes.append(Programme(
            key=key, name=name, category=block.category,
            carriers=(structure_name, *[p for p in partners if _names(text, p)]),
            target_public=None, age_min=int(ages.group(1)) if ages else None,
            age_max=int(ages.group(2)) if ages else None,
            communes=tuple(dict.fromkeys(ProgrammeCommune(c.name, c.insee) for c in places)),
            first_year=first_year, last_year=last_year, resources=None,
            description=redact(block.description), structure=records.structure, year=records.year,
            source=records.source(block.title_line), aliases=aliases,
            national_scheme=next(filter(None, map(national_scheme_code, (name, *aliases))), None)))
        used |= _participants(block, key, first_year, last_year, readings, mapping, records)
    return programmes, used


def _unique(key: str, keys: set[str]) -> str:
    """A key not used yet in the document: "forum", "forum_2"..."""
    candidate, n = key, 1
    while candidate in keys:
        n += 1
        candidate = f"{key}_{n}"
    keys.add(candidate)
    return candidate


def _names(text: str, organisation: str) -> bool:
    return re.search(rf"(?<![a-z0-9]){phrase_pattern([fold(organisation)])}(?![a-z0-9])",
                     fold(text)) is not None


def _participants(block: ActionBlock, key: str, first_year: int | None, last_year: int | None,
                  readings: dict[int, LineReading], mapping: PageMapping, records: Records) -> set[Figure]:
    """"The Milo accompanied 30 young people": a participants fact dated by its sentence, else by
    the action (when it names one year), else by the page (flagged)."""
    used: set[Figure] = set()
    people = phrase_pattern(mapping.participant_people)
    verbs = phrase_pattern(mapping.participant_verbs)
    numbers = phrase_pattern(mapping.number_words)
    for line in block.lines[-1:]:  # the description's line (a numbered item is one line)
        folded = fold(line.text)
        for start, end in sentence_spans(line.text):
            sentence = folded[start:end]
            if not re.search(rf"(?<![a-z]){verbs}(?![a-z])", sentence):
                continue
            reading = readings[line.number]
            sentence_years = {y for y in reading.years if str(y) in sentence}
            year = (next(iter(sentence_years)) if len(sentence_years) == 1
                    else first_year if first_year is not None and first_year == last_year else None)
            for figure in reading.figures:
                if start <= figure.start < end and figure.unit == "count" \
                        and re.match(rf"{people}(?![a-z])", figure.subject):
                    records.fact(PARTICIPANTS_INDICATOR, figure, line, figure.value, "count",
                                 f"programme:{key}", {"programme": key}, year)
                    used.add(figure)
            for match in re.finditer(rf"(?<![a-z-]){numbers}\s+{people}(?![a-z])", sentence):
                word = match.group(0).split()[0]
                records.fact(PARTICIPANTS_INDICATOR, None, line, float(mapping.number_words[word]), "count",
                             f"programme:{key}", {"programme": key}, year,
                             printed=line.text[start + match.start():start + match.end()])
    return used
