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
    """(indicator, table, which total, sum of the cells it covers, stated value, flagged).

    A total covers the cells of its table that share each dimension code it sets (a row total
    sets the row's code, the grand total none); a total that covers no printed cell has no row."""
    columns = ["indicator_code", "table_ref", "total_of", "sum_of_cells", "stated_total", "flagged_inconsistent"]
    dimensions = [c for c in mart.columns if c not in NOT_DIMENSIONS] + ["commune_insee"]
    is_total = mart["is_stated_total"].fillna(False).astype(bool)
    totals = mart[is_total].reset_index(drop=True).rename_axis("total_id").reset_index()
    if totals.empty:
        return pd.DataFrame(columns=columns)
    cells = mart.loc[~is_total, ["indicator_code", "table_ref", "value", *dimensions]]
    pairs = totals[["total_id", "indicator_code", "table_ref", *dimensions]].merge(
        cells, on=["indicator_code", "table_ref"], suffixes=("", "_cell"))
    covered = pd.Series(True, index=pairs.index)
    for dimension in dimensions:  # a loop over the dimensions (columns), not over rows
        covered &= pairs[dimension].isna() | (pairs[dimension] == pairs[f"{dimension}_cell"]).fillna(False)
    sums = pairs[covered].groupby("total_id")["value"].sum().rename("sum_of_cells")
    kept = (totals.melt(id_vars=["total_id"], value_vars=dimensions, var_name="dimension", value_name="code")
            .dropna(subset=["code"]).sort_values(["total_id", "dimension"]))
    total_of = (kept["dimension"] + "=" + kept["code"].astype(str)).groupby(kept["total_id"]).agg(",".join)
    frame = totals.join(sums, on="total_id", how="inner").join(total_of.rename("total_of"), on="total_id")
    frame["total_of"] = frame["total_of"].fillna("all")
    frame["stated_total"] = frame["value"].astype(float)
    frame["sum_of_cells"] = frame["sum_of_cells"].astype(float)
    frame["flagged_inconsistent"] = (frame["flags"].explode().eq("source_total_mismatch")
                                     .groupby(level=0).any().astype(bool))
    return frame.sort_values(["indicator_code", "table_ref", "total_id"]).reindex(columns=columns).reset_index(drop=True)
