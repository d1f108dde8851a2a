"""The year-keyed mapping of the MELT report (extractors/mappings/melt_activity_report.yaml).

Wordings, headings and programme anchors drift between editions: they live in the mapping
file, keyed by edition, and this module only reads them. An unlisted edition uses the latest
listed edition before it, else the earliest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from extractors.curation import curated_cache
from extractors.wording_rules import MAPPINGS_DIR, mapping_file

MAPPING_FILE = MAPPINGS_DIR / "melt_activity_report.yaml"


@dataclass(frozen=True)
class FigureWording:
    wording: str  # as written in the mapping: "{incoming_calls} appels entrants"
    section: str | None  # the section it is accepted in; None: anywhere
    programme: str | None  # id of a ProgrammeSpec: the figures are about that programme


@dataclass(frozen=True)
class TargetSpec:
    after: str
    until: str | None


@dataclass(frozen=True)
class ProgrammeSpec:
    id: str
    name: str
    aliases: tuple[str, ...]
    category: str | None
    named_by: str
    since: str | None
    target: TargetSpec | None
    description: str | None


@dataclass(frozen=True)
class Edition:
    year: int
    sections: dict[str, tuple[str, ...]]  # section name -> heading wordings
    figures: tuple[FigureWording, ...]
    programmes: tuple[ProgrammeSpec, ...]
    count_indicator: str | None  # territory: the figure that announces the communes
    commune_indicator: str | None

    def programme(self, programme_id: str) -> ProgrammeSpec:
        return next(spec for spec in self.programmes if spec.id == programme_id)


@curated_cache
def categories(path: Path = MAPPING_FILE) -> dict[str, str]:
    return dict(_raw(path).get("categories") or {})


def edition_for(year: int, path: Path = MAPPING_FILE) -> Edition:
    """The mapping of an edition: its own, else the latest listed before it, else the first."""
    editions = _editions(path)
    listed = sorted(editions)
    earlier = [edition for edition in listed if edition <= year]
    return editions[earlier[-1] if earlier else listed[0]]


@curated_cache
def _editions(path: Path) -> dict[int, Edition]:
    editions = {int(year): _edition(int(year), entry)
                for year, entry in _raw(path)["editions"].items()}
    known = categories(path)
    for edition in editions.values():
        for spec in edition.programmes:
            if spec.category is not None and spec.category not in known:
                raise ValueError(f"{path.name} {edition.year}: programme {spec.id!r} has an "
                                 f"undeclared category {spec.category!r}")
    return editions


@curated_cache
def _raw(path: Path) -> dict:
    return mapping_file(path)


def _edition(year: int, entry: dict) -> Edition:
    territory = entry.get("territory") or {}
    edition = Edition(
        year=year,
        sections={name: tuple(wordings)
                  for name, wordings in (entry.get("sections") or {}).items()},
        figures=tuple(FigureWording(item["wording"], item.get("section"), item.get("programme"))
                      for item in entry.get("figures") or []),
        programmes=tuple(_programme(item) for item in entry.get("programmes") or []),
        count_indicator=territory.get("count_indicator"),
        commune_indicator=territory.get("commune_indicator"),
    )
    _check(edition)
    return edition


def _programme(item: dict) -> ProgrammeSpec:
    target = item.get("target")
    return ProgrammeSpec(
        id=item["id"], name=item["name"], aliases=tuple(item.get("aliases") or ()),
        category=item.get("category"), named_by=item.get("named_by") or item["name"],
        since=item.get("since"),
        target=TargetSpec(target["after"], target.get("until")) if target else None,
        description=item.get("description"),
    )


def _check(edition: Edition) -> None:
    """A wording naming an unknown section or programme is a mistake of the mapping file."""
    programme_ids = {spec.id for spec in edition.programmes}
    for figure in edition.figures:
        if figure.section is not None and figure.section not in edition.sections:
            raise ValueError(f"{MAPPING_FILE.name} {edition.year}: unknown section "
                             f"{figure.section!r} in {figure.wording!r}")
        if figure.programme is not None and figure.programme not in programme_ids:
            raise ValueError(f"{MAPPING_FILE.name} {edition.year}: unknown programme "
                             f"{figure.programme!r} in {figure.wording!r}")
