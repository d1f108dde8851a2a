"""What the youths of a batch did in the year: contacts, situations, enrolments, allowances.

Each counted figure is a number of rows per cell (commune), handed out to the youths of the sets
that must carry them (`distribute`: every youth of the set gets one, the rest by weight), with
their codes drawn from shuffled multisets whose sizes are the breakdown figures. Everything is
columnar (numpy, one array per column); rows carry the youth's position in the population.

Dates are int64 day numbers (days since 1970-01-01). Rows that must not be counted (situations
started before the year or still planned, programmes ended before it) are added on purpose, so
that the recomputation rules' boundaries matter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_inputs.imilo._numeric import (
    bounded_split,
    conform,
    group_split,
    largest_remainder,
    pick_weighted,
    rank_within,
    shuffle_within_groups,
    shuffled_codes,
    uniform_days,
)
from sample_inputs.imilo.codes import (
    AID_INDICATORS,
    ALTERNANCE,
    APPRENTISSAGE,
    ATELIER,
    AUTRE,
    CDD,
    CDI,
    CEJ,
    CEJ_START,
    CREATION,
    DEMANDEUR,
    EMPLOI,
    EN_COURS,
    FORMATION,
    GARANTIE_JEUNES,
    IMMERSION,
    IND,
    INTERIM,
    MAIL,
    NATURE_CODES,
    NO_CONTRACT,
    PACEA,
    PARRAINAGE,
    PEC,
    PMSMP,
    PPAE,
    PREVU,
    PROFESSIONNALISATION,
    SCOLARITE,
    SERVICE_CIVIQUE,
    SMS,
    TELEPHONE,
    TERMINE,
    VOLONTARIAT,
)
from sample_inputs.imilo.population import Population

EPOCH = np.datetime64("1970-01-01", "D")
NONE = -1  # an empty date


def day(year: int, month: int = 1, dom: int = 1) -> int:
    return int((np.datetime64(f"{year:04d}-{month:02d}-{dom:02d}", "D") - EPOCH).astype(np.int64))


def jan1(years: np.ndarray) -> np.ndarray:
    return ((np.asarray(years, dtype=np.int64) - 1970).astype("datetime64[Y]")
            .astype("datetime64[D]") - EPOCH).astype(np.int64)


@dataclass
class Calendar:
    year: int

    @property
    def start(self) -> int:  # 1 January of the year
        return day(self.year)

    @property
    def end(self) -> int:  # 31 December of the year
        return day(self.year, 12, 31)

    @property
    def export(self) -> int:  # the export's date (the latest dateExport)
        return day(self.year + 1, 1, 15)


@dataclass
class Table:
    """Columns of one output file, rows referring to youths by position."""

    cols: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0


# --- youths' own dates ----------------------------------------------------------------------------

AGE_LOW = np.array([16, 18, 22, 26])
AGE_WIDTH = np.array([2, 4, 4, 4])


def youth_dates(pop: Population, cal: Calendar, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Birth date (age at 31 December in the youth's band) and first registration date (in the
    year for new registrations, with their birthday before it so that the age at first
    registration is the same band; 1 to 5 years before for the others, after age 15)."""
    n = pop.n
    age = pop.cols["age"]
    new = pop.mask("NR")
    premier = np.empty(n, dtype=np.int64)
    premier[new] = uniform_days(np.full(new.sum(), cal.start), np.full(new.sum(), cal.end), rng)
    years = cal.year - (AGE_LOW[age] + np.floor(rng.random(n) * AGE_WIDTH[age]).astype(np.int64))
    first = jan1(years)
    length = jan1(years + 1) - first
    doy = np.floor(rng.random(n) * length).astype(np.int64)
    premier_doy = premier - cal.start
    doy = np.where(new, np.minimum(np.floor(rng.random(n) * (premier_doy + 1)).astype(np.int64),
                                   length - 1), doy)
    birth = first + doy
    old = ~new
    low = np.minimum(np.maximum(day(cal.year - 5), birth[old] + 15 * 365 + 4), cal.start - 1)
    premier[old] = uniform_days(low, np.full(old.sum(), cal.start - 1), rng)
    return {"birth": birth, "premier": premier}


# --- handing rows out to youths -------------------------------------------------------------------


