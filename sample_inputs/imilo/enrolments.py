"""Programme enrolments (accompagnements.csv rows): CEJ / Garantie Jeunes, civic service,
mentoring, PACEA and PPAE. Enrolments closed before the year are added on purpose, so that
the recomputation rules' boundaries matter."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import uniform_days
from sample_inputs.imilo.allotment import Table
from sample_inputs.imilo.codes import (
    CEJ,
    CEJ_START,
    GARANTIE_JEUNES,
    PACEA,
    PARRAINAGE,
    PPAE,
    SERVICE_CIVIQUE,
)
from sample_inputs.imilo.days import EPOCH, NONE, Calendar, day
from sample_inputs.imilo.population import Population


def make_enrolments(pop: Population, dates: dict, cal: Calendar, rng: np.random.Generator
                    ) -> tuple[Table, dict[str, np.ndarray]]:
    """Programme enrolments; also returns each youth's CEJ, civic-service and PACEA periods
    ({"cej_start", "cej_end", ...}, NONE where none; an open end is the year's last day + one
    year)."""
    n, premier = pop.n, dates["premier"]
    y0, y1, export = cal.start, cal.end, cal.export
    prev0 = day(cal.year - 1)
    rows: list[tuple[np.ndarray, ...]] = []
    periods = {name: np.full(n, NONE, dtype=np.int64) for name in
               ("cej_start", "cej_end", "civ_start", "civ_end", "pacea_start")}
    cej_switch = int((np.datetime64(CEJ_START) - EPOCH).astype(np.int64))

    def add(youths, programme, start, planned, end):
        rows.append((youths, programme, start, planned, end))

    def closing(start, planned, share_closed):
        """Real end: the planned end when passed by the export date, some earlier exits."""
        end = np.where(planned < export, planned, NONE)
        early = rng.random(len(start)) < share_closed
        exit_day = uniform_days(np.maximum(start + 30, y0), np.minimum(planned, export - 1), rng)
        return np.where(early & (exit_day < planned) & (exit_day < export), exit_day, end)

    # CEJ / Garantie Jeunes: entrants start in the year; the others started the year before
    entrants = np.flatnonzero(pop.mask("CEJE"))
    followed = np.flatnonzero(pop.mask("CEJY") & ~pop.mask("CEJE"))
    start_e = uniform_days(np.maximum(premier[entrants], y0), np.full(len(entrants), y1), rng)
    start_f = uniform_days(np.maximum(premier[followed], prev0), np.full(len(followed), y0 - 1),
                           rng)
    for youths, start in ((entrants, start_e), (followed, start_f)):
        planned = start + 366
        end = closing(start, planned, 0.3)
        end = np.where(end != NONE, np.maximum(end, y0), end)  # followed in the year: ends in it
        programme = np.where(start < cej_switch, GARANTIE_JEUNES, CEJ)
        add(youths, programme, start, planned, end)
        periods["cej_start"][youths] = start
        periods["cej_end"][youths] = np.where(end == NONE, y1 + 366, end)
    # an enrolment closed before the year: never counted
    past = np.flatnonzero(~pop.mask("CEJY") & ~pop.mask("NR") & (premier < prev0 - 200)
                          & (rng.random(n) < 0.04))
    start = uniform_days(np.maximum(premier[past], day(cal.year - 3)),
                         np.full(len(past), prev0 - 200), rng)
    end = np.minimum(uniform_days(start + 60, start + 366, rng), y0 - 1)
    add(past, np.where(start < cej_switch, GARANTIE_JEUNES, CEJ), start, start + 366, end)

    # civic service: starters in the year, the others on a mission started the year before
    starters = np.flatnonzero(pop.mask("CIVS"))
    ongoing = np.flatnonzero(pop.mask("CIVY") & ~pop.mask("CIVS"))
    length_s = 180 + rng.integers(0, 91, len(starters)) * 1
    start_s = uniform_days(np.maximum(premier[starters], y0), np.full(len(starters), y1), rng)
    length_o = 180 + rng.integers(0, 91, len(ongoing))
    start_o = uniform_days(np.maximum(premier[ongoing], y0 - length_o + 1),
                           np.full(len(ongoing), y0 - 1), rng)
    for youths, start, length in ((starters, start_s, length_s), (ongoing, start_o, length_o)):
        planned = start + length
        end = np.where(planned < export, planned, NONE)
        add(youths, np.full(len(youths), SERVICE_CIVIQUE), start, planned, end)
        periods["civ_start"][youths] = start
        periods["civ_end"][youths] = np.where(end == NONE, y1 + 366, end)

    # mentoring: entries in the year
    mentored = np.flatnonzero(pop.mask("MENT"))
    start = uniform_days(np.maximum(premier[mentored], y0), np.full(len(mentored), y1), rng)
    planned = start + 180
    add(mentored, np.full(len(mentored), PARRAINAGE), start, planned, closing(start, planned, 0.1))

    # PACEA: every PACEA allowance beneficiary, and some other youths; PPAE for a few
    pacea = pop.mask("AID_pacea_allowance") | (
        pop.mask("INT") & ~pop.mask("CEJY") & (rng.random(n) < 0.12))
    youths = np.flatnonzero(pacea)
    start = uniform_days(np.maximum(premier[youths], prev0), np.full(len(youths), y1 - 30), rng)
    planned = start + 365
    add(youths, np.full(len(youths), PACEA), start, planned, closing(start, planned, 0.25))
    periods["pacea_start"][youths] = start
    ppae = np.flatnonzero(pop.mask("CONTACT") & (rng.random(n) < 0.05))
    start = uniform_days(np.maximum(premier[ppae], prev0), np.full(len(ppae), y1), rng)
    add(ppae, np.full(len(ppae), PPAE), start, start + 180, closing(start, start + 180, 0.2))

    cols = [np.concatenate(parts) for parts in zip(*rows)]
    return Table(dict(zip(("youth", "programme", "start", "planned", "end"), cols))), periods
