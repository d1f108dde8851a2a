"""The young people of a batch: their attributes and which counted sets they belong to.

Every youth-counting figure is a set with targets: per commune (cell) always, and per profile
dimension where a breakdown gives one (sex, age band, qualification). Sets are filled one after
the other (`Population.fill`):

1. members forced in (e.g. the CEJ entrants are CEJ youths);
2. then existing youths, pool by pool in order of preference (e.g. the CEJ youths among the
   youths interviewed), taking a youth only while every one of its categories still has room
   under the set's targets (`capped_pick`: a few vectorised passes, no loop over rows);
3. then new youths for what is left: each dimension's leftover counts, shuffled and paired,
   give exact margins.

So each set gets exactly its targets whatever the overlaps, which stay as natural as the pools
allow. New registrations come first and carry the full sex x age x qualification profile.
"""

from __future__ import annotations

import numpy as np

from sample_inputs.imilo._numeric import (
    bounded_split,
    conform,
    counts_from_shares,
    largest_remainder,
    rank_within,
    shuffled_codes,
)
from sample_inputs.imilo.codes import (
    AGE_BANDS,
    AID_INDICATORS,
    HOUSING_CODES,
    LICENCE_CODES,
    QUALIFICATION3_CODES,
    QUALIFICATION3_OF,
    QUALIFICATION_CODES,
    SEX_CODES,
)
from sample_inputs.imilo.targets import Batch

ATTRIBUTES = ("cell", "sex", "age", "qual", "licence", "housing", "qpv")
DIM_SIZES = {"sex": 2, "age": 4, "qual": 4, "qual3": 3, "profile": 32}
QUAL3_OF = np.array(QUALIFICATION3_OF)
# Distributions of the attributes a set leaves free (overridden by the batch's own profiles).
DEFAULTS = {"sex": (0.5, 0.5), "age": (0.10, 0.50, 0.37, 0.03),
            "qual": (0.10, 0.30, 0.12, 0.48), "licence": (0.72, 0.28), "housing": (0.6, 0.2, 0.2)}
ABOVE_BAC_IN_BAC_OR_ABOVE = 0.3
# Sets, in the order they are filled.
AID_SETS = tuple(f"AID_{prefix}" for prefix in AID_INDICATORS)


class Population:
    """Columnar youths: one int64 array per attribute, one bool array per set."""

    def __init__(self, batch: Batch, rng: np.random.Generator):
        self.batch = batch
        self.rng = rng
        self.cols = {name: np.zeros(0, dtype=np.int64) for name in ATTRIBUTES}
        self.member: dict[str, np.ndarray] = {}
        self.defaults = {k: np.asarray(v, dtype=np.float64) for k, v in DEFAULTS.items()}

    @property
    def n(self) -> int:
        return len(self.cols["cell"])

    def mask(self, name: str) -> np.ndarray:
        return self.member.get(name, np.zeros(self.n, dtype=bool))

    def codes(self, dim: str) -> np.ndarray:
        if dim == "commune":
            return self.cols["cell"]
        if dim == "qual3":
            return QUAL3_OF[self.cols["qual"]]
        if dim == "profile":
            return (self.cols["sex"] * 4 + self.cols["age"]) * 4 + self.cols["qual"]
        return self.cols[dim]

    def size(self, dim: str) -> int:
        return self.batch.n_cells if dim == "commune" else DIM_SIZES[dim]

    # --- filling a set ----------------------------------------------------------------------

    def fill(self, name: str, targets: dict[str, np.ndarray], pools: list[np.ndarray] = (),
             forced: np.ndarray | None = None) -> np.ndarray:
        """Make set `name` match `targets` ({dimension: counts}, "commune" required); returns
        its member mask."""
        notes = self.batch.notes
        total = int(targets["commune"].sum())
        caps = {}
        for dim, counts in targets.items():
            counts = np.asarray(counts, dtype=np.int64)
            if dim != "commune" and int(counts.sum()) != total:
                notes.append(f"{name}: the {dim} breakdown adds up to {int(counts.sum())}, the "
                             f"commune table to {total}: breakdown rescaled")
                counts = conform(counts, total)
            caps[dim] = counts.copy()
        member = np.zeros(self.n, dtype=bool)
        if forced is not None and forced.any():
            member |= forced
            for dim in caps:
                caps[dim] -= np.bincount(self.codes(dim)[forced], minlength=self.size(dim))
                if (caps[dim] < 0).any():
                    notes.append(f"{name}: members it must contain exceed its {dim} figures by "
                                 f"{int(-caps[dim][caps[dim] < 0].sum())}")
                    caps[dim] = np.maximum(caps[dim], 0)
        for pool in pools:
            pool = np.concatenate([pool[: self.n],
                                   np.zeros(max(self.n - len(pool), 0), dtype=bool)])
            candidates = np.flatnonzero(pool & ~member)
            picked = capped_pick(candidates, [self.codes(d) for d in caps], list(caps.values()),
                                 self.rng)
            member[picked] = True
        rest = int(caps["commune"].sum())
        for dim in caps:
            if int(caps[dim].sum()) != rest:
                caps[dim] = conform(caps[dim], rest)
        if rest:
            new = self.add(caps, rest)
            member = np.concatenate([member, np.zeros(self.n - len(member), dtype=bool)])
            member[new] = True
        self.member[name] = member
        return member

    def add(self, residual: dict[str, np.ndarray], count: int) -> np.ndarray:
        """Append `count` new youths whose constrained dimensions have exactly the `residual`
        margins and whose other attributes are drawn from the defaults; returns their rows."""
        rng = self.rng
        cols: dict[str, np.ndarray] = {}
        for dim, counts in residual.items():
            codes = shuffled_codes(counts, rng)
            if dim == "profile":
                cols["sex"], cols["age"], cols["qual"] = codes // 16, (codes // 4) % 4, codes % 4
            elif dim == "qual3":
                above = rng.random(count) < ABOVE_BAC_IN_BAC_OR_ABOVE
                cols["qual"] = np.where(codes == 0, np.where(above, 0, 1), codes + 1)
            elif dim == "commune":
                cols["cell"] = codes
            else:
                cols[dim] = codes
        for name in ("sex", "age", "qual", "licence", "housing"):
            if name not in cols:
                p = self.defaults[name]
                cols[name] = rng.choice(len(p), size=count, p=p / p.sum())
        cols["qpv"] = (rng.random(count) < self.batch.cell_qpv_rate[cols["cell"]]).astype(np.int64)
        start = self.n
        for name in ATTRIBUTES:
            self.cols[name] = np.concatenate([self.cols[name], cols[name].astype(np.int64)])
        for name in self.member:
            self.member[name] = np.concatenate([self.member[name], np.zeros(count, dtype=bool)])
        return np.arange(start, self.n)