def distribute(item_youth: np.ndarray, item_group: np.ndarray, required: np.ndarray,
               weights: np.ndarray, totals: np.ndarray, n_groups: int, rng: np.random.Generator,
               notes: list[str], label: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`totals[g]` rows for group g: one for each required item of g, the others drawn among the
    items of g by weight. Returns (youth, group, is_required) per row."""
    totals = np.asarray(totals, dtype=np.int64)
    req = np.flatnonzero(required)
    req_rank = rank_within(item_group[req])
    keep = req_rank < totals[item_group[req]]
    if not keep.all():
        notes.append(f"{label}: fewer rows than youths that must have one "
                     f"({int((~keep).sum())} youths left without)")
        req = req[keep]
    extra = totals - np.bincount(item_group[req], minlength=n_groups)
    has_items = np.bincount(item_group, minlength=n_groups) > 0
    lost = extra[~has_items].sum()
    if lost:
        notes.append(f"{label}: {int(lost)} rows in communes without a youth to carry them")
    picks = pick_weighted(item_group, weights, extra, n_groups, rng)
    rows = np.concatenate([req, picks])
    return (item_youth[rows], item_group[rows],
            np.concatenate([np.ones(len(req), dtype=bool), np.zeros(len(picks), dtype=bool)]))


def flagged_split(totals: np.ndarray, need: tuple[np.ndarray, np.ndarray],
                  can: tuple[np.ndarray, np.ndarray], target: int | None, natural: np.ndarray,
                  notes: list[str], label: str, at_least: bool = False,
                  floor: np.ndarray | None = None) -> np.ndarray:
    """How many of each cell's `totals` rows go to its flagged youths (CEJ youths): at least
    what they need (one row each for those that must have one) and `floor`, leaving the others
    what they need, nothing where no flagged youth can carry a row, everything where only flagged
    ones can. `target` (a structure-level figure) sets the sum when given (a minimum if
    `at_least`), else `natural` shares."""
    totals = np.asarray(totals, dtype=np.int64)
    low = np.where(can[0] > 0, need[1], totals)
    high = np.where(can[1] > 0, totals - need[0], 0)
    bad = low > high
    if bad.any():
        notes.append(f"{label}: {int((low - high)[bad].sum())} rows lack youths able to carry them")
        low = np.minimum(low, high)
    if floor is not None:
        low = np.maximum(low, np.minimum(floor, high))
    if target is None:
        return np.clip(np.round(totals * natural).astype(np.int64), low, high)
    if at_least:
        target = max(target, int(np.clip(np.round(totals * natural), low, high).sum()))
    values, reached = bounded_split(target, low, high)
    if reached < target or (reached > target and not at_least):
        notes.append(f"{label}: {target} for CEJ youths impossible with their communes' rows, "
                     f"{reached} instead")
    return values


def _by_flag(mask: np.ndarray, flag: np.ndarray, cell: np.ndarray, n_cells: int):
    return tuple(np.bincount(cell[mask & (flag == f)], minlength=n_cells) for f in (0, 1))


def _bd(batch, indicator: str) -> dict[str, float]:
    """{code: value} of a one-dimension breakdown."""
    return {key[0][1]: value for key, value in batch.breakdowns.get(indicator, {}).items()
            if len(key) == 1}


# --- contacts -------------------------------------------------------------------------------------

DEFAULT_NATURES = np.array([0.25, 0.15, 0.24, 0.23, 0.09, 0.05])


def make_events(pop: Population, dates: dict, cal: Calendar, rng: np.random.Generator) -> Table:
    batch, notes, n_cells = pop.batch, pop.batch.notes, pop.batch.n_cells
    cell = pop.cols["cell"]
    contact, inter = pop.mask("CONTACT"), pop.mask("INT") & pop.mask("CONTACT")
    cej = (pop.mask("CEJY") & contact).astype(np.int64)
    interviews = batch.counts["contacts_interviews"]
    others = batch.counts["contacts"] - interviews

    def per_cell(mask):
        return np.bincount(cell[mask], minlength=n_cells)

    need_int = [per_cell(inter & (cej == f)) for f in (0, 1)]
    need_oth = [per_cell(contact & ~inter & (cej == f)) for f in (0, 1)]
    can_oth = [per_cell(contact & (cej == f)) for f in (0, 1)]
    cej_targets = _cej_targets(_bd(batch, "cej_contacts_by_nature"))

    def natural(can0, can1):
        return np.where(can0 + can1 > 0, 2.5 * can1 / np.maximum(2.5 * can1 + can0, 1), 0)

    int1 = flagged_split(interviews, need_int, need_int,
                         None if cej_targets is None else cej_targets[0],
                         natural(*need_int), notes, "cej_contacts_by_nature: interviews")
    oth1 = flagged_split(others, need_oth, can_oth,
                         None if cej_targets is None else int(sum(cej_targets[1:])),
                         natural(*can_oth), notes, "cej_contacts_by_nature: other contacts")
    totals = np.stack([interviews - int1, others - oth1, int1, oth1], axis=1).reshape(-1)
    # items: interviewed youths in their interview group, contacted youths in their other group
    youth_int = np.flatnonzero(inter)
    youth_all = np.flatnonzero(contact)
    item_youth = np.concatenate([youth_int, youth_all])
    item_group = np.concatenate([cell[youth_int] * 4 + cej[youth_int] * 2,
                                 cell[youth_all] * 4 + cej[youth_all] * 2 + 1])
    required = np.concatenate([np.ones(len(youth_int), dtype=bool), ~inter[youth_all]])
    weights = rng.gamma(0.9, 1.0, len(item_youth)) * (1 + 1.8 * cej[item_youth])
    youth, group, first = distribute(item_youth, item_group, required, weights, totals,
                                     4 * n_cells, rng, notes, "contacts")
    is_int = group % 2 == 0
    is_cej = (group // 2) % 2 == 1

    # natures: interviews from one multiset, other contacts from a CEJ one and a non-CEJ one
    by_nature = _bd(batch, "contacts_by_nature")
    wanted = np.array([by_nature.get(code, np.nan) for code in NATURE_CODES])
    if np.isnan(wanted).any():
        wanted = DEFAULT_NATURES * max(int(batch.counts["contacts"].sum()), 1)
    wanted = np.round(wanted).astype(np.int64)
    n_int, n_oth = int(is_int.sum()), int((~is_int).sum())
    pair = wanted[[IND, ATELIER]]
    if by_nature and int(pair.sum()) != n_int:
        notes.append(f"contacts_by_nature: interviews {int(pair.sum())}, the commune table "
                     f"{n_int}: rescaled")
    pair = conform(pair, n_int)
    four_codes = np.array([SMS, MAIL, TELEPHONE, AUTRE])
    four = wanted[four_codes]
    if by_nature and int(four.sum()) != n_oth:
        notes.append(f"contacts_by_nature: other contacts {int(four.sum())}, the commune "
                     f"table {n_oth}: rescaled")
    four = conform(four, n_oth)
    n_cej = int((~is_int & is_cej).sum())
    cej_four = _cej_natures(cej_targets, four, n_cej, notes)
    nature = np.empty(len(youth), dtype=np.int64)
    nature[is_int] = np.array([IND, ATELIER])[shuffled_codes(pair, rng)]
    nature[~is_int & is_cej] = four_codes[shuffled_codes(cej_four, rng)]
    nature[~is_int & ~is_cej] = four_codes[shuffled_codes(four - cej_four, rng)]

    premier = dates["premier"][youth]
    when = uniform_days(np.maximum(premier, cal.start), np.full(len(youth), cal.end), rng)
    # a new registration's first interview is its first reception
    welcome = first & is_int & pop.mask("NR")[youth]
    when[welcome] = premier[welcome]
    return Table({"youth": youth, "day": when, "nature": nature})


def _cej_targets(cells: dict[str, float]) -> list[int] | None:
    """CEJ youths' contacts as [interviews, phone or SMS, e-mail, other], or None."""
    if not cells:
        return None
    get = lambda *codes: int(round(sum(cells.get(code, 0) for code in codes)))  # noqa: E731
    return [get("interview", "individual_interview", "group_session"),
            get("phone_or_sms", "phone", "sms"), get("email"), get("other")]


def _cej_natures(targets: list[int] | None, four: np.ndarray, n_cej: int,
                 notes: list[str]) -> np.ndarray:
    """CEJ youths' non-interview contacts as SMS, MAIL, TELEPHONE, AUTRE counts, within the
    structure's totals `four` (same order)."""
    sms, mail, phone, other = (int(v) for v in four)
    if targets is None:
        return largest_remainder(n_cej, four) if four.sum() else np.zeros(4, dtype=np.int64)
    wanted = np.array(targets[1:], dtype=np.int64)
    if int(wanted.sum()) != n_cej:
        wanted = conform(wanted, n_cej)
    upper = np.array([sms + phone, mail, other], dtype=np.int64)
    got, _ = bounded_split(n_cej, np.minimum(wanted, upper), upper)
    if (got != wanted).any():
        notes.append(f"cej_contacts_by_nature: {wanted.tolist()} (phone or SMS, e-mail, other) "
                     f"exceed the structure's contacts, {got.tolist()} instead")
    pos = int(got[0])
    share = sms / (sms + phone) if sms + phone else 0.5
    cej_sms = int(min(max(round(pos * share), pos - phone), sms))
    return np.array([cej_sms, got[1], pos - cej_sms, got[2]], dtype=np.int64)


def _cells(batch, mask) -> str:
    return ", ".join(batch.cell_insee[i] for i in np.flatnonzero(mask)[:5])


# --- enrolments (accompagnements) -----------------------------------------------------------------


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


# --- situations -----------------------------------------------------------------------------------

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
    measures = _bd(batch, "cej_measures")
    flag = cejy.astype(np.int64)
    emp_mask = pop.mask("EMP")
    emp = np.flatnonzero(emp_mask)
    total = counts["employment_contracts"]
    held = _by_flag(emp_mask, flag, cell, n_cells)
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
    by_type = _bd(batch, "employment_contracts_by_type")
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
    actions = _bd(batch, "training_actions")
    extra = int(round(sum(actions.values()))) - int(entries.sum()) if actions else \
        int(round(0.45 * entries.sum()))
    if extra < 0:
        notes.append("training_actions: fewer actions than training entrants")
        extra = 0
    trn_mask = pop.mask("TRN")
    totals = entries + largest_remainder(extra, entries)
    needed = _by_flag(trn_mask, flag, cell, n_cells)
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
    able = _by_flag(anyone, flag, cell, n_cells)
    nobody = np.zeros(n_cells, dtype=np.int64)
    share = np.where(able[0] + able[1] > 0, 3 * able[1] / np.maximum(3 * able[1] + able[0], 1), 0)
    for_cej = flagged_split(placements, (nobody, nobody), able, wanted, share, notes,
                            "cej_measures: work_placement", at_least=True)
    youth, _, _ = distribute(everyone, cell * 2 + flag, np.zeros(pop.n, dtype=bool), weights,
                             np.stack([placements - for_cej, for_cej], axis=1).reshape(-1),
                             2 * n_cells, rng, notes, "pmsmp_periods")
    part(youth, np.where(rng.random(len(youth)) < 0.8, PMSMP, IMMERSION), NO_CONTRACT,
         in_year(youth))

    counted = _concat(parts)
    measures = _cej_measures(pop, counted.cols, dates, periods, cal, rng)
    noise = _noise_situations(pop, dates, periods, cal, rng)
    cols = {k: np.concatenate([counted.cols[k], measures.cols[k], noise.cols[k]])
            for k in counted.cols}
    _close(cols, cal, rng)
    return Table(cols)


def _concat(parts: list[dict[str, np.ndarray]]) -> Table:
    return Table({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})


MEASURES = (("employment", (EMPLOI,)), ("alternance", (ALTERNANCE,)), ("training", (FORMATION,)),
            ("work_placement", (PMSMP, IMMERSION)))


def _cej_measures(pop: Population, cols: dict[str, np.ndarray], dates: dict, periods: dict,
                  cal: Calendar, rng: np.random.Generator) -> Table:
    """Flag `dispositif = CEJ` on the year's situations of CEJ youths (`cols`, changed in place),
    as many per type as cej_measures says, moved into the youth's CEJ period; return the
    civic-service and other volunteering measures, new situations."""
    batch, notes = pop.batch, pop.batch.notes
    measures = _bd(batch, "cej_measures")
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
    return _concat(parts)


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
    table = _concat(parts)
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


# --- allowances -----------------------------------------------------------------------------------

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
    return _concat(parts)
