"""The contacts of the year (evenements.csv rows): interviews and other contacts per commune,
their natures, and CEJ youths' share of them."""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import (
    bounded_split,
    conform,
    largest_remainder,
    shuffled_codes,
    uniform_days,
)
from sample_inputs.imilo.allotment import Table, distribute, flagged_split, one_dimension_breakdown
from sample_inputs.imilo.codes import ATELIER, AUTRE, IND, MAIL, NATURE_CODES, SMS, TELEPHONE
from sample_inputs.imilo.days import Calendar
from sample_inputs.imilo.population import Population


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
    cej_targets = _cej_targets(one_dimension_breakdown(batch, "cej_contacts_by_nature"))

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
    by_nature = one_dimension_breakdown(batch, "contacts_by_nature")
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
