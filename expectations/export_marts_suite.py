"""The annual gate's expectations on the marts recomputed from the I-MILO exports.

mart_commune_year_recomputed and mart_outcomes_by_profile are published although they come from
individual records, so the gate checks that they disclose no small count (the dbt models
suppress them; the gate proves the result before it leaves the warehouse), and that what they
show adds up. mart_reconciliation stays in the warehouse: its differences are reported as
warnings (a report's figure is kept as printed, never "fixed"), never blocking.

Derived frames, one row per business rule's unit:

- recomputed_counts:     every visible count of mart_commune_year_recomputed, and of the
                         `<code>_recomputed` columns of mart_commune_year, in long form;
- recomputed_residuals:  per structure x count indicator with a visible total: the total, the sum
                         of the visible communes, what is left (residual), whether the mart
                         declares the indicator incomplete on the total row;
- outcome_counts:        every visible count of mart_outcomes_by_profile (youths, youths with
                         the outcome), in long form;
- outcome_residuals:     per structure x outcome x count with a visible total: the same residual;
- reconciliation:        mart_reconciliation's rows that compare two values.

Residual rule (both marts): total - visible cells is 0 or at least the threshold, so no hidden
cell can be recovered by subtraction; it is never negative (cells never exceed their total).
"""

from __future__ import annotations

from typing import Any

import great_expectations as gx
import pandas as pd

from expectations.gx_runner import FrameCheck

E = gx.expectations
DEFAULT_THRESHOLD = 5
OUTCOME_COUNTS = ["youths", "youths_with_outcome"]
RECONCILIATION_STATUSES = ["match", "mismatch", "published_only", "recomputed_only"]


def export_mart_checks(recomputed: pd.DataFrame, outcomes: pd.DataFrame, reconciliation: pd.DataFrame,
                       year: int, count_indicators: list[str],
                       commune_year: pd.DataFrame | None = None) -> list[FrameCheck]:
    """Expectations on one year of the export marts. `count_indicators`: the recomputed
    indicators that are counts (int_imilo_recomputed_indicators, unit 'count'); amounts are
    hidden with their beneficiaries' count and are not checked for small values.
    `commune_year`: mart_commune_year, whose `<code>_recomputed` columns are published too."""
    indicators = [code for code in count_indicators if code in recomputed.columns]
    threshold = _threshold(recomputed, outcomes)
    counts = _visible_counts(recomputed, ["structure_code", "commune_insee", "is_stated_total"], indicators)
    if commune_year is not None:
        copied = [f"{code}_recomputed" for code in count_indicators if f"{code}_recomputed" in commune_year.columns]
        counts = pd.concat([counts, _visible_counts(commune_year, ["structure_code", "commune_insee",
                                                                   "is_stated_total"], copied)],
                           ignore_index=True)
    outcome_counts = _visible_counts(outcomes, ["structure_code", "is_total", "sex", "age_band",
                                                "qualification_level", "outcome"], OUTCOME_COUNTS)
    return [
        FrameCheck("recomputed_counts", counts, [
            _e(E.ExpectColumnValuesToBeInSet(column="year", value_set=[year]),
               "recomputed_rows_of_the_year", f"every recomputed row is of year {year}"),
            _e(E.ExpectColumnValuesToBeBetween(column="value", min_value=threshold,
                                               row_condition="value != 0", condition_parser="pandas"),
               "recomputed_no_small_count",
               f"no visible recomputed count (mart_commune_year_recomputed, mart_commune_year's "
               f"<code>_recomputed columns) lies between 1 and {threshold - 1} (small counts are "
               "suppressed)"),
        ], id_columns=["structure_code", "commune_insee", "indicator"]),
        FrameCheck("recomputed_residuals", recomputed_residuals(recomputed, indicators), [
            *_residual_expectations("recomputed", threshold),
            _e(E.ExpectColumnPairValuesToBeEqual(column_A="has_residual", column_B="declared_incomplete"),
               "recomputed_incomplete_declared",
               "the total row lists in incomplete_indicators exactly the indicators whose visible "
               "communes do not add up to it"),
        ], id_columns=["structure_code", "indicator"]),
        FrameCheck("outcome_counts", outcome_counts, [
            _e(E.ExpectColumnValuesToBeInSet(column="year", value_set=[year]),
               "outcome_rows_of_the_year", f"every outcome row is of year {year}"),
            _e(E.ExpectColumnValuesToBeBetween(column="value", min_value=threshold,
                                               row_condition="value != 0", condition_parser="pandas"),
               "outcomes_no_small_count",
               f"no visible count of mart_outcomes_by_profile lies between 1 and {threshold - 1}"),
        ], id_columns=["structure_code", "sex", "age_band", "qualification_level", "outcome", "indicator"]),
        FrameCheck("mart_outcomes_by_profile", outcomes_frame(outcomes), [
            _e(E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="youths", column_B="youths_with_outcome",
                                                         or_equal=True, ignore_row_if="either_value_is_missing"),
               "outcomes_within_cohort", "a cell's youths with the outcome never exceed its youths"),
            _e(E.ExpectColumnValuesToBeBetween(column="outcome_rate", min_value=0, max_value=1),
               "outcome_rates_between_0_and_1", "every outcome rate lies between 0 and 1"),
        ], id_columns=["structure_code", "sex", "age_band", "qualification_level", "outcome"]),
        FrameCheck("outcome_residuals", outcome_residuals(outcomes), _residual_expectations("outcomes", threshold),
                   id_columns=["structure_code", "outcome", "indicator"]),
        FrameCheck("reconciliation", reconciliation_frame(reconciliation), [
            _e(E.ExpectColumnValuesToBeInSet(column="status", value_set=["match"],
                                             row_condition="compared == True", condition_parser="pandas"),
               "reconciliation_matches",
               "published figures that the exports recompute match them (a warning: the report's "
               "figure is kept as printed; see marts.mart_reconciliation)"),
        ], id_columns=["indicator_code", "structure_code", "commune_insee"], blocking=False),
    ]