def capped_pick(candidates: np.ndarray, codes: list[np.ndarray], caps: list[np.ndarray],
                rng: np.random.Generator, passes: int = 8) -> np.ndarray:
    """Candidates (random order) taken while each of their categories has room under `caps`
    (decremented in place): a candidate is taken in a pass when, in every dimension, fewer
    candidates before it share its category than the room left; a few passes."""
    candidates = candidates[rng.permutation(len(candidates))]
    taken = []
    for _ in range(passes):
        if len(candidates) == 0:
            break
        ok = np.ones(len(candidates), dtype=bool)
        for code, cap in zip(codes, caps):
            values = code[candidates]
            ok &= rank_within(values) < cap[values]
        if not ok.any():
            break
        chosen = candidates[ok]
        taken.append(chosen)
        for code, cap in zip(codes, caps):
            cap -= np.bincount(code[chosen], minlength=len(cap))
        candidates = candidates[~ok]
    return np.concatenate(taken) if taken else np.zeros(0, dtype=np.int64)


# --- breakdown targets ----------------------------------------------------------------------------


def _cells(cells: dict | None, dim: str, codes: tuple[str, ...]) -> np.ndarray | None:
    """The one-dimension cells of a breakdown along `dim`, in `codes` order; None if none."""
    if not cells:
        return None
    found = {key[0][1]: value for key, value in cells.items() if len(key) == 1 and key[0][0] == dim}
    if not found or not set(found) <= set(codes):
        return None
    return np.array([round(found.get(code, 0)) for code in codes], dtype=np.int64)


def _cross(cells: dict | None, dim_a: str, codes_a, dim_b: str, codes_b) -> np.ndarray | None:
    if not cells:
        return None
    out = np.zeros((len(codes_a), len(codes_b)), dtype=np.int64)
    found = False
    for key, value in cells.items():
        pairs = dict(key)
        if len(key) == 2 and set(pairs) == {dim_a, dim_b} and pairs[dim_a] in codes_a \
                and pairs[dim_b] in codes_b:
            out[codes_a.index(pairs[dim_a]), codes_b.index(pairs[dim_b])] = round(value)
            found = True
    return out if found else None


def _qualification(cells: dict | None) -> tuple[str, np.ndarray] | None:
    """("qual", fine counts) or ("qual3", coarse counts) of a breakdown by qualification."""
    fine = _cells(cells, "qualification_level", QUALIFICATION_CODES)
    if fine is not None:
        return "qual", fine
    coarse = _cells(cells, "qualification_level", QUALIFICATION3_CODES)
    return ("qual3", coarse) if coarse is not None else None


