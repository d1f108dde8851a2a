"""The figures of a synthetic report's breakdown tables.

The figures of an indicator come from one joint distribution over all the dimensions it is
printed by, so its tables agree with each other (the two new-registration cross-tabs share
their age totals; a profile by sex and one by qualification count the same people) and with
the commune tables where the report implies it (the sex x age grand total is the commune
table's "Total général" of new registrations). They are the expected answer of extraction.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from dataclasses import replace

from extractors.catalogue import load_catalogue, load_dimensions
from sample_inputs.breakdown_mappings import breakdown_specs, fine_codes
from sample_inputs.breakdowns import (
    COMMUNE,
    CROSS_TAB,
    NO_TOTAL,
    PROFILE_LINE,
    TOTAL_LINE,
    TOTAL_ROW_AND_COLUMN,
    BreakdownSpec,
    BreakdownTable,
    Key,
)


# The total of a breakdown is the total of a commune table when the report says so
# (e.g. every profile of the new registrations counts the new registrations)...
_TIED_TOTALS = {
    "new_registrations_profile": "new_registrations",
    "youths_interviewed_profile": "youths_interviewed",
    "training_entrants_profile": "training_entries",
    "cej_entrants_profile": "cej_entrants",
    "contacts_by_nature": "contacts",
    "employment_contracts_by_type": "employment_contracts",
}
# ... else a plausible multiple (low, high) of one ...
_RATIOS = {
    "employment_youths_profile": ("employment_contracts", 0.40, 0.50),  # youths <= contracts
    "training_actions": ("training_entries", 1.3, 1.6),
    "propositions": ("contacts", 0.6, 0.75),
    "cej_contacts_by_nature": ("cej_youths", 22.0, 30.0),
    "cej_measures": ("cej_youths", 1.5, 1.9),
}
# ... else a level of its own (the default for entries added to the mappings later).
_LEVELS = {"mentoring_youths": 58}
_DEFAULT_LEVEL = 300
# Categories whose sum is the total of a commune-table column: (dimension, codes, indicator).
_PINNED = {
    "contacts_by_nature": ("contact_nature", ("individual_interview", "group_session"),
                           "contacts_interviews"),
    "employment_contracts_by_type": ("contract_type", ("alternance",), "alternance_contracts"),
}
_CODE_WEIGHTS = {
    ("age_band", "16_17"): 0.5, ("age_band", "18_21"): 1.6, ("age_band", "26_plus"): 0.12,
    ("qualification_level", "above_bac"): 0.4, ("qualification_level", "no_diploma"): 1.8,
    ("housing", "with_parents"): 2.0, ("housing", "precarious"): 0.7,
    ("contract_type", "fixed_term"): 2.0, ("contract_type", "temporary_seasonal"): 1.5,
    ("contract_type", "permanent"): 0.4, ("contract_type", "subsidised"): 0.06,
    ("contract_type", "self_employed"): 0.03, ("contact_nature", "other"): 0.3,
    ("situation_type", "employment"): 3.0, ("situation_type", "civic_service"): 0.1,
    ("situation_type", "other"): 0.1, ("situation_type", "alternance"): 0.3,
}


def generate_breakdowns(year: int, seed: int, communes: Iterable[tuple[str, str, int]],
                        commune_totals: dict[str, int]) -> tuple[BreakdownTable, ...]:
    """The breakdown tables of an edition; deterministic in (year, seed), and drawn from their
    own random stream so that the commune tables stay what they were."""
    rng = random.Random(f"ml-mno-sample-breakdowns:{seed}:{year}")
    communes = tuple(communes)
    specs = breakdown_specs(year, communes)
    populations = {insee: population for insee, _, population in communes}
    catalogue = load_catalogue()
    tables: list[BreakdownTable] = []
    for indicator in dict.fromkeys(spec.indicator for spec in specs):
        group = [spec for spec in specs if spec.indicator == indicator]
        total = _indicator_total(indicator, catalogue[indicator].unit, commune_totals, rng)
        pinned = _PINNED.get(indicator)
        dims = list(dict.fromkeys(d for spec in group for d in spec.dimensions))
        if pinned and pinned[0] in dims:  # the pinned dimension is split first, exactly
            dims.remove(pinned[0])
            dims.insert(0, pinned[0])
        codes = {d: tuple(populations) if d == COMMUNE else fine_codes(d) for d in dims}
        weights = {d: {code: (populations[code] if d == COMMUNE else _CODE_WEIGHTS.get((d, code), 1.0))
                       * rng.uniform(0.5, 1.5) for code in codes[d]} for d in dims}
        pin = (pinned[1], commune_totals[pinned[2]]) if pinned and pinned[0] in dims else None
        joint = _joint(total, dims, codes, weights, pin, rng)
        tables.extend(_table(spec, dims, joint) for spec in group)
    return tuple(tables)


def _indicator_total(indicator: str, unit: str, commune_totals: dict[str, int],
                     rng: random.Random) -> int:
    if unit == "percent":
        return 100
    if indicator in _TIED_TOTALS:
        return commune_totals[_TIED_TOTALS[indicator]]
    if indicator in _RATIOS:
        base, low, high = _RATIOS[indicator]
        return round(commune_totals[base] * rng.uniform(low, high))
    return round(_LEVELS.get(indicator, _DEFAULT_LEVEL) * rng.uniform(0.88, 1.12))


def split(total: int, weights: list[float]) -> list[int]:
    """`total` shared in proportion to `weights`, in integers that add up exactly (largest
    remainders first, ties to the first)."""
    if total == 0 or not weights:
        return [0] * len(weights)
    scale = sum(weights)
    raw = [total * weight / scale for weight in weights]
    shares = [math.floor(value) for value in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for index in by_remainder[:total - sum(shares)]:
        shares[index] += 1
    return shares


def _joint(total: int, dims: list[str], codes: dict[str, tuple[str, ...]],
           weights: dict[str, dict[str, float]], pin: tuple[tuple[str, ...], int] | None,
           rng: random.Random) -> dict[tuple[str, ...], int]:
    """Counts over every combination of fine codes, adding up to `total`: split along the
    first dimension (its pinned codes, if any, getting exactly their sum), then each part along
    the next dimension with slightly varied weights, so the dimensions are not independent."""
    first = dims[0]
    first_codes = codes[first]
    if pin is not None:  # (codes, the exact sum they must get)
        pinned = [code for code in first_codes if code in pin[0]]
        others = [code for code in first_codes if code not in pin[0]]
        amounts = dict(zip(pinned, split(pin[1], [weights[first][c] for c in pinned])))
        amounts |= dict(zip(others, split(total - pin[1], [weights[first][c] for c in others])))
        counts = {(code,): amounts[code] for code in first_codes}
    else:
        counts = {(code,): value for code, value in
                  zip(first_codes, split(total, [weights[first][c] for c in first_codes]))}
    for dimension in dims[1:]:
        deeper = {}
        for prefix, amount in counts.items():
            parts = split(amount, [weights[dimension][c] * rng.uniform(0.7, 1.3)
                                   for c in codes[dimension]])
            deeper |= {prefix + (code,): part for code, part in zip(codes[dimension], parts)}
        counts = deeper
    return counts


def _table(spec: BreakdownSpec, dims: list[str], joint: dict[tuple[str, ...], int]) -> BreakdownTable:
    """The spec's cells (the joint summed onto its dimensions, fine codes grouped into its
    coarse ones) and the totals its layout prints."""
    positions = [dims.index(dimension) for dimension in spec.dimensions]
    printed_as = []
    for dimension, codes in zip(spec.dimensions, spec.codes):
        covers = {} if dimension == COMMUNE else load_dimensions()[dimension].covers
        printed_as.append({fine: code for code in codes for fine in covers.get(code, (code,))})
    grid: dict[tuple[str, ...], int] = {}
    for index in _product(spec.codes):
        grid[index] = 0
    for combination, value in joint.items():
        index = tuple(mapping[combination[p]] for mapping, p in zip(printed_as, positions))
        grid[index] += value
    if spec.kind == PROFILE_LINE and spec.total == NO_TOTAL and spec.unit == "count" \
            and max(grid.values()) >= 1000:  # "1 146 515 ..." needs a total to be read
        spec = replace(spec, total=TOTAL_LINE)
    table = BreakdownTable(spec, grid, {})
    return replace(table, totals=_stated_totals(table))


def _product(codes: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    combinations: list[tuple[str, ...]] = [()]
    for dimension_codes in codes:
        combinations = [prefix + (code,) for prefix in combinations for code in dimension_codes]
    return combinations


def _stated_totals(table: BreakdownTable) -> dict[Key, int]:
    spec = table.spec
    if spec.total == NO_TOTAL:
        return {}
    if spec.kind != CROSS_TAB:
        return {(): table.total}
    rows, columns = spec.dimensions
    totals = {spec.key({columns: code}): value for code, value in table.marginal(columns).items()}
    if spec.total == TOTAL_ROW_AND_COLUMN:
        totals |= {spec.key({rows: code}): value for code, value in table.marginal(rows).items()}
        totals[()] = table.total
    return totals
