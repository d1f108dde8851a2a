"""Handing a figure's rows out to the youths that carry them.

Each counted figure is a number of rows per cell (commune), handed out to the youths of the sets
that must carry them (`distribute`: every youth of the set gets one, the rest by weight), with
their codes drawn from shuffled multisets whose sizes are the breakdown figures. Everything is
columnar (numpy, one array per column); rows carry the youth's position in the population.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sample_inputs.imilo._numeric import bounded_split, pick_weighted, rank_within


@dataclass
class Table:
    """Columns of one output file, rows referring to youths by position."""

    cols: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(next(iter(self.cols.values()))) if self.cols else 0


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


def by_flag(mask: np.ndarray, flag: np.ndarray, cell: np.ndarray, n_cells: int):
    return tuple(np.bincount(cell[mask & (flag == f)], minlength=n_cells) for f in (0, 1))


def one_dimension_breakdown(batch, indicator: str) -> dict[str, float]:
    """{code: value} of a one-dimension breakdown."""
    return {key[0][1]: value for key, value in batch.breakdowns.get(indicator, {}).items()
            if len(key) == 1}


def concat_tables(parts: list[dict[str, np.ndarray]]) -> Table:
    return Table({k: np.concatenate([p[k] for p in parts]) for k in parts[0]})
