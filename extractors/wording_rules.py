"""Year-keyed wording rules: how each edition's wording maps to catalogue codes.

Every mapping file (extractors/mappings/*.yaml) is read through `mapping_file`, the single
read point where a reviewer's curation overlay can be applied on top of the shipped files.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from extractors.curation import curated, curated_cache
from extractors.headings import SectionRule, label_words
from extractors.reference import normalise_label

MAPPINGS_DIR = Path(__file__).with_name("mappings")
# The indicator of a printed column no catalogue indicator counts (`null` in a mapping entry,
# e.g. a reviewer's layout decision for an added column): its cells go to review, never to facts.
UNKNOWN_COLUMN = "?"


def mapping_file(name: str | Path) -> Any:
    """A mapping file's content: `name` in MAPPINGS_DIR (e.g. "dimension_labels.yaml"), or a
    path given by a caller that reads another copy."""
    path = name if isinstance(name, Path) else MAPPINGS_DIR / name
    content = yaml.safe_load(path.read_text(encoding="utf-8"))
    if path.parent == MAPPINGS_DIR:  # the shipped files, with the reviewers' decisions over them
        content = curated(path.stem, content)
    return content


@dataclass(frozen=True)
class CommuneTableMapping:
    indicators: tuple[str, ...]  # one per value column, in print order
    header_labels: dict[int, tuple[str, ...]]  # edition year -> column headers
    # the section headings the table is printed under, for tables whose headers alone do not
    # say what they count ("Nombre de jeunes | Montant"); None: any section
    section: SectionRule | None = None

    def header_words(self, year: int) -> list[tuple[str, ...]]:
        """Word bags to try for an edition: its own labels, else every known edition's."""
        editions = [year] if year in self.header_labels else sorted(self.header_labels, reverse=True)
        return [label_words(" ".join(self.header_labels[edition])) for edition in editions]


@curated_cache
def commune_table_mappings(report_kind: str = "ml_activity_report") -> tuple[CommuneTableMapping, ...]:
    data = mapping_file(f"{report_kind}.yaml")
    return tuple(
        CommuneTableMapping(
            indicators=tuple(UNKNOWN_COLUMN if code is None else code for code in entry["indicators"]),
            header_labels={int(year): tuple(labels) for year, labels in entry["header_labels"].items()},
            section=SectionRule.parse(entry.get("section")),
        )
        for entry in data["commune_tables"]
    )


class UnknownLabel(LookupError):
    """A printed label that the year-keyed mapping does not know: reported, never guessed."""


@curated_cache
def dimension_labels() -> dict[str, dict[int, dict[str, str]]]:
    """dimension -> edition year -> {normalised printed label: conformed code}."""
    data = mapping_file("dimension_labels.yaml")
    return {
        dimension: {int(year): {normalise_label(str(label)): str(code) for label, code in labels.items()}
                    for year, labels in editions.items()}
        for dimension, editions in data.items()
    }


def _editions(dimension: str, year: int) -> list[dict[str, str]]:
    """The edition's own labels if listed, else every listed edition's (latest first)."""
    editions = dimension_labels().get(dimension, {})
    order = [year] if year in editions else sorted(editions, reverse=True)
    return [editions[edition] for edition in order]


def dimension_code(dimension: str, label: str, year: int) -> str:
    """The conformed code of a printed label. Raises UnknownLabel."""
    wanted = normalise_label(label)
    for labels in _editions(dimension, year):
        if wanted in labels:
            return labels[wanted]
    raise UnknownLabel(f"{dimension}: label {label!r} is not in extractors/mappings/"
                       f"dimension_labels.yaml for {year}")


def closest_label(dimension: str, label: str, year: int) -> str | None:
    """The known printed label of a dimension closest to an unknown one (a reviewer's
    suggestion, never used as a reading), None when none is close."""
    known = [known for labels in _editions(dimension, year) for known in labels]
    found = difflib.get_close_matches(normalise_label(label), known, n=1, cutoff=0.6)
    if found:
        return found[0]
    spelt_out = [other for other in dict.fromkeys(known) if _acronym_of(normalise_label(label), other)]
    return spelt_out[0] if len(spelt_out) == 1 else None


# Words an acronym leaves out ("Contrat à Durée Déterminée": CDD).
_ACRONYM_SKIPS = frozenset("a au aux d de des du en et l la le les par pour sur".split())


def _acronym_of(one: str, other: str) -> bool:
    """Whether one label is the other's acronym ("cdd" and "contrat a duree determinee")."""
    def initials(text: str) -> str:
        return "".join(word[0] for word in re.findall(r"[a-z0-9]+", text) if word not in _ACRONYM_SKIPS)

    def acronym(text: str) -> str | None:
        letters = re.sub(r"[^a-z0-9]", "", text)
        return letters if " " not in text.strip() and 2 <= len(letters) <= 6 else None

    return any(acronym(short) is not None and acronym(short) == initials(long) and len(long.split()) > 1
               for short, long in ((one, other), (other, one)))
