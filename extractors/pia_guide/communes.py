"""Reading the commune lines of a block: the map's labels, then the action's own communes.

The text layer of the map glues or splits labels ("BaisieuxChéreng", "Englos Sequedin",
"WillemsForest- sur-Marque", "La Bassée Salomé"), abbreviates some ("Hallennes", "Saint-André")
and drops accents ("Perenchies"). A line is a commune line when, ignoring case, accents,
spaces, hyphens and apostrophes, it splits entirely into known commune labels; every commune
then resolves to its INSEE code in the reference seed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from extractors.lines import Line
from extractors.pia_guide.guide_mapping import GuideMapping
from extractors.programmes import ProgrammeCommune
from extractors.reference import Commune, communes_by_name, normalise_label


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", normalise_label(text))


@dataclass(frozen=True)
class CommuneToken:
    label: str  # the compacted label as printed
    commune: Commune  # the reference commune it designates (Lille for Lomme and Hellemmes)
    place: str  # INSEE code of the place the label names (59355 for Lomme)
    line: Line


@cache
def _vocabulary(mapping: GuideMapping) -> dict[str, tuple[Commune, str]]:
    """Compacted label -> (reference commune, INSEE code of the place named): official names,
    then the mapping's aliases and associated communes (which resolve to the commune they
    belong to, keeping their own code)."""
    by_name = communes_by_name()
    vocabulary = {_compact(name): (commune, commune.insee) for name, commune in by_name.items()}
    targets = {**{label: (official, None) for label, official in mapping.commune_aliases.items()},
               **{label: (official, insee)
                  for label, (insee, official) in mapping.associated_communes.items()}}
    for label, (official, insee) in targets.items():
        commune = by_name.get(normalise_label(official))
        if commune is None:
            raise ValueError(f"mel_pia_guide.yaml: {official!r} is not a reference commune")
        vocabulary[_compact(label)] = (commune, insee or commune.insee)
    return vocabulary


def split_communes(text: str, mapping: GuideMapping) -> list[tuple[str, Commune, str]] | None:
    """The communes a line lists, in order (fewest labels first), as (label, commune, place),
    or None if it is not a commune line."""
    compact = _compact(text)
    if not compact:
        return None
    vocabulary = _vocabulary(mapping)
    longest = max(map(len, vocabulary))
    best: list[list[tuple[str, Commune, str]] | None] = [None] * (len(compact) + 1)
    best[0] = []
    for end in range(1, len(compact) + 1):
        for start in range(max(0, end - longest), end):
            head, piece = best[start], compact[start:end]
            if head is not None and piece in vocabulary:
                candidate = [*head, (piece, *vocabulary[piece])]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(compact)]


def commune_tokens(line: Line, mapping: GuideMapping) -> list[CommuneToken] | None:
    found = split_communes(line.text, mapping)
    return None if found is None else [CommuneToken(label, commune, place, line)
                                       for label, commune, place in found]


@dataclass(frozen=True)
class CommuneList:
    own: tuple[ProgrammeCommune, ...]  # the action's communes, after the map's labels
    map_complete: bool  # False when the map's labels stop before its last label


def own_communes(tokens: list[CommuneToken], mapping: GuideMapping) -> CommuneList:
    """The action's communes: those printed after the map's last label. A block whose commune
    lines do not start with the map's first label has no map: all its communes are its own.
    When the map stops early (no last label), only communes printed a second time can be told
    from the map; map_complete is then False so that the caller reports it."""
    if not tokens:
        return CommuneList((), True)
    first = _vocabulary(mapping)[_compact(mapping.map_first)][1]
    last = _vocabulary(mapping)[_compact(mapping.map_last)][1]
    if tokens[0].place != first:
        return CommuneList(_unique(tokens), True)
    ends = [index for index, token in enumerate(tokens) if token.place == last]
    if ends:
        return CommuneList(_unique(tokens[ends[0] + 1:]), True)
    seen: set[str] = set()
    for index, token in enumerate(tokens):
        if token.place in seen:
            return CommuneList(_unique(tokens[index:]), False)
        seen.add(token.place)
    return CommuneList((), False)


def _unique(tokens: list[CommuneToken]) -> tuple[ProgrammeCommune, ...]:
    found: dict[str, ProgrammeCommune] = {}
    for token in tokens:
        found.setdefault(token.commune.insee, ProgrammeCommune(token.commune.name, token.commune.insee))
    return tuple(found.values())