def _profile_targets(cells: dict | None, total: int, notes: list[str],
                     rng: np.random.Generator) -> np.ndarray | None:
    """The new registrations' sex x age x qualification joint counts (index (sex*4+age)*4+qual)
    from the report's sex x age and age x qualification tables, which share their age totals."""
    sex_age = _cross(cells, "sex", SEX_CODES, "age_band", AGE_BANDS)
    age_qual = _cross(cells, "age_band", AGE_BANDS, "qualification_level", QUALIFICATION_CODES)
    if sex_age is None and age_qual is None:
        return None
    if sex_age is None:
        sex_age = np.stack([largest_remainder(n, (1, 1)) for n in age_qual.sum(axis=1)], axis=1)
    if age_qual is None:
        age_qual = np.stack([largest_remainder(n, DEFAULTS["qual"]) for n in sex_age.sum(axis=0)])
    joint = np.zeros((2, 4, 4), dtype=np.int64)
    for age in range(4):
        n = int(sex_age[:, age].sum())
        quals = age_qual[age]
        if int(quals.sum()) != n:
            notes.append(f"new_registrations_profile: age {AGE_BANDS[age]} is {n} by sex, "
                         f"{int(quals.sum())} by qualification: qualification rescaled")
            quals = conform(quals, n)
        sexes = np.repeat(np.arange(2), sex_age[:, age])
        paired = shuffled_codes(quals, rng)
        np.add.at(joint, (sexes, age, paired), 1)
    flat = joint.reshape(-1)
    if int(flat.sum()) != total:
        notes.append(f"new_registrations_profile adds up to {int(flat.sum())}, "
                     f"new_registrations to {total}: profile rescaled")
        flat = conform(flat, total)
    return flat


# --- the population of a batch ------------------------------------------------------------------


