"""Vectorised integer helpers of the generator: exact splits, bounded splits, ranks, draws.

Nothing here loops over rows: loops, where any, are over groups of a split's result or over a
fixed handful of passes.
"""

from __future__ import annotations

import numpy as np

I64 = np.int64


def largest_remainder(total: int, weights) -> np.ndarray:
    """`total` shared in proportion to `weights` in integers adding up exactly (largest
    remainders first, ties to the first); equal shares when every weight is zero."""
    w = np.asarray(weights, dtype=np.float64)
    out = np.zeros(len(w), dtype=I64)
    total = int(total)
    if total <= 0 or len(w) == 0:
        return out
    if w.sum() <= 0:
        w = np.ones(len(w))
    raw = total * w / w.sum()
    base = np.floor(raw).astype(I64)
    deficit = total - int(base.sum())
    if deficit > 0:
        order = np.argsort(-(raw - base), kind="stable")
        base[order[:deficit]] += 1
    return base


def group_split(totals, groups, weights, n_groups: int) -> np.ndarray:
    """Per item, its share of its group's total: each group's `totals[g]` split over the items
    of `groups == g` in proportion to `weights` (largest remainders), all groups at once."""
    totals = np.asarray(totals, dtype=I64)
    groups = np.asarray(groups, dtype=I64)
    w = np.asarray(weights, dtype=np.float64).copy()
    if len(groups) == 0:
        return np.zeros(0, dtype=I64)
    wsum = np.bincount(groups, w, minlength=n_groups)
    w[wsum[groups] <= 0] = 1.0
    wsum = np.bincount(groups, w, minlength=n_groups)
    raw = totals[groups] * w / wsum[groups]
    base = np.floor(raw).astype(I64)
    deficit = totals - np.bincount(groups, base, minlength=n_groups).astype(I64)
    order = np.lexsort((-(raw - base), groups))
    sorted_groups = groups[order]
    rank = np.arange(len(order)) - np.searchsorted(sorted_groups, sorted_groups, side="left")
    base[order[rank < deficit[sorted_groups]]] += 1
    return base


def bounded_split(total: int, low, high) -> tuple[np.ndarray, int]:
    """Integers in [low, high] adding up to `total`, spread in proportion to the room above `low`;
    `total` is first clamped to [sum(low), sum(high)]: returns (values, the total reached)."""
    low = np.asarray(low, dtype=I64)
    high = np.maximum(np.asarray(high, dtype=I64), low)
    reached = int(min(max(int(total), int(low.sum())), int(high.sum())))
    room = high - low
    return low + largest_remainder(reached - int(low.sum()), room), reached


def conform(counts, total: int) -> np.ndarray:
    """`counts` rescaled to add up to `total` (largest remainders); unchanged if they already do."""
    counts = np.asarray(counts, dtype=I64)
    if int(counts.sum()) == int(total):
        return counts.copy()
    return largest_remainder(total, counts if counts.sum() > 0 else np.ones(len(counts)))


def shuffled_codes(counts, rng: np.random.Generator) -> np.ndarray:
    """codes 0..k-1, `counts[i]` times each, in random order: any table with these margins is
    made by pairing two such arrays."""
    counts = np.asarray(counts, dtype=I64)
    return rng.permutation(np.repeat(np.arange(len(counts), dtype=I64), counts))


def rank_within(values: np.ndarray) -> np.ndarray:
    """For each item, how many items before it (in array order) have the same value."""
    values = np.asarray(values)
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    rank = np.empty(len(values), dtype=I64)
    first = np.searchsorted(sorted_values, sorted_values, side="left")
    rank[order] = np.arange(len(values)) - first
    return rank


def shuffle_within_groups(groups: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A permutation of the items that keeps each item within its group's positions, assuming
    items are sorted by group: `values[perm]` shuffles values inside each group."""
    groups = np.asarray(groups)
    return np.lexsort((rng.random(len(groups)), groups))


def counts_from_shares(shares, n: int) -> tuple[np.ndarray, bool]:
    """Counts adding up to `n` whose percentages, rounded half up, are `shares` (exact when
    possible: returns (counts, True)); else the closest proportional counts and False."""
    shares = np.asarray(shares, dtype=I64)
    n = int(n)
    if n <= 0:
        return np.zeros(len(shares), dtype=I64), bool((shares == 0).all()) or n == 0
    # round_half_up(100 c / n) == s  <=>  (2s - 1) n <= 200 c < (2s + 1) n
    low = np.maximum(-((-(2 * shares - 1) * n) // 200), 0)
    high = -((-(2 * shares + 1) * n) // 200) - 1
    if (low <= high).all() and low.sum() <= n <= high.sum():
        values, _ = bounded_split(n, low, high)
        return values, True
    return largest_remainder(n, np.maximum(shares, 0)), False


def percent_half_up(count, n) -> np.ndarray:
    """round_half_up(100 * count / n), exactly (integers)."""
    count = np.asarray(count, dtype=I64)
    return (200 * count + n) // (2 * n)


def uniform_days(low, high, rng: np.random.Generator) -> np.ndarray:
    """A day drawn uniformly in [low, high] (inclusive; high < low gives low), per item."""
    low = np.asarray(low, dtype=I64)
    high = np.maximum(np.asarray(high, dtype=I64), low)
    return low + np.floor(rng.random(len(low)) * (high - low + 1)).astype(I64)


def pick_weighted(groups_of_items, weights, n_per_group, n_groups: int,
                  rng: np.random.Generator) -> np.ndarray:
    """For each group g, `n_per_group[g]` draws (with replacement) among the items of group g in
    proportion to `weights`; returns the drawn item positions, grouped by g. A group asking for
    draws without items gives none (the caller checks)."""
    groups_of_items = np.asarray(groups_of_items, dtype=I64)
    n_per_group = np.asarray(n_per_group, dtype=I64).copy()
    order = np.argsort(groups_of_items, kind="stable")
    g_sorted = groups_of_items[order]
    w = np.asarray(weights, dtype=np.float64)[order]
    has = np.bincount(g_sorted, minlength=n_groups) > 0
    n_per_group[~has] = 0
    if n_per_group.sum() == 0 or len(order) == 0:
        return np.zeros(0, dtype=I64)
    wsum = np.bincount(g_sorted, w, minlength=n_groups)
    w = np.where(wsum[g_sorted] > 0, w, 1.0)
    wsum = np.bincount(g_sorted, w, minlength=n_groups)
    # cumulative weights normalised so that group g spans (g, g + 1]
    first = np.searchsorted(g_sorted, np.arange(n_groups), side="left")
    csum = np.cumsum(w)
    before = np.where(first > 0, csum[np.maximum(first - 1, 0)], 0.0)
    position = g_sorted + (csum - before[g_sorted]) / wsum[g_sorted]
    position[np.r_[g_sorted[1:] != g_sorted[:-1], True]] = g_sorted[
        np.r_[g_sorted[1:] != g_sorted[:-1], True]] + 1.0  # each group's last item ends it exactly
    draw_groups = np.repeat(np.arange(n_groups, dtype=I64), n_per_group)
    u = draw_groups + rng.random(len(draw_groups))
    picked = np.searchsorted(position, u, side="left")
    sizes = np.bincount(g_sorted, minlength=n_groups)
    picked = np.clip(picked, first[draw_groups], first[draw_groups] + sizes[draw_groups] - 1)
    return order[picked]
