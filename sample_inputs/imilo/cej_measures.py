"""The situations that CEJ youths' measures are (employment, alternance, training, work
placement), within their CEJ period and, for volunteers, outside their civic service."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import uniform_days
from sample_inputs.imilo.allotment import Table, concat_tables, one_dimension_breakdown
from sample_inputs.imilo.codes import (
    ALTERNANCE,
    EMPLOI,
    FORMATION,
    IMMERSION,
    NO_CONTRACT,
    PMSMP,
    VOLONTARIAT,
)
from sample_inputs.imilo.days import Calendar
from sample_inputs.imilo.population import Population


MEASURES = (("employment", (EMPLOI,)), ("alternance", (ALTERNANCE,)), ("training", (FORMATION,)),
            ("work_placement", (PMSMP, IMMERSION)))


def cej_measures(pop: Population, cols: dict[str, np.ndarray], dates: dict, periods: dict,
                  cal: Calendar, rng: np.random.Generator) -> Table:
    """Flag `dispositif = CEJ` on the year's situations of CEJ youths (`cols`, changed in place),
    as many per type as cej_measures says, moved into the youth's CEJ period; return the
    civic-service and other volunteering measures, new situations."""
    batch, notes = pop.batch, pop.batch.notes
    measures = one_dimension_breakdown(batch, "cej_measures")
    youth, category = cols["youth"], cols["category"]
    cejy = pop.mask("CEJY")
    y0, y1 = cal.start, cal.end
    if not measures:  # unconstrained: a share of the CEJ youths' situations
        flag = cejy[youth] & (rng.random(len(youth)) < 0.6)
    else:
        flag = np.zeros(len(youth), dtype=bool)
        for code, categories in MEASURES:
            wanted = int(round(measures.get(code, 0)))
            candidates = np.flatnonzero(cejy[youth] & np.isin(category, categories))
            if len(candidates) < wanted and not any(
                    note.startswith(f"cej_measures: {code}") for note in notes):
                notes.append(f"cej_measures: {code} {wanted} but the CEJ youths have only "
                             f"{len(candidates)} such situations in the year")
            flag[rng.permutation(candidates)[:wanted]] = True
    low = np.maximum.reduce([np.full(len(youth), y0), periods["cej_start"][youth],
                             dates["premier"][youth]])
    high = np.minimum(y1, periods["cej_end"][youth])
    cols["start"] = np.where(flag, uniform_days(low, high, rng), cols["start"])
    cols["programme"] = np.where(flag, 1, cols["programme"])  # SITUATION_PROGRAMMES[1] = CEJ

    civic = pop.mask("CIVY")
    parts = []
    for code, pool in (("civic_service", cejy & civic), ("other", cejy & ~civic)):
        wanted = int(round(measures.get(code, 0))) if measures else int(round(0.02 * cejy.sum()))
        youths = np.flatnonzero(pool)
        if wanted and not len(youths):
            notes.append(f"cej_measures: {code} {wanted} but no CEJ youth can carry it")
            wanted = 0
        picked = youths[rng.integers(0, len(youths), wanted)] if wanted else youths[:0]
        cej_low = np.maximum.reduce([np.full(len(picked), y0), periods["cej_start"][picked],
                                     dates["premier"][picked]])
        cej_high = np.minimum(y1, periods["cej_end"][picked])
        if code == "civic_service":  # inside the civic-service mission (the rule), CEJ if possible
            civ_low = np.maximum.reduce([periods["civ_start"][picked], np.full(len(picked), y0),
                                         dates["premier"][picked]])
            civ_high = np.minimum(periods["civ_end"][picked], y1)
            both_low, both_high = np.maximum(civ_low, cej_low), np.minimum(civ_high, cej_high)
            overlap = both_low <= both_high
            low, high = np.where(overlap, both_low, civ_low), np.where(overlap, both_high, civ_high)
        else:
            low, high = cej_low, cej_high
        k = len(picked)
        parts.append({"youth": picked, "category": np.full(k, VOLONTARIAT, dtype=np.int64),
                      "contract": np.full(k, NO_CONTRACT, dtype=np.int64),
                      "start": uniform_days(low, high, rng),
                      "state": np.full(k, -1, dtype=np.int64),
                      "programme": np.ones(k, dtype=np.int64)})
    return concat_tables(parts)
