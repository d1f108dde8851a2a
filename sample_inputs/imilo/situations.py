"""Situations (situations.csv rows): jobs by contract type, alternance, training, immersions
and CEJ measures. Rows that must not be counted (situations started before the year or still
planned) are added on purpose, so that the recomputation rules' boundaries matter."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import (
    bounded_split,
    conform,
    largest_remainder,
    rank_within,
    shuffle_within_groups,
    shuffled_codes,
    uniform_days,
)
from sample_inputs.imilo.allotment import (
    Table,
    by_flag,
    concat_tables,
    distribute,
    flagged_split,
    one_dimension_breakdown,
)
from sample_inputs.imilo.cej_measures import cej_measures
from sample_inputs.imilo.codes import (
    ALTERNANCE,
    APPRENTISSAGE,
    CDD,
    CDI,
    CREATION,
    DEMANDEUR,
    EMPLOI,
    EN_COURS,
    FORMATION,
    IMMERSION,
    INTERIM,
    NO_CONTRACT,
    PEC,
    PMSMP,
    PREVU,
    PROFESSIONNALISATION,
    SCOLARITE,
    TERMINE,
    VOLONTARIAT,
)
from sample_inputs.imilo.days import NONE, Calendar, day
from sample_inputs.imilo.population import Population


# (low, high) duration in days by category, and by contract type for Emploi
DURATION = {EMPLOI: (7, 180), ALTERNANCE: (180, 730), FORMATION: (14, 300), IMMERSION: (3, 30),
            PMSMP: (3, 30), VOLONTARIAT: (30, 240), SCOLARITE: (280, 300), DEMANDEUR: (30, 400)}
CONTRACT_DURATION = {CDD: (7, 180), CDI: (60, 1500), INTERIM: (1, 45), PEC: (270, 365),
                     CREATION: (300, 2000)}
DEFAULT_TYPES = np.array([0.52, 0.38, 0.09, 0.01])  # CDD, INTERIM, CDI, CREATION
OTHER_TYPES = ("fixed_term", "temporary_seasonal", "permanent", "self_employed")
OTHER_CONTRACTS = np.array([CDD, INTERIM, CDI, CREATION])


def make_situations(pop: Population, dates: dict, periods: dict, cal: Calendar,
                    rng: np.random.Generator) -> Table:
    batch, notes, n_cells = pop.batch, pop.batch.notes, pop.batch.n_cells
    counts, cell, premier = batch.counts, pop.cols["cell"], dates["premier"]
    y0, y1 = cal.start, cal.end
    cejy = pop.mask("CEJY")
    parts: list[dict[str, np.ndarray]] = []

    def in_year(youth):
        return uniform_days(np.maximum(premier[youth], y0), np.full(len(youth), y1), rng)

    def part(youth, category, contract, start, state=None, programme=None):
        k = len(youth)
        parts.append({"youth": youth, "category": np.broadcast_to(category, k).astype(np.int64),
                      "contract": np.broadcast_to(contract, k).astype(np.int64), "start": start,
                      "state": np.full(k, -1 if state is None else state, dtype=np.int64),
                      "programme": np.broadcast_to(0 if programme is None else programme, k)
                      .astype(np.int64)})

    # job contracts: every youth with a job has one, per commune; types per commune and overall;
    # as many held by CEJ youths as cej_measures counts jobs and alternance contracts
    measures = one_dimension_breakdown(batch, "cej_measures")
    flag = cejy.astype(np.int64)
    emp_mask = pop.mask("EMP")
    emp = np.flatnonzero(emp_mask)
    total = counts["employment_contracts"]
    held = by_flag(emp_mask, flag, cell, n_cells)
    wanted_alt = round(measures["alternance"]) if "alternance" in measures else None
    wanted_emp = round(measures["employment"]) if "employment" in measures else None
    target = None if wanted_alt is None or wanted_emp is None else wanted_alt + wanted_emp
    share = np.where(held[0] + held[1] > 0, 3 * held[1] / np.maximum(3 * held[1] + held[0], 1), 0)
    alt_cell = counts["alternance_contracts"]
    alt_room = np.where(held[1] > 0, np.minimum(alt_cell, total - held[0]), 0)
    alt_first = (bounded_split(wanted_alt, np.zeros(n_cells, dtype=np.int64), alt_room)[0]
                 if wanted_alt is not None else None)
    for_cej = flagged_split(total, held, held, target, share, notes,
                            "cej_measures: jobs and alternance", at_least=True, floor=alt_first)
    youth, group, _ = distribute(emp, cell[emp] * 2 + flag[emp], np.ones(len(emp), dtype=bool),
                                 rng.gamma(2.0, 1.0, len(emp)),
                                 np.stack([total - for_cej, for_cej], axis=1).reshape(-1),
                                 2 * n_cells, rng, notes, "employment_contracts")
    order = np.argsort(group, kind="stable")
    youth, group = youth[order], group[order]
    youth = youth[shuffle_within_groups(group, rng)]
    # alternance: per commune, the CEJ youths' share first
    k = [np.bincount(group[group % 2 == f] // 2, minlength=n_cells) for f in (0, 1)]
    alt_low, alt_high = np.maximum(alt_cell - k[0], 0), np.minimum(alt_cell, k[1])
    if wanted_alt is None:
        alt_cej = np.clip(np.round(alt_cell * share).astype(np.int64), alt_low, alt_high)
    else:
        alt_cej, reached = bounded_split(wanted_alt, alt_low, alt_high)
        if reached != wanted_alt:
            notes.append(f"cej_measures: alternance {wanted_alt} but only {reached} alternance "
                         f"contracts can go to CEJ youths")
    alt_group = np.stack([alt_cell - alt_cej, alt_cej], axis=1).reshape(-1)
    is_alt = rank_within(group) < alt_group[group]
    # PEC among each commune's other contracts, at random
    rest = np.flatnonzero(~is_alt)
    rest = rest[np.lexsort((rng.random(len(rest)), group[rest] // 2))]
    is_pec = np.zeros(len(youth), dtype=bool)
    is_pec[rest] = rank_within(group[rest] // 2) < counts["pec_contracts"][group[rest] // 2]
    is_other = ~is_alt & ~is_pec
    by_type = one_dimension_breakdown(batch, "employment_contracts_by_type")
    n_other = int(is_other.sum())
    if by_type:
        wanted = np.array([round(by_type.get(code, 0)) for code in OTHER_TYPES], dtype=np.int64)
        for code, produced in (("alternance", int(is_alt.sum())),
                               ("subsidised", int(is_pec.sum()))):
            if round(by_type.get(code, 0)) != produced:
                notes.append(f"employment_contracts_by_type: {code} {round(by_type.get(code, 0))}"
                             f" but the commune tables give {produced} "
                             f"({'PEC' if code == 'subsidised' else 'alternance'} contracts)")
        if int(wanted.sum()) != n_other:
            notes.append(f"employment_contracts_by_type: CDD, interim, CDI and creation add up to "
                         f"{int(wanted.sum())}, the other contracts to {n_other}: the difference "
                         f"goes to CDD")
            wanted[0] += n_other - int(wanted.sum())
            if wanted[0] < 0:
                wanted = conform(np.maximum(wanted, 0), n_other)
    else:
        wanted = largest_remainder(n_other, DEFAULT_TYPES)
    contract = np.empty(len(youth), dtype=np.int64)
    contract[is_other] = OTHER_CONTRACTS[shuffled_codes(wanted, rng)]
    contract[is_pec] = PEC
    contract[is_alt] = np.where(rng.random(int(is_alt.sum())) < 0.89, APPRENTISSAGE,
                                PROFESSIONNALISATION)
    part(youth, np.where(is_alt, ALTERNANCE, EMPLOI), contract, in_year(youth))

    # training: every entrant has one; the other training actions shared among entrants
    trn = np.flatnonzero(pop.mask("TRN"))
    entries = counts["training_entries"]
    actions = one_dimension_breakdown(batch, "training_actions")
    extra = int(round(sum(actions.values()))) - int(entries.sum()) if actions else \
        int(round(0.45 * entries.sum()))
    if extra < 0:
        notes.append("training_actions: fewer actions than training entrants")
        extra = 0
    trn_mask = pop.mask("TRN")
    totals = entries + largest_remainder(extra, entries)
    needed = by_flag(trn_mask, flag, cell, n_cells)
    share = np.where(needed[0] + needed[1] > 0,
                     3 * needed[1] / np.maximum(3 * needed[1] + needed[0], 1), 0)
    wanted = round(measures["training"]) if "training" in measures else None
    for_cej = flagged_split(totals, needed, needed, wanted, share, notes, "cej_measures: training",
                            at_least=True)
    youth, _, _ = distribute(trn, cell[trn] * 2 + flag[trn], np.ones(len(trn), dtype=bool),
                             rng.gamma(2.0, 1.0, len(trn)),
                             np.stack([totals - for_cej, for_cej], axis=1).reshape(-1),
                             2 * n_cells, rng, notes, "training_entries")
    part(youth, FORMATION, NO_CONTRACT, in_year(youth))

    # work placements: among the youths in contact of the commune (others only if none)
    # (as many for CEJ youths as cej_measures counts work placements, when it does)
    contact, inter = pop.mask("CONTACT"), pop.mask("INT")
    everyone = np.arange(pop.n)
    weights = np.where(contact, 1.0 + 2.0 * inter + 3.0 * cejy, 1e-9)
    placements = counts["pmsmp_periods"]
    wanted = round(measures["work_placement"]) if "work_placement" in measures else None
    anyone = np.ones(pop.n, dtype=bool)
    able = by_flag(anyone, flag, cell, n_cells)
    nobody = np.zeros(n_cells, dtype=np.int64)
    share = np.where(able[0] + able[1] > 0, 3 * able[1] / np.maximum(3 * able[1] + able[0], 1), 0)
    for_cej = flagged_split(placements, (nobody, nobody), able, wanted, share, notes,
                            "cej_measures: work_placement", at_least=True)
    youth, _, _ = distribute(everyone, cell * 2 + flag, np.zeros(pop.n, dtype=bool), weights,
                             np.stack([placements - for_cej, for_cej], axis=1).reshape(-1),
                             2 * n_cells, rng, notes, "pmsmp_periods")
    part(youth, np.where(rng.random(len(youth)) < 0.8, PMSMP, IMMERSION), NO_CONTRACT,
         in_year(youth))

    counted = concat_tables(parts)
    measures = cej_measures(pop, counted.cols, dates, periods, cal, rng)
    noise = _noise_situations(pop, dates, periods, cal, rng)
    cols = {k: np.concatenate([counted.cols[k], measures.cols[k], noise.cols[k]])
            for k in counted.cols}
    _close(cols, cal, rng)
    return Table(cols)

def _noise_situations(pop: Population, dates: dict, periods: dict, cal: Calendar,
                      rng: np.random.Generator) -> Table:
    """Situations that count for nothing: job-seeker and schooling situations, situations started
    before the year, planned ones (PREVU) in the year and after the export, volunteering."""
    n, premier = pop.n, dates["premier"]
    y0, y1, prev0 = cal.start, cal.end, day(cal.year - 1)
    new = pop.mask("NR")
    parts = []

    def add(youth, category, contract, start, state):
        k = len(youth)
        parts.append({"youth": youth, "category": np.broadcast_to(category, k).astype(np.int64),
                      "contract": np.broadcast_to(contract, k).astype(np.int64),
                      "start": np.asarray(start, dtype=np.int64),
                      "state": np.full(k, state, dtype=np.int64),
                      "programme": np.where(periods["pacea_start"][youth] != NONE,
                                            np.where(rng.random(k) < 0.3, 2, 0), 0)})

    seekers = np.flatnonzero(rng.random(n) < 0.7)
    add(seekers, DEMANDEUR, NO_CONTRACT,
        uniform_days(np.maximum(premier[seekers], prev0), np.full(len(seekers), y1), rng), -1)
    pupils = np.flatnonzero((pop.cols["age"] == 0) & (rng.random(n) < 0.3))
    add(pupils, SCOLARITE, NO_CONTRACT,
        np.where(premier[pupils] < day(cal.year - 1, 9, 1), day(cal.year - 1, 9, 1),
                 day(cal.year, 9, 1)), -1)
    # before the year (never counted), for youths registered before it: about one each
    old = np.flatnonzero(~new)
    repeat = rng.poisson(0.75, len(old))
    before = np.repeat(old, repeat)
    kind = rng.choice(4, size=len(before), p=[0.55, 0.2, 0.1, 0.15])
    category = np.array([EMPLOI, FORMATION, PMSMP, ALTERNANCE])[kind]
    contract = np.where(category == EMPLOI, rng.choice(np.array([CDD, INTERIM, CDI]), len(before),
                                                       p=[0.55, 0.35, 0.1]),
                        np.where(category == ALTERNANCE, APPRENTISSAGE, NO_CONTRACT))
    add(before, category, contract,
        uniform_days(np.maximum(premier[before], prev0), np.full(len(before), y0 - 1), rng), -1)
    # planned (PREVU): in the year but never confirmed, or after the export
    planned = np.flatnonzero(rng.random(n) < 0.08)
    start = np.where(rng.random(len(planned)) < 0.5,
                     uniform_days(np.maximum(premier[planned], y0), np.full(len(planned), y1), rng),
                     uniform_days(np.full(len(planned), cal.export + 5),
                                  np.full(len(planned), cal.export + 75), rng))
    category = np.where(rng.random(len(planned)) < 0.6, EMPLOI, FORMATION)
    add(planned, category, np.where(category == EMPLOI, CDD, NO_CONTRACT), start, PREVU)
    # volunteering outside the CEJ
    volunteers = np.flatnonzero(pop.mask("CIVY") & ~pop.mask("CEJY") & (rng.random(n) < 0.5))
    add(volunteers, VOLONTARIAT, NO_CONTRACT,
        uniform_days(np.maximum(periods["civ_start"][volunteers], prev0),
                     np.full(len(volunteers), y1), rng), -1)
    table = concat_tables(parts)
    table.cols["programme"] = np.where(table.cols["category"] == VOLONTARIAT, 0,
                                       table.cols["programme"])
    return table


def _close(cols: dict[str, np.ndarray], cal: Calendar, rng: np.random.Generator) -> None:
    """etat and dateFin: a situation started by the export date has ended (TERMINE, dateFin) or
    is running (EN_COURS, no dateFin); PREVU ones keep no end."""
    category, contract, start = cols["category"], cols["contract"], cols["start"]
    low = np.zeros(len(start), dtype=np.int64)
    high = np.zeros(len(start), dtype=np.int64)
    for cat, (lo, hi) in DURATION.items():
        mask = category == cat
        low[mask], high[mask] = lo, hi
    for con, (lo, hi) in CONTRACT_DURATION.items():
        mask = (category == EMPLOI) & (contract == con)
        low[mask], high[mask] = lo, hi
    end = start + low + np.floor(rng.random(len(start)) * (high - low + 1)).astype(np.int64)
    planned = cols["state"] == PREVU
    done = ~planned & (end < cal.export)
    cols["state"] = np.where(planned, PREVU, np.where(done, TERMINE, EN_COURS))
    cols["end"] = np.where(done, end, NONE)
