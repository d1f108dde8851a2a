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

from sample_inputs.imilo._numeric import conform, rank_within, shuffled_codes
from sample_inputs.imilo.codes import AID_INDICATORS, QUALIFICATION3_OF
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
