"""The annual gate's expectations on mart_breakdown_year (profiles, contacts by nature, ...).

The mart holds one row per printed figure; its business rules become plain columns through
one derived frame:

- breakdown_totals: one row per stated total of a breakdown table (a cross-tab's row, column
  or grand total; a list's "Total"): the sum of the cells of the same table that it covers,
  the stated value, and whether the source's own total was flagged inconsistent.
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
import pandas as pd

from expectations.gx_runner import FrameCheck

E = gx.expectations
GATE = "mart_breakdown_year"
# Columns of the mart that are not a dimension.
NOT_DIMENSIONS = {"fact_id", "year", "structure_code", "indicator_code", "unit", "commune_insee",
                  "is_stated_total", "value", "flags", "table_ref"}


def breakdown_checks(mart: pd.DataFrame, year: int) -> list[FrameCheck]:
    """Expectations on one year of mart_breakdown_year."""
    percents = mart.loc[mart["unit"] == "percent", ["indicator_code", "table_ref", "value"]]
    return [
        FrameCheck(GATE, mart[["year", "indicator_code", "table_ref", "value"]], [
            _e(E.ExpectColumnValuesToBeInSet(column="year", value_set=[year]),
               "breakdown_rows_of_the_year", f"every breakdown row is of year {year}"),
            _e(E.ExpectColumnValuesToNotBeNull(column="value"), "breakdown_values_present",
               "every breakdown figure has a value"),
            _e(E.ExpectColumnValuesToBeBetween(column="value", min_value=0),
               "breakdown_values_non_negative", "no breakdown figure is negative"),
        ], id_columns=["indicator_code", "table_ref"]),
        FrameCheck("breakdown_percents", percents.reset_index(drop=True), [
            _e(E.ExpectColumnValuesToBeBetween(column="value", min_value=0, max_value=100),
               "percents_within_0_100", "every printed share lies between 0 and 100 %"),
        ], id_columns=["indicator_code", "table_ref"]),
        FrameCheck("breakdown_totals", totals_frame(mart), [
            _e(E.ExpectColumnPairValuesToBeEqual(column_A="sum_of_cells", column_B="stated_total",
                                                 row_condition="flagged_inconsistent == False",
                                                 condition_parser="pandas"),
               "breakdown_cells_add_up_to_totals",
               "the cells of a breakdown table add up to each stated total that covers them, "
               "unless the source's own total is flagged source_total_mismatch"),
        ], id_columns=["indicator_code", "table_ref", "total_of"]),
    ]


def _e(expectation: Any, name: str, description: str) -> Any:
    expectation.meta = {"name": name, "gate": GATE}
    expectation.description = description
    return expectation


def totals_frame(mart: pd.DataFrame) -> pd.DataFrame:
    """(indicator, table, which total, sum of the cells it covers, stated value, flagged)."""
    dimensions = [c for c in mart.columns if c not in NOT_DIMENSIONS] + ["commune_insee"]
    rows = []
    for (indicator, table), figures in mart.groupby(["indicator_code", "table_ref"]):
        is_total = figures["is_stated_total"].fillna(False).astype(bool)
        cells, totals = figures[~is_total], figures[is_total]
        for _, total in totals.iterrows():
            kept = {d: total[d] for d in dimensions if pd.notna(total[d])}
            covered = cells
            for dimension, code in kept.items():
                covered = covered[covered[dimension] == code]
            if covered.empty:
                continue  # a total over cells the table does not print
            rows.append({
                "indicator_code": indicator, "table_ref": table,
                "total_of": ",".join(f"{d}={c}" for d, c in sorted(kept.items())) or "all",
                "sum_of_cells": float(covered["value"].sum()),
                "stated_total": float(total["value"]),
                "flagged_inconsistent": "source_total_mismatch" in set(_flags(total["flags"])),
            })
    return pd.DataFrame(rows, columns=["indicator_code", "table_ref", "total_of", "sum_of_cells",
                                       "stated_total", "flagged_inconsistent"])


def _flags(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    return [str(flag) for flag in value]
