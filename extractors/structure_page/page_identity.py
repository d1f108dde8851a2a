"""Which Mission Locale a page is about, in which language, and which year it speaks of:
read from the content only (never the file name)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache

from extractors.lines import Document, Line
from extractors.reference import SEEDS_DIR, structure_aliases
from extractors.structure_page.line_figures import scan
from extractors.structure_page.page_mapping import PageMapping
from extractors.structure_page.page_text import norm, phrase_pattern
from extractors.text_folding import fold


@dataclass(frozen=True)
class StructureMention:
    code: str  # I-MILO structure code
    name: str  # the structure's name in the alias seed (a carrier's name)
    line: Line  # first line that names it
    start: int  # span of the name in that line
    end: int


def _core(alias: str, mapping: PageMapping) -> str | None:
    """An alias without its leading "Mission Locale (de)": the territory's name, or None."""
    words = phrase_pattern(mapping.structure_words)
    links = phrase_pattern(mapping.structure_name_links)
    match = re.match(rf"{words}\s+(?:{links}\s*)?(.+)$", alias)
    return match.group(1) if match else None


def _name_pattern(alias: str, mapping: PageMapping) -> str:
    """"Mission Locale Wattrelos-Leers" also matches "mission locale de wattrelos leers" and
    "Wattrelos-Leers MILO"."""
    core = _core(alias, mapping)
    if core is None:
        return r"(?<![\w-])" + re.escape(alias).replace(r"\ ", r"[\s-]+") + r"(?![\w-])"
    core_re = r"[\s'-]+".join(re.escape(word) for word in re.findall(r"[a-z0-9]+", core))
    words = phrase_pattern(mapping.structure_words)
    links = phrase_pattern(mapping.structure_name_links)
    return (rf"(?<![\w-])(?:{words}\s+(?:{links}\s*)?{core_re}|{core_re}\s+{words})(?![\w-])")


def structure_mentions(lines: tuple[Line, ...], mapping: PageMapping) -> list[StructureMention]:
    """Every naming of a known structure, in page order."""
    patterns = [(re.compile(_name_pattern(alias, mapping)), code)
                for alias, code in structure_aliases().items()]
    mentions = []
    for line in lines:
        folded = fold(line.text)
        for pattern, code in patterns:
            for match in pattern.finditer(folded):
                mentions.append(StructureMention(code, seed_name(code), line, *match.span()))
    return sorted(mentions, key=lambda m: (m.line.page or 0, m.line.number, m.start))


def page_structure(mentions: list[StructureMention]) -> StructureMention | None:
    """The structure named most (first mention of it); None if none or a tie."""
    ranked = Counter(m.code for m in mentions).most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return next(m for m in mentions if m.code == ranked[0][0])


@cache
def seed_name(code: str) -> str:
    """The structure's first alias in the seed, as written there."""
    with open(SEEDS_DIR / "ref_structure_aliases.csv", encoding="utf-8", newline="") as handle:
        return next((row["alias"] for row in csv.DictReader(handle) if row["structure_code"] == code),
                    code)


def language(document: Document, mapping: PageMapping) -> str:
    """The language whose function words are the most frequent (ties: the first listed)."""
    words = Counter(re.findall(r"[a-z']+", norm(" ".join(line.text for line in document.lines))))
    scores = {lang: sum(words[w] for w in vocabulary) for lang, vocabulary in mapping.language_words.items()}
    return max(scores, key=lambda lang: scores[lang])


def web_markers(document: Document, mapping: PageMapping) -> set[str]:
    """Kinds of web-page chrome found on the page (cookie banner, links, social networks...)."""
    text = norm(" ".join(line.text for line in document.lines))
    return {kind for kind, phrases in mapping.web_markers.items()
            if any(phrase in text for phrase in phrases)}


def page_year(document: Document, mapping: PageMapping, lang: str) -> int | None:
    """The latest year the page names, not in the future; None when it names none."""
    this_year = date.today().year
    years = [year for line in document.lines
             for year in scan(line.text, line.number, mapping, lang).years if year <= this_year]
    return max(years, default=None)
