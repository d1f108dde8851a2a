"""The figures of a synthetic ML MNO activity report: invented, deterministic, plausible.

They are the expected answer of the sample reports: whatever the text or PDF rendering, the
extractors must read back exactly these numbers. Breakdown tables (profiles, cross-tabs, label
tables) are invented by breakdowns.py, consistently with the commune tables' totals. Magnitudes follow the communes' populations
so that the big communes print thousands ("11 234") and the small ones print "/" (zero).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass

from extractors.catalogue import load_catalogue
from extractors.headings import YEAR_PLACEHOLDER
from extractors.wording_rules import commune_table_mappings
from extractors.reference import SEEDS_DIR, normalise_label
from sample_inputs.breakdown_figures import generate_breakdowns
from sample_inputs.breakdowns import BreakdownTable, Key

STRUCTURE_CODE = "59386S00"
STRUCTURE_NAME = "Mission Locale Métropole Nord-Ouest"
STRUCTURE_SHORT = "ML MNO"
DEFAULT_SEED = 1

# Structure-wide level of each main indicator for a year, before per-year drift.
_LEVELS = {
    "new_registrations": 680,
    "youths_in_contact": 3100,
    "contacts": 42000,
    "pmsmp_periods": 210,
    "training_entries": 470,
    "employment_contracts": 1900,
    "pec_contracts": 14,
    "alternance_contracts": 130,
    "civic_service_youths": 96,
    "cej_youths": 1000,
}
# "Dont" indicators: the share (low, high) of their table's main column they represent.
_SHARES = {
    "new_registrations_qpv": (0.10, 0.25),
    "youths_interviewed": (0.40, 0.75),
    "contacts_interviews": (0.30, 0.50),
    "civic_service_starts": (0.25, 0.70),
    "cej_entrants": (0.50, 0.75),
}
# Amount per beneficiary (euros) of financial-aid tables.
_EUR_PER_HEAD = (80, 2400)
# Only communes with a priority neighbourhood (QPV) have QPV residents.
_QPV_COMMUNES = {"59328", "59378"}


@dataclass(frozen=True)
class CommuneTableSpec:
    """One commune table of the report: its indicators (print order) and column headers."""

    indicators: tuple[str, ...]
    headers: tuple[str, ...]  # as printed for the edition, year filled in
    section: str = ""  # heading words the table must be printed under ("" for none)
    units: tuple[str, ...] = ()  # catalogue unit of each column (count, eur)


@dataclass(frozen=True)
class ReportFigures:
    """Everything a sample report prints as figures; the expected answer for tests."""

    year: int
    seed: int
    structure_code: str
    structure_name: str
    structure_short: str
    communes: tuple[str, ...]  # official names, in print order
    commune_insee: dict[str, str]  # name -> INSEE code
    table_specs: tuple[CommuneTableSpec, ...]
    tables: dict[str, dict[str, int]]  # indicator -> {commune name: value}
    totals: dict[str, int]  # indicator -> "Total général" (the sum of its rows)
    # profiles, cross-tabs, label tables and share lists, in mapping order (breakdowns.py)
    breakdown_tables: tuple[BreakdownTable, ...] = ()

    @property
    def breakdowns(self) -> dict[str, dict[Key, int]]:
        """indicator -> {sorted ((dimension, code), ...): value} of every printed cell."""
        out: dict[str, dict[Key, int]] = {}
        for table in self.breakdown_tables:
            out.setdefault(table.spec.indicator, {}).update(table.cells)
        return out

    @property
    def breakdown_totals(self) -> dict[str, dict[Key, int]]:
        """indicator -> {dimensions left after summing (() for the grand total): stated total}."""
        out: dict[str, dict[Key, int]] = {}
        for table in self.breakdown_tables:
            out.setdefault(table.spec.indicator, {}).update(table.totals)
        return out

    def breakdown_facts(self) -> list[tuple[str, Key, bool, int]]:
        """(indicator, dimensions, is_total, value) of every printed breakdown figure, sorted:
        a total printed by two tables (a profile by sex and one by qualification) is twice."""
        return sorted((table.spec.indicator, key, is_total, value)
                      for table in self.breakdown_tables
                      for is_total, figures in ((False, table.cells), (True, table.totals))
                      for key, value in figures.items())

    def row(self, spec: CommuneTableSpec, commune: str) -> tuple[int, ...]:
        return tuple(self.tables[code][commune] for code in spec.indicators)

    def total_row(self, spec: CommuneTableSpec) -> tuple[int, ...]:
        return tuple(self.totals[code] for code in spec.indicators)


def territory(structure: str = STRUCTURE_CODE) -> list[tuple[str, str, int]]:
    """(INSEE code, name, population) of the structure's communes, sorted as a report prints them."""
    with open(SEEDS_DIR / "ref_structure_territory.csv", encoding="utf-8", newline="") as handle:
        codes = {row["commune_insee"] for row in csv.DictReader(handle)
                 if row["structure_code"] == structure}
    with open(SEEDS_DIR / "ref_communes.csv", encoding="utf-8", newline="") as handle:
        communes = [(row["code_insee"], row["nom_commune"], int(row["pop_municipale_dgcl2025"]))
                    for row in csv.DictReader(handle) if row["code_insee"] in codes]
    return sorted(communes, key=lambda commune: normalise_label(commune[1]))