def _residual_expectations(prefix: str, threshold: int) -> list[Any]:
    return [
        _e(E.ExpectColumnValuesToBeBetween(column="residual", min_value=0), f"{prefix}_cells_within_total",
           "visible cells never add up to more than their total"),
        _e(E.ExpectColumnValuesToBeBetween(column="residual", min_value=threshold,
                                           row_condition="residual != 0", condition_parser="pandas"),
           f"{prefix}_no_cell_recoverable",
           f"total - visible cells is 0 or at least {threshold}: no hidden cell can be recovered "
           "by subtraction"),
    ]


def _e(expectation: Any, name: str, description: str) -> Any:
    expectation.meta = {"name": name, "gate": "export_marts"}
    expectation.description = description
    return expectation


def _threshold(*marts: pd.DataFrame) -> int:
    """The suppression threshold the marts were built with (a column of each row)."""
    for mart in marts:
        if "suppression_threshold" in mart.columns and len(mart):
            return int(mart["suppression_threshold"].iloc[0])
    return DEFAULT_THRESHOLD


def _visible_counts(mart: pd.DataFrame, keys: list[str], counts: list[str]) -> pd.DataFrame:
    """The mart's visible (non-null) counts, one row per cell and count."""
    columns = ["year", *keys, "indicator", "value"]
    if mart.empty or not counts:
        return pd.DataFrame(columns=columns)
    long = mart.melt(id_vars=["year", *keys], value_vars=counts, var_name="indicator", value_name="value")
    long["value"] = pd.to_numeric(long["value"])
    return long.loc[long["value"].notna(), columns].reset_index(drop=True)


def _residuals(long: pd.DataFrame, group: list[str], total_column: str) -> pd.DataFrame:
    """Per group with a visible total: total, sum of visible cells, residual = total - sum."""
    is_total = long[total_column].astype(bool)
    totals = long[is_total].groupby(group, dropna=False)["value"].max().rename("total")
    visible = long[~is_total].groupby(group, dropna=False)["value"].sum().rename("visible_sum")
    frame = pd.concat([totals, visible], axis=1).reset_index()
    frame = frame[frame["total"].notna()]
    frame["visible_sum"] = frame["visible_sum"].fillna(0)
    frame["residual"] = frame["total"] - frame["visible_sum"]
    return frame.reset_index(drop=True)


def recomputed_residuals(recomputed: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Per structure x count indicator: residual, and whether the total row declares it."""
    columns = ["structure_code", "indicator", "total", "visible_sum", "residual", "has_residual",
               "declared_incomplete"]
    long = _visible_counts(recomputed, ["structure_code", "commune_insee", "is_stated_total"], indicators)
    if long.empty:
        return pd.DataFrame(columns=columns)
    frame = _residuals(long, ["structure_code", "indicator"], "is_stated_total")
    totals = recomputed[recomputed["is_stated_total"].astype(bool)]
    declared = (totals[["structure_code", "incomplete_indicators"]].explode("incomplete_indicators")
                .dropna().rename(columns={"incomplete_indicators": "indicator"}).assign(declared_incomplete=True))
    frame = frame.merge(declared, on=["structure_code", "indicator"], how="left")
    frame["declared_incomplete"] = frame["declared_incomplete"].astype("boolean").fillna(False).astype(bool)
    frame["has_residual"] = frame["residual"] != 0
    return frame[columns]


def outcome_residuals(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per structure x outcome x count (youths, youths with the outcome): the residual."""
    long = _visible_counts(outcomes, ["structure_code", "is_total", "outcome"], OUTCOME_COUNTS)
    if long.empty:
        return pd.DataFrame(columns=["structure_code", "outcome", "indicator", "total", "visible_sum", "residual"])
    return _residuals(long, ["structure_code", "outcome", "indicator"], "is_total")


def outcomes_frame(outcomes: pd.DataFrame) -> pd.DataFrame:
    columns = ["structure_code", "sex", "age_band", "qualification_level", "outcome", *OUTCOME_COUNTS,
               "outcome_rate"]
    frame = outcomes.reindex(columns=columns)
    for column in [*OUTCOME_COUNTS, "outcome_rate"]:
        frame[column] = pd.to_numeric(frame[column])
    return frame


def reconciliation_frame(reconciliation: pd.DataFrame) -> pd.DataFrame:
    """The rows that compare a published figure with a recomputed one (compared), the others
    kept for the record."""
    columns = ["indicator_code", "structure_code", "commune_insee", "published_value", "recomputed_value",
               "difference", "status"]
    frame = reconciliation.reindex(columns=columns).copy()
    frame["compared"] = frame["status"].isin(["match", "mismatch"])
    return frame
