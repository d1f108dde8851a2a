"""The guide's wordings (extractors/mappings/mel_pia_guide.yaml), loaded once.

Headings, markers, map labels and figure wordings live in the mapping file so that a new
edition's wording is a data change, not a code change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractors.curation import curated_cache
from extractors.reference import normalise_label
from extractors.wording_rules import MAPPINGS_DIR, mapping_file

MAPPING_FILE = MAPPINGS_DIR / "mel_pia_guide.yaml"


@dataclass(frozen=True)
class FigureRules:
    """Which milestone figures are facts, targets, multi-year counts or not figures at all."""

    indicators: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]  # in priority order
    targets: tuple[re.Pattern[str], ...]
    multi_year: tuple[re.Pattern[str], ...]
    not_figures: tuple[re.Pattern[str], ...]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: load_mapping caches it
class GuideMapping:
    programme_phrase: str  # normalised
    min_action_blocks: int
    block_start: str  # normalised markers
    innovation: str
    resources: str
    directory: str
    carrier: re.Pattern[str]  # matched on a normalised line
    carrier_separators: tuple[str, ...]
    axes: tuple[tuple[str, str], ...]  # (normalised heading, axis code)
    map_first: str  # commune labels as printed
    map_last: str
    commune_aliases: dict[str, str]  # label -> official name
    # label -> (its own INSEE code, official name of the commune it belongs to)
    associated_communes: dict[str, tuple[str, str]]
    metropolitan_scopes: tuple[str, ...]  # normalised
    relative_scopes: tuple[str, ...]
    figures: FigureRules


def _patterns(raw: list[str] | None) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in raw or ())


@curated_cache
def load_mapping(path: Path = MAPPING_FILE) -> GuideMapping:
    data = mapping_file(path)
    markers, figures = data["markers"], data["figures"]
    return GuideMapping(
        programme_phrase=normalise_label(data["recognition"]["programme_phrase"]),
        min_action_blocks=int(data["recognition"]["min_action_blocks"]),
        block_start=normalise_label(markers["block_start"]),
        innovation=normalise_label(markers["innovation"]),
        resources=normalise_label(markers["resources"]),
        directory=normalise_label(markers["directory"]),
        carrier=re.compile(markers["carrier"]),
        carrier_separators=tuple(markers.get("carrier_separators", ())),
        axes=tuple((normalise_label(heading), code)
                   for code, entry in data["axes"].items() for heading in entry["headings"]),
        map_first=data["map"]["first"],
        map_last=data["map"]["last"],
        commune_aliases=dict(data.get("commune_aliases") or {}),
        associated_communes={label: (str(entry["insee"]), entry["commune"])
                             for label, entry in (data.get("associated_communes") or {}).items()},
        metropolitan_scopes=tuple(normalise_label(s) for s in data["scopes"]["metropolitan"]),
        relative_scopes=tuple(normalise_label(s) for s in data["scopes"].get("relative", ())),
        figures=FigureRules(
            indicators=tuple((code, _patterns(patterns))
                             for code, patterns in figures["indicators"].items()),
            targets=_patterns(figures.get("targets")),
            multi_year=_patterns(figures.get("multi_year")),
            not_figures=_patterns(figures.get("not_figures")),
        ),
    )