def table_specs(year: int) -> tuple[CommuneTableSpec, ...]:
    """The mapping file's commune tables, with the headers an edition of `year` prints.

    The edition's own labels if the mapping lists them, else the latest edition's: the sample
    then exercises exactly the wording the extractor is configured for.
    """
    specs = []
    for mapping in commune_table_mappings():
        listed = [edition for edition in mapping.header_labels if edition <= year]
        edition = max(listed) if listed else max(mapping.header_labels)
        headers = tuple(label.replace(YEAR_PLACEHOLDER, str(year))
                        for label in mapping.header_labels[edition])
        section = mapping.section.wordings(year)[0] if mapping.section else ""
        units = tuple(load_catalogue()[code].unit for code in mapping.indicators)
        specs.append(CommuneTableSpec(mapping.indicators, headers, section, units))
    return tuple(specs)


def generate_figures(year: int, seed: int = DEFAULT_SEED) -> ReportFigures:
    """Invent one edition's figures; the same (year, seed) always gives the same figures."""
    rng = random.Random(f"ml-mno-sample:{seed}:{year}")
    communes = territory()
    names = tuple(name for _, name, _ in communes)
    specs = table_specs(year)
    tables: dict[str, dict[str, int]] = {}
    for spec in specs:
        main = spec.indicators[0]
        level = _LEVELS.get(main, 200) * rng.uniform(0.88, 1.12)
        weights = [population * rng.uniform(0.7, 1.3) for _, _, population in communes]
        scale = level / sum(weights)
        tables[main] = {name: round(weight * scale) for (_, name, _), weight in zip(communes, weights)}
        for code, unit in zip(spec.indicators[1:], spec.units[1:]):
            if unit == "eur":  # an amount paid to the column-0 beneficiaries
                tables[code] = {name: tables[main][name] * rng.randint(*_EUR_PER_HEAD)
                                for _, name, _ in communes}
                continue
            low, high = _SHARES.get(code, (0.3, 0.7))
            tables[code] = {}
            for insee, name, _ in communes:
                share = rng.uniform(low, high)
                if code == "new_registrations_qpv" and insee not in _QPV_COMMUNES:
                    share = 0.0
                tables[code][name] = min(tables[main][name], round(tables[main][name] * share))
    totals = {code: sum(values.values()) for code, values in tables.items()}
    breakdown_tables = generate_breakdowns(year, seed, communes, totals)
    return ReportFigures(
        year=year, seed=seed, structure_code=STRUCTURE_CODE, structure_name=STRUCTURE_NAME,
        structure_short=STRUCTURE_SHORT, communes=names,
        commune_insee={name: insee for insee, name, _ in communes},
        table_specs=specs, tables=tables, totals=totals, breakdown_tables=breakdown_tables,
    )
