"""Allowance payments (allocations.csv rows): each aid's beneficiaries per commune and the
amounts paid to them, in cents that add up to the report's figures."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import group_split, uniform_days
from sample_inputs.imilo.allotment import Table, concat_tables
from sample_inputs.imilo.codes import AID_INDICATORS
from sample_inputs.imilo.days import NONE, Calendar
from sample_inputs.imilo.population import Population


def _cells(batch, mask) -> str:
    return ", ".join(batch.cell_insee[i] for i in np.flatnonzero(mask)[:5])


PAYMENTS = {"pacea_allowance": 2.0, "cej_allowance": 5.0, "fajem_aid": 0.4, "mobility_aid": 0.3,
            "ml_fund_direct_aid": 0.3, "ml_fund_indirect_aid": 0.1}


def make_allocations(pop: Population, dates: dict, periods: dict, cal: Calendar,
                     rng: np.random.Generator) -> Table:
    batch, notes, n_cells = pop.batch, pop.batch.notes, pop.batch.n_cells
    cell, premier = pop.cols["cell"], dates["premier"]
    y0, y1 = cal.start, cal.end
    parts = []
    for aid, (prefix, _) in enumerate(AID_INDICATORS.items()):
        youths = np.flatnonzero(pop.mask(f"AID_{prefix}"))
        cents = batch.cents[f"{prefix}_amount"]
        has = np.bincount(cell[youths], minlength=n_cells)
        orphan = (cents > 0) & (has == 0)
        if orphan.any():
            notes.append(f"{prefix}_amount: amounts without beneficiaries in "
                         f"{_cells(batch, orphan)}")
        times = 1 + rng.poisson(PAYMENTS[prefix], len(youths))
        per_cell = np.bincount(cell[youths], times, minlength=n_cells).astype(np.int64)
        # whole euros when the amount is whole and covers a euro per payment
        unit = np.where((cents % 100 == 0) & (cents // 100 >= per_cell), 100, 1)
        units = cents // unit
        times = np.where((per_cell > units)[cell[youths]], 1, times)  # one payment each then
        youth = np.repeat(youths, times)
        group = cell[youth]
        n_pay = np.bincount(group, minlength=n_cells).astype(np.int64)
        base = (n_pay <= units).astype(np.int64)  # a unit for every payment, if enough units
        if (base == 0).any():
            notes.append(f"{prefix}_amount: less than one cent per beneficiary in "
                         f"{_cells(batch, base == 0)}")
        share = group_split(units - base * n_pay, group, rng.gamma(2.0, 1.0, len(youth)), n_cells)
        amount = (share + base[group]) * unit[group]
        if prefix == "cej_allowance":
            low = np.maximum.reduce([np.full(len(youth), y0), premier[youth],
                                     np.where(periods["cej_start"][youth] == NONE, y0,
                                              periods["cej_start"][youth])])
            high = np.where(periods["cej_end"][youth] == NONE, y1,
                            np.minimum(periods["cej_end"][youth], y1))
        elif prefix == "pacea_allowance":
            low = np.maximum.reduce([np.full(len(youth), y0), premier[youth],
                                     periods["pacea_start"][youth]])
            high = np.full(len(youth), y1)
        else:
            low, high = np.maximum(premier[youth], y0), np.full(len(youth), y1)
        parts.append({"youth": youth, "aid": np.full(len(youth), aid, dtype=np.int64),
                      "day": uniform_days(low, high, rng), "cents": amount.astype(np.int64)})
    return concat_tables(parts)
