"""Programmes and actions that documents describe: the source of the programme dimension.

A guide, an annual report or a web page names programmes (national schemes such as the CEJ or
PACEA, or local actions such as a "Forum Emploi"). Each mention becomes a `Programme` record as
the document states it, with its provenance; dbt conforms them into dim_programme (one
programme named in several documents is one programme, through names and aliases).
Figures about a programme (participants of a year...) are `Fact`s whose dimensions carry
{"programme": <programme_key>}; figures whose meaning is unclear stay `Claim`s.

Personal data never enters a record: contact persons' names, e-mail addresses and phone
numbers are dropped by the extractors (keep the organisation only).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from extractors.facts import Source
from extractors.record_json import record_to_json
from extractors.stable_id import stable_id


def programme_key(name: str) -> str:
    """A stable slug of a programme's name, unique within a document: 'forum_emploi'."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:80]


@dataclass(frozen=True)
class ProgrammeCommune:
    """A commune where the programme runs (official name and INSEE code)."""

    name: str
    insee: str


@dataclass(frozen=True)
class Programme:
    """One programme or action as a document describes it."""

    key: str  # programme_key(name), unique within the document
    name: str  # as printed (title case kept)
    category: str | None  # the document's thematic axis, as a code of the document kind's mapping
    carriers: tuple[str, ...]  # organisations carrying it ("Porteur(s) de l'action"), as printed
    target_public: str | None  # as printed ("Pour les jeunes de 16 à 25 ans ...")
    age_min: int | None  # parsed from the target public; None when it states no age
    age_max: int | None
    communes: tuple[ProgrammeCommune, ...]  # where it runs
    first_year: int | None  # first and last year the document dates it to
    last_year: int | None
    resources: str | None  # "Les ressources" as printed
    description: str | None  # short description as printed
    structure: str | None  # I-MILO code of the Mission Locale that publishes or carries it
    year: int | None  # edition year of the document that describes it
    source: Source  # the line of its title
    aliases: tuple[str, ...] = field(default_factory=tuple)  # other names in the document
    national_scheme: str | None = None  # code of a conformed national scheme (cej, pacea...)

    @property
    def programme_id(self) -> str:
        return stable_id(self.source.sha256, self.key)

    def to_json(self) -> dict[str, Any]:
        return record_to_json(self, programme_id=self.programme_id)
