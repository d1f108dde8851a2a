"""Reference data the extractors need (communes, structures), read from the dbt seeds.

The seeds under dbt_project/seeds/reference are the single copy of this data: the warehouse
loads them with `dbt seed`, the extractors read them here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

SEEDS_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"


@lru_cache(maxsize=1 << 16)
def normalise_label(text: str) -> str:
    """Lower case, no accents, one space, typographic quotes and dashes made plain.
    Memoised: every table reader normalises the same lines and labels again (the hot spot of
    the extraction when profiled on long documents)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("’", "'").replace("‘", "'")
    text = re.sub(r"[‐-―]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str


def _read_seed(name: str) -> list[dict[str, str]]:
    with open(SEEDS_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def communes_by_name() -> dict[str, Commune]:
    """Normalised official name (and common spellings) -> commune."""
    index: dict[str, Commune] = {}
    for row in _read_seed("ref_communes.csv"):
        commune = Commune(insee=row["code_insee"], name=row["nom_commune"])
        for spelling in {row["nom_commune"], row["nom_commune"].replace("-", " ")}:
            index[normalise_label(spelling)] = commune
    return index


@cache
def structure_aliases() -> dict[str, str]:
    """Normalised alias -> I-MILO structure code."""
    return {normalise_label(row["alias"]): row["structure_code"]
            for row in _read_seed("ref_structure_aliases.csv")}


@cache
def structure_territories() -> dict[str, frozenset[str]]:
    """Structure code -> INSEE codes of the communes it covers."""
    territories: dict[str, set[str]] = {}
    for row in _read_seed("ref_structure_territory.csv"):
        territories.setdefault(row["structure_code"], set()).add(row["commune_insee"])
    return {code: frozenset(communes) for code, communes in territories.items()}


@dataclass(frozen=True)
class NationalScheme:
    code: str
    name: str
    aliases: tuple[str, ...]


@cache
def national_schemes() -> dict[str, NationalScheme]:
    """The conformed national schemes (seed ref_programmes.csv), by code."""
    return {row["programme_code"]: NationalScheme(row["programme_code"], row["name"],
                                                  tuple(a for a in row["aliases"].split("|") if a))
            for row in _read_seed("ref_programmes.csv")}


def national_scheme_code(name: str) -> str | None:
    """The code of the national scheme a programme name designates (its name or an alias,
    compared normalised), else None. Names are matched whole, never by substring."""
    wanted = normalise_label(name)
    for scheme in national_schemes().values():
        if wanted in {normalise_label(label) for label in (scheme.name, *scheme.aliases)}:
            return scheme.code
    return None
