"""Figures -> the integer targets of one generation batch, as arrays over "cells".

A cell is one commune of one structure. A calibrated export is one batch of one structure (its
breakdowns are structure-level targets); a national export is many batches of many structures
without breakdowns. Missing commune indicators are completed with plausible ratios, and figures
that contradict each other (a "dont" column above its main column) are clamped: both are written
down in `notes`, as the generator cannot reproduce them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from sample_inputs.imilo.codes import AMOUNT_INDICATORS, COUNT_INDICATORS
from sample_inputs.imilo.export_figures import ExportFigures, Key, commune_info

# Per youth in contact, when a report does not give the figure (also the national averages).
RATIOS = {
    "new_registrations": 0.22, "youths_interviewed": 0.53, "contacts": 13.7,
    "pmsmp_periods": 0.068, "training_entries": 0.15, "employment_contracts": 0.62,
    "civic_service_youths": 0.031, "cej_youths": 0.33,
    "pacea_allowance_beneficiaries": 0.06, "cej_allowance_beneficiaries": 0.30,
    "fajem_aid_beneficiaries": 0.028, "mobility_aid_beneficiaries": 0.03,
    "ml_fund_direct_aid_beneficiaries": 0.03, "ml_fund_indirect_aid_beneficiaries": 0.005,
}
# "dont" columns: (indicator, of, share when missing)
PARTS = (("new_registrations_qpv", "new_registrations", 0.0),
         ("contacts_interviews", "contacts", 0.40),
         ("alternance_contracts", "employment_contracts", 0.07),
         ("pec_contracts", "employment_contracts", 0.007),
         ("civic_service_starts", "civic_service_youths", 0.43),
         ("cej_entrants", "cej_youths", 0.63))
# Euros per beneficiary when an amount is missing.
EUR_PER_HEAD = {"pacea_allowance": 620, "cej_allowance": 2200, "fajem_aid": 350,
                "mobility_aid": 30, "ml_fund_direct_aid": 100, "ml_fund_indirect_aid": 430}


@dataclass
class Batch:
    """The targets of one generation batch."""

    year: int
    structures: list[str]
    cell_structure: np.ndarray  # structure index of each cell
    cell_insee: list[str]
    cell_name: list[str]
    cell_postcode: list[str]
    cell_qpv_rate: np.ndarray  # share of QPV residents among youths not newly registered
    counts: dict[str, np.ndarray]  # COUNT_INDICATORS -> int64 per cell
    cents: dict[str, np.ndarray]  # AMOUNT_INDICATORS -> int64 cents per cell
    breakdowns: dict[str, dict[Key, float]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the export cannot reproduce, and why

    @property
    def n_cells(self) -> int:
        return len(self.cell_insee)


def batch_from_figures(figures: ExportFigures, year: int) -> Batch:
    """One structure's batch: the commune tables as cell arrays, breakdowns as given."""
    insee = list(figures.communes) or sorted({c for v in figures.tables.values() for c in v})
    infos = [commune_info(code) for code in insee]
    notes: list[str] = []
    counts = {name: np.array([round(figures.tables[name].get(code, 0)) for code in insee],
                             dtype=np.int64)
              for name in COUNT_INDICATORS if name in figures.tables}
    cents = {name: np.array([round(figures.tables[name].get(code, 0) * 100) for code in insee],
                            dtype=np.int64)
             for name in AMOUNT_INDICATORS if name in figures.tables}
    qpv_nr = counts.get("new_registrations_qpv", np.zeros(len(insee), dtype=np.int64))
    qpv_rate = np.array([0.15 if info.has_qpv or q > 0 else 0.0 for info, q in zip(infos, qpv_nr)])
    batch = Batch(year=year, structures=[figures.structure_code],
                  cell_structure=np.zeros(len(insee), dtype=np.int64), cell_insee=insee,
                  cell_name=[i.name for i in infos], cell_postcode=[i.postcode for i in infos],
                  cell_qpv_rate=qpv_rate, counts=counts, cents=cents,
                  breakdowns={k: dict(v) for k, v in figures.breakdowns.items()}, notes=notes)
    complete(batch)
    return batch


def complete(batch: Batch) -> None:
    """Fill the missing commune indicators from ratios, and clamp contradictory "dont" columns."""
    counts, n = batch.counts, batch.n_cells
    missing = [name for name in COUNT_INDICATORS if name not in counts]
    if "youths_in_contact" not in counts:
        base = counts.get("new_registrations")
        counts["youths_in_contact"] = (np.round(base / RATIOS["new_registrations"]).astype(np.int64)
                                       if base is not None else np.full(n, 100, dtype=np.int64))
    contact = counts["youths_in_contact"]
    for name, ratio in RATIOS.items():
        if name not in counts:
            counts[name] = np.round(contact * ratio).astype(np.int64)
    for name, of, share in PARTS:
        if name not in counts:
            counts[name] = np.round(counts[of] * share).astype(np.int64)
    for prefix, eur in EUR_PER_HEAD.items():
        if f"{prefix}_amount" not in batch.cents:
            batch.cents[f"{prefix}_amount"] = counts[f"{prefix}_beneficiaries"] * eur * 100
    if missing and batch.breakdowns:  # a national batch has no breakdowns and says nothing
        batch.notes.append(f"not in the figures, invented from ratios: {', '.join(missing)}")
    # a "dont" column cannot exceed its main column
    for name, of in (("new_registrations_qpv", "new_registrations"),
                     ("youths_interviewed", "youths_in_contact"),
                     ("contacts_interviews", "contacts"),
                     ("civic_service_starts", "civic_service_youths"),
                     ("cej_entrants", "cej_youths")):
        over = counts[name] > counts[of]
        if over.any():
            batch.notes.append(f"{name} above {of} in {_cells(batch, over)}: clamped")
            counts[name] = np.minimum(counts[name], counts[of])
    parts = counts["pec_contracts"] + counts["alternance_contracts"]
    over = parts > counts["employment_contracts"]
    if over.any():
        batch.notes.append(f"pec_contracts + alternance_contracts above employment_contracts in "
                           f"{_cells(batch, over)}: clamped")
        jobs = counts["employment_contracts"]
        counts["pec_contracts"] = np.minimum(counts["pec_contracts"], jobs)
        counts["alternance_contracts"] = np.minimum(counts["alternance_contracts"],
                                                    jobs - counts["pec_contracts"])


def _cells(batch: Batch, mask: np.ndarray) -> str:
    return ", ".join(batch.cell_insee[i] for i in np.flatnonzero(mask)[:5])
