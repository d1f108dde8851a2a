"""What an export is calibrated to: a report's figures as a plain mapping, and adapters.

`ExportFigures` holds, for one structure and one year:

- `tables`: {indicator: {commune INSEE code: value}}, the commune tables;
- `totals`: {indicator: stated "Total général"} (informative: the generator reproduces the
  commune rows, whose sum is the total whenever the report adds up);
- `breakdowns`: {indicator: {key: value}}, structure-level breakdown cells, a key being the sorted
  tuple of (dimension, code) pairs, communes as ("commune_insee", code), e.g.
  (("age_band", "18_21"), ("sex", "female"));
- `breakdown_totals`: {indicator: {key: value}}, their stated totals (key () for the grand total).

Adapters: `figures_from_report` (a synthetic `ReportFigures`), `figures_from_facts` (the facts
extracted from a real report) and `ExportFigures.from_mapping` (a plain dict).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from extractors.reference import SEEDS_DIR

Key = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    postcode: str
    has_qpv: bool


@dataclass(frozen=True)
class ExportFigures:
    structure_code: str
    year: int | None
    communes: tuple[str, ...]  # INSEE codes, in print order
    tables: dict[str, dict[str, float]]
    totals: dict[str, float] = field(default_factory=dict)
    breakdowns: dict[str, dict[Key, float]] = field(default_factory=dict)
    breakdown_totals: dict[str, dict[Key, float]] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> "ExportFigures":
        """From a plain mapping with keys `structure_code`, `tables` and optionally `year`,
        `communes`, `totals`, `breakdowns`, `breakdown_totals` (a breakdown key: (dimension,
        code) pairs in any order, a ("commune", name) pair being dropped)."""
        if isinstance(data, ExportFigures):
            return data
        tables = {indicator: {str(insee): float(value) for insee, value in values.items()}
                  for indicator, values in data["tables"].items()}
        communes = tuple(data.get("communes") or _communes_of(tables))
        return cls(
            structure_code=str(data["structure_code"]),
            year=data.get("year"),
            communes=communes,
            tables=tables,
            totals={k: float(v) for k, v in (data.get("totals") or {}).items()},
            breakdowns=_keyed(data.get("breakdowns") or {}),
            breakdown_totals=_keyed(data.get("breakdown_totals") or {}),
        )


def figures_from_report(report) -> ExportFigures:
    """A synthetic report's figures (sample_inputs.report_figures.ReportFigures)."""
    insee = report.commune_insee
    tables = {indicator: {insee[name]: float(value) for name, value in values.items()}
              for indicator, values in report.tables.items()}
    return ExportFigures(
        structure_code=report.structure_code,
        year=report.year,
        communes=tuple(insee[name] for name in report.communes),
        tables=tables,
        totals={k: float(v) for k, v in report.totals.items()},
        breakdowns=_keyed(report.breakdowns),
        breakdown_totals=_keyed(report.breakdown_totals),
    )


def figures_from_facts(facts: Iterable, structure: str | None = None,
                       year: int | None = None) -> ExportFigures:
    """The facts extracted from a report (extractors.facts.Fact): commune-grain facts become
    `tables` and `totals`, breakdown-grain facts `breakdowns` and `breakdown_totals`. Only the
    facts of `structure` and `year` when given (else those of the first fact)."""
    from extractors.catalogue import load_catalogue

    catalogue = load_catalogue()
    facts = list(facts)
    if facts:
        structure = structure or facts[0].structure
        year = year or facts[0].year
    tables: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    breakdowns: dict[str, dict[Key, float]] = {}
    breakdown_totals: dict[str, dict[Key, float]] = {}
    order: list[str] = []
    for fact in facts:
        if fact.structure != structure or fact.year != year or fact.indicator not in catalogue:
            continue
        grain = catalogue[fact.indicator].grain
        dims = {d: c for d, c in fact.dimensions.items() if d != "commune"}
        if grain == "commune":
            if fact.is_total and not dims:
                totals[fact.indicator] = float(fact.value)
            elif not fact.is_total and "commune_insee" in dims:
                tables.setdefault(fact.indicator, {})[dims["commune_insee"]] = float(fact.value)
                if dims["commune_insee"] not in order:
                    order.append(dims["commune_insee"])
        elif grain == "breakdown":
            target = breakdown_totals if fact.is_total else breakdowns
            target.setdefault(fact.indicator, {})[tuple(sorted(dims.items()))] = float(fact.value)
    return ExportFigures(structure_code=structure or "", year=year, communes=tuple(order),
                         tables=tables, totals=totals, breakdowns=breakdowns,
                         breakdown_totals=breakdown_totals)


def _keyed(breakdowns: Mapping) -> dict[str, dict[Key, float]]:
    out: dict[str, dict[Key, float]] = {}
    for indicator, cells in breakdowns.items():
        out[indicator] = {}
        for key, value in cells.items():
            pairs = key.items() if isinstance(key, Mapping) else key
            pairs = tuple(sorted((str(d), str(c)) for d, c in pairs if d != "commune"))
            out[indicator][pairs] = float(value)
    return out


def _communes_of(tables: Mapping[str, Mapping[str, float]]) -> list[str]:
    seen: list[str] = []
    for values in tables.values():
        for insee in values:
            if insee not in seen:
                seen.append(insee)
    return seen


# --- reference data -----------------------------------------------------------------------------


@cache
def _reference() -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    with open(SEEDS_DIR / "ref_communes.csv", encoding="utf-8", newline="") as handle:
        communes = {row["code_insee"]: (row["nom_commune"], row["codes_postaux"].split(";")[0])
                    for row in csv.DictReader(handle)}
    with open(SEEDS_DIR / "ref_qpv.csv", encoding="utf-8", newline="") as handle:
        qpv = frozenset(row["code_insee"] for row in csv.DictReader(handle))
    return communes, qpv


def commune_info(insee: str) -> Commune:
    """Name, first postcode and QPV presence of a commune (reference seeds); a commune the
    seeds do not know gets a placeholder name and its INSEE code as postcode."""
    communes, qpv = _reference()
    name, postcode = communes.get(insee, (f"Commune {insee}", insee))
    return Commune(insee, name, postcode, insee in qpv)