def build_population(batch: Batch, rng: np.random.Generator) -> Population:
    """Fill every counted set of the batch, in an order that keeps the natural nestings
    (interviews among new registrations, CEJ, jobs, training and aid among the interviewed)."""
    pop = Population(batch, rng)
    counts, bd, notes = batch.counts, batch.breakdowns, batch.notes

    # defaults for free attributes: the profile of the youths interviewed, when published
    interviewed = bd.get("youths_interviewed_profile")
    found = _cells(interviewed, "sex", SEX_CODES)
    if found is not None and found.sum() > 0:
        pop.defaults["sex"] = found.astype(np.float64)
    found = _qualification(interviewed)
    if found is not None and found[0] == "qual" and found[1].sum() > 0:
        pop.defaults["qual"] = found[1].astype(np.float64)

    # 1. new registrations: the full profile, QPV, driving licence and housing
    nr_total = int(counts["new_registrations"].sum())
    targets = {"commune": counts["new_registrations"]}
    profile = _profile_targets(bd.get("new_registrations_profile"), nr_total, notes, rng)
    if profile is not None:
        targets["profile"] = profile
    nr = pop.fill("NR", targets)
    rows = np.flatnonzero(nr)
    pop.cols["qpv"][rows] = 0
    order = rows[rng.permutation(len(rows))]
    chosen = order[rank_within(pop.cols["cell"][order]) < counts["new_registrations_qpv"][
        pop.cols["cell"][order]]]
    pop.cols["qpv"][chosen] = 1
    shares = bd.get("new_registrations_share")
    for attribute, codes, dim in (("licence", LICENCE_CODES, "driving_licence"),
                                  ("housing", HOUSING_CODES, "housing")):
        wanted = _cells(shares, dim, codes)
        if wanted is None:
            continue
        values, exact = counts_from_shares(wanted, len(rows))
        if not exact:
            notes.append(f"new_registrations_share: no counts of {len(rows)} youths round to the "
                         f"{dim} shares {wanted.tolist()}")
        pop.cols[attribute][rows] = shuffled_codes(values, rng)

    # 2. youths interviewed: among the new registrations first
    targets = {"commune": counts["youths_interviewed"]}
    int_total = int(counts["youths_interviewed"].sum())
    found = _qualification(interviewed)
    if found is not None:
        targets[found[0]] = found[1]
    sexes = _cells(interviewed, "sex", SEX_CODES)
    if sexes is not None:
        targets["sex"] = sexes
    age_shares = _cells(bd.get("youths_interviewed_share"), "age_band", AGE_BANDS)
    if age_shares is not None:
        values, exact = counts_from_shares(age_shares, int_total)
        if not exact:
            notes.append(f"youths_interviewed_share: no counts of {int_total} youths round to the "
                         f"age shares {age_shares.tolist()}")
        targets["age"] = values
    inter = pop.fill("INT", targets, pools=[nr])
    not_new = ~pop.mask("NR")

    # 3. Garantie Jeunes / CEJ: entrants, then every youth followed in the year. A youth
    # followed but not entering this year entered last year, so was registered before.
    targets = {"commune": counts["cej_entrants"]}
    found = _qualification(bd.get("cej_entrants_profile"))
    if found is not None:
        targets[found[0]] = found[1]
    ceje = pop.fill("CEJE", targets, pools=[pop.mask("INT")])
    inter, not_new = pop.mask("INT"), ~pop.mask("NR")
    cejy = pop.fill("CEJY", {"commune": counts["cej_youths"]}, forced=ceje,
                    pools=[inter & not_new, not_new])

    # 4. youths with a job contract (each has one at least: at most one per contract)
    contracts = counts["employment_contracts"]
    found = _qualification(bd.get("employment_youths_profile"))
    emp_total = int(found[1].sum()) if found else int(round(0.45 * contracts.sum()))
    emp_cells, reached = bounded_split(emp_total, (contracts > 0).astype(np.int64), contracts)
    if reached != emp_total:
        notes.append(f"employment_youths_profile: {emp_total} youths cannot hold "
                     f"{int(contracts.sum())} contracts in their communes")
    targets = {"commune": emp_cells}
    if found is not None:
        targets[found[0]] = conform(found[1], reached)
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    pop.fill("EMP", targets, pools=[inter & cejy, inter])

    # 5. training entrants, mentoring
    training = bd.get("training_entrants_profile")
    targets = {"commune": counts["training_entries"]}
    found = _qualification(training)
    if found is not None:
        targets[found[0]] = found[1]
    sexes = _cells(training, "sex", SEX_CODES)
    if sexes is not None:
        targets["sex"] = sexes
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    pop.fill("TRN", targets, pools=[inter & cejy, inter])

    mentoring = bd.get("mentoring_youths")
    if mentoring:
        targets = _mentoring_targets(batch, mentoring)
        pop.fill("MENT", targets, pools=[pop.mask("INT")])

    # 6. civic service: starters, then every youth on a mission in the year
    inter, cejy, not_new = pop.mask("INT"), pop.mask("CEJY"), ~pop.mask("NR")
    civs = pop.fill("CIVS", {"commune": counts["civic_service_starts"]},
                    pools=[inter & cejy, inter])
    inter, cejy, not_new = pop.mask("INT"), pop.mask("CEJY"), ~pop.mask("NR")
    pop.fill("CIVY", {"commune": counts["civic_service_youths"]}, forced=civs,
             pools=[inter & cejy & not_new, inter & not_new, not_new])

    # 7. financial aid beneficiaries
    for prefix in AID_INDICATORS:
        inter, cejy = pop.mask("INT"), pop.mask("CEJY")
        if prefix == "cej_allowance":
            pools = [inter & cejy, cejy, inter]
        elif prefix == "pacea_allowance":
            pools = [inter & ~cejy, inter]
        else:
            pools = [inter]
        pop.fill(f"AID_{prefix}", {"commune": counts[f"{prefix}_beneficiaries"]}, pools=pools)

    # 8. youths in contact: every youth interviewed, then the others (CEJ youths first)
    inter, cejy = pop.mask("INT"), pop.mask("CEJY")
    anyone = np.ones(pop.n, dtype=bool)
    pop.fill("CONTACT", {"commune": counts["youths_in_contact"]}, forced=inter,
             pools=[cejy, anyone])
    for name in pop.member:
        pop.member[name] = pop.mask(name)
    return pop


def _mentoring_targets(batch: Batch, cells: dict) -> dict[str, np.ndarray]:
    by_commune = {dict(key)["commune_insee"]: value for key, value in cells.items()
                  if len(key) == 1 and key[0][0] == "commune_insee"}
    sexes = _cells(cells, "sex", SEX_CODES)
    found = _qualification(cells)
    total = int(sum(by_commune.values())) if by_commune else (
        int(sexes.sum()) if sexes is not None else int(found[1].sum()) if found else 0)
    if by_commune:
        unknown = set(by_commune) - set(batch.cell_insee)
        if unknown:
            batch.notes.append(f"mentoring_youths: communes outside the tables {sorted(unknown)}")
        communes = np.array([round(by_commune.get(code, 0)) for code in batch.cell_insee],
                            dtype=np.int64)
        communes = conform(communes, total)
    else:
        communes = largest_remainder(total, batch.counts["youths_in_contact"])
    targets = {"commune": communes}
    if sexes is not None:
        targets["sex"] = sexes
    if found is not None:
        targets[found[0]] = found[1]
    return targets
