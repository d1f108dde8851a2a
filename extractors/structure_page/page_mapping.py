"""The structure page's mapping file (extractors/mappings/ml_structure_page.yaml), typed.

Wordings live in the YAML so that a new page's drift (another language, another edition) is a
one-line change there; code only knows the shapes below.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from extractors.curation import curated_cache
from extractors.wording_rules import MAPPINGS_DIR, mapping_file
from extractors.reference import normalise_label

MAPPING_FILE = MAPPINGS_DIR / "ml_structure_page.yaml"
CONTRACT_UNITS = ("count", "eur", "percent")


@dataclass(frozen=True)
class FigureRule:
    """An indicator and the wordings that label it, keyed by page year."""

    indicator: str
    unit: str  # count | eur | percent, or another unit (km2...) that makes it a review item
    wordings: dict[int, tuple[str, ...]]

    def wordings_for(self, year: int | None) -> list[str]:
        """The year's own wordings if listed, else every listed year's (latest first)."""
        years = [year] if year in self.wordings else sorted(self.wordings, reverse=True)
        return [wording for edition in years for wording in self.wordings[edition]]


@dataclass(frozen=True)
class PageMapping:
    min_web_markers: int
    web_markers: dict[str, tuple[str, ...]]
    structure_words: tuple[str, ...]
    structure_name_links: tuple[str, ...]
    language_words: dict[str, frozenset[str]]
    thousands_mark: dict[str, str]
    months: frozenset[str]
    year_prefixes: frozenset[str]
    open_ended: tuple[str, ...]
    sections: dict[str, tuple[str, ...]]
    programme_categories: dict[str, str]
    partner_words: tuple[str, ...]
    key_figures: tuple[FigureRule, ...]
    sentence_figures: tuple[FigureRule, ...]
    qualifiers: dict[str, tuple[str, ...]]
    multipliers: dict[str, int]  # normalised word -> factor
    other_units: dict[str, str]  # printed unit word (normalised) -> unit code
    age_words: tuple[str, ...]
    range_words: tuple[str, ...]
    duration_words: tuple[str, ...]
    names_with_digits: tuple[str, ...]
    subject_max_words: int
    subject_stop_words: frozenset[str]
    participant_people: tuple[str, ...]
    participant_verbs: tuple[str, ...]
    number_words: dict[str, int]


def _norm(words: Any) -> tuple[str, ...]:
    return tuple(normalise_label(str(word)) for word in words)


def _rules(raw: dict[str, Any]) -> tuple[FigureRule, ...]:
    return tuple(
        FigureRule(code, str(entry["unit"]),
                   {int(year): _norm(wordings) for year, wordings in entry["wordings"].items()})
        for code, entry in raw.items()
    )


@curated_cache
def load_mapping() -> PageMapping:
    raw = mapping_file(MAPPING_FILE)
    recognition = raw["recognition"]
    return PageMapping(
        min_web_markers=int(recognition["min_web_markers"]),
        web_markers={kind: _norm(words) for kind, words in recognition["web_markers"].items()},
        structure_words=_norm(raw["structure_words"]),
        structure_name_links=_norm(raw["structure_name_links"]),
        language_words={lang: frozenset(_norm(words)) for lang, words in raw["language_words"].items()},
        thousands_mark=dict(raw["thousands_mark"]),
        months=frozenset(word for words in raw["months"].values() for word in _norm(words)),
        year_prefixes=frozenset(_norm(raw["year_prefixes"])),
        open_ended=_norm(raw["open_ended"]),
        sections={kind: _norm(words) for kind, words in raw["sections"].items()},
        programme_categories=dict(raw["programme_categories"]),
        partner_words=_norm(raw["partner_words"]),
        key_figures=_rules(raw["key_figures"]),
        sentence_figures=_rules(raw["sentence_figures"]),
        qualifiers={kind: _norm(words) for kind, words in raw["qualifiers"].items()},
        multipliers={word: int(factor) for factor, words in raw["multipliers"].items()
                     for word in _norm(words)},
        other_units={word: unit for unit, words in raw["other_units"].items() for word in _norm(words)},
        age_words=_norm(raw["age_words"]),
        range_words=_norm(raw["range_words"]),
        duration_words=_norm(raw["duration_words"]),
        names_with_digits=_norm(raw["names_with_digits"]),
        subject_max_words=int(raw["subject_max_words"]),
        subject_stop_words=frozenset(_norm(raw["subject_stop_words"])),
        participant_people=_norm(raw["participants"]["people"]),
        participant_verbs=_norm(raw["participants"]["verbs"]),
        number_words={normalise_label(word): int(value) for word, value in raw["number_words"].items()},
    )
