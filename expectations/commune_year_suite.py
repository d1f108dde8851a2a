"""The annual gate of mart_commune_year: which expectations, on which frame, and why.

The mart of one year is checked as is (rows, communes, non-negative counts) and through
small derived frames that make the business rules plain columns GX can check:

- structures:          one row per structure: how many commune rows and stated-total rows;
- expected_indicators: one row per (structure, indicator the catalogue expects this year),
                       with its value on the stated-total row;
- totals:              one row per (structure, indicator): sum of the commune rows, stated
                       total, and whether the source's own total was flagged inconsistent;
- extraction_errors:   the extraction issues of severity 'error' for the year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd

from expectations.breakdown_year_suite import breakdown_checks
from expectations.gx_runner import FrameCheck, run_frame_check
from expectations.mart_coverage import coverage_line
from expectations.withheld import strict_gate
from extractors.catalogue import load_catalogue

REPORT_KIND = "ml_activity_report"
# The frames checked in a year without an activity report.
NO_REPORT_FRAMES = {"mart_commune_year", "extraction_errors"}
COMMUNES_FILE = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference" / "ref_communes.csv"
ID_COLUMNS = ["structure_code", "commune_insee", "commune_name"]
ISSUE_COLUMNS = ["document_path", "severity", "reason", "page", "line", "text", "year", "structure_code"]
E = gx.expectations


@dataclass
class GateResult:
    """Outcome of the gate for one year; `expectations` is stored as JSON by the caller."""

    passed: bool
    year: int
    expectations: list[dict]
    # mart -> {"rows", "status"}: what there was to check (expectations.mart_coverage)
    marts: dict[str, dict] | None = None

    def summary(self) -> str:
        """Human readable: the verdict, then each failed expectation with what was observed
        (failed warnings last: they do not block the year)."""
        failed = [e for e in self.expectations if not e["success"] and is_blocking(e)]
        warnings = [e for e in self.expectations if not e["success"] and not is_blocking(e)]
        if not failed:
            lines = [f"mart_commune_year {self.year}: gate PASSED ({len(self.expectations)} expectations)."]
        else:
            lines = [f"mart_commune_year {self.year}: gate FAILED, "
                     f"{len(failed)} of {len(self.expectations)} expectations failed:"]
        if self.marts is not None:
            lines.append(coverage_line(self.marts))
        lines += [_failure_line(e) for e in failed]
        if warnings:
            lines.append(f"{len(warnings)} warning(s), not blocking:")
            lines += [_failure_line(e) for e in warnings]
        return "\n".join(lines)


def is_blocking(expectation: dict) -> bool:
    """Whether a failure of this expectation record blocks the year (records without the key,
    written before warnings existed, always did)."""
    return bool(expectation.get("blocking", True))


def gate_passed(expectations: list[dict]) -> bool:
    return all(e["success"] or not is_blocking(e) for e in expectations)


def _failure_line(e: dict) -> str:
    evidence = [f"{key}={e[key]}" for key in
                ("observed_value", "unexpected_count", "partial_missing_list", "unexpected_examples", "error")
                if key in e]
    return f"- {e['name']}: {e['description']} ({'; '.join(evidence)})"


@cache
def known_communes() -> frozenset[str]:
    """INSEE codes of the reference communes (the dbt seed)."""
    return frozenset(pd.read_csv(COMMUNES_FILE, dtype=str)["code_insee"])


def commune_indicators() -> list[str]:
    """Codes of the catalogue's commune-grain indicators: the mart's indicator columns."""
    return [code for code, ind in load_catalogue().items() if ind.grain == "commune"]


def expected_indicators(year: int) -> list[str]:
    """Commune-grain indicators an activity report of `year` must publish."""
    catalogue = load_catalogue()
    return [code for code in commune_indicators() if catalogue[code].expected_in(REPORT_KIND, year)]


def run_commune_year_gate(mart: pd.DataFrame, issues: pd.DataFrame, year: int,
                          breakdowns: pd.DataFrame | None = None,
                          expects_activity_report: bool = True,
                          extra_checks: Sequence[FrameCheck] = (),
                          withheld_cells: pd.DataFrame | None = None) -> GateResult:
    """Run every expectation of the gate on one year of the mart and its extraction issues,
    on the year's mart_breakdown_year when given (a release publishes both), and the
    `extra_checks` of the year's other marts (export_marts_suite).

    A year that no Mission Locale activity report covers (a guide's 2017 results, say) has no
    commune rows to expect: only the checks on the rows it has and on extraction errors run.
    `withheld_cells` (structure_code, indicator, value): commune cells kept out of the mart until
    a reviewer settles them (unknown labels); the stated totals still count them."""
    checks = gate_checks(mart, issues, year, withheld_cells)
    if not expects_activity_report:
        checks = [check for check in checks if check.frame_name in NO_REPORT_FRAMES]
    if breakdowns is not None:
        checks += breakdown_checks(breakdowns, year)
    checks += list(extra_checks)
    records = [record for check in checks for record in run_frame_check(check)]
    return GateResult(passed=gate_passed(records), year=year, expectations=records)


# --- the suite ---------------------------------------------------------------------------

def gate_checks(mart: pd.DataFrame, issues: pd.DataFrame, year: int,
                withheld_cells: pd.DataFrame | None = None) -> list[FrameCheck]:
    """The gate: every expectation, grouped by the frame it runs on."""
    indicators = [code for code in commune_indicators() if code in mart.columns]
    mart_checked = mart[[c for c in ["year", *ID_COLUMNS, "is_stated_total", *indicators] if c in mart.columns]]
    return [
        FrameCheck("structures", structures_frame(mart), [
            _e(E.ExpectTableRowCountToBeBetween(min_value=1), "mart_has_rows",
               f"the mart has rows for {year}"),
            _e(E.ExpectColumnValuesToBeBetween(column="commune_rows", min_value=1), "has_commune_rows",
               "each structure has at least one commune row"),
            _e(E.ExpectColumnValuesToBeBetween(column="total_rows", min_value=1, max_value=1), "has_stated_total_row",
               "each structure has exactly one stated-total row"),
        ], id_columns=["structure_code"]),
        FrameCheck("mart_commune_year", mart_checked, [
            _e(E.ExpectColumnValuesToBeInSet(column="year", value_set=[year]), "rows_of_the_year",
               f"every row is of year {year}"),
            *[_e(E.ExpectColumnValuesToBeBetween(column=code, min_value=0), f"non_negative[{code}]",
                 f"'{code}' is never negative (null = not extracted)") for code in indicators],
        ], id_columns=["structure_code", "commune_name"]),
        FrameCheck("commune_rows", commune_rows(mart), [
            _e(E.ExpectColumnValuesToNotBeNull(column="commune_insee"), "commune_insee_not_null",
               "every commune row has an INSEE code"),
            _e(E.ExpectColumnValuesToBeInSet(column="commune_insee", value_set=sorted(known_communes())),
               "commune_insee_known", "every commune row is a commune of the reference (ref_communes)"),
            _e(E.ExpectCompoundColumnsToBeUnique(column_list=["structure_code", "commune_insee"]),
               "commune_rows_unique", "one row per structure and commune"),
        ], id_columns=["structure_code", "commune_name"]),
        FrameCheck("expected_indicators", expected_indicators_frame(mart, year), [
            _e(E.ExpectColumnValuesToNotBeNull(column="stated_total"), "expected_indicators_present",
               f"every indicator the catalogue expects in a {year} activity report has a stated total"),
        ], id_columns=["structure_code", "indicator"]),
        FrameCheck("totals", totals_frame(mart, indicators, withheld_cells), [
            _e(E.ExpectColumnPairValuesToBeEqual(column_A="sum_of_communes", column_B="stated_total",
                                                 row_condition="flagged_inconsistent == False",
                                                 condition_parser="pandas"),
               "communes_add_up_to_total",
               "commune rows (published and withheld for review) add up to the stated total, unless "
               "the source's own total is flagged in inconsistent_indicators (source_total_mismatch)"),
        ], id_columns=["structure_code", "indicator"]),
        FrameCheck("extraction_errors", extraction_errors(issues, year), [
            _e(E.ExpectTableRowCountToEqual(value=0), "no_extraction_error",
               f"no extraction issue of severity 'error' for {year} (a table not extracted, an unknown "
               "commune...): its cells are withheld, the year's certain figures published; blocking "
               "only under the strict gate (expectations/withheld.py)"),
        ], rows_are_unexpected=True, blocking=strict_gate()),
    ]


def _e(expectation: Any, name: str, description: str) -> Any:
    """Name an expectation (its `meta`) and say what it guarantees."""
    expectation.meta = {"name": name, "gate": "mart_commune_year"}
    expectation.description = description
    return expectation


# --- derived frames ----------------------------------------------------------------------

def _is_total(mart: pd.DataFrame) -> pd.Series:
    return mart["is_stated_total"].fillna(False).astype(bool)


def commune_rows(mart: pd.DataFrame) -> pd.DataFrame:
    return mart.loc[~_is_total(mart), ["structure_code", "commune_insee", "commune_name"]].reset_index(drop=True)


def structures_frame(mart: pd.DataFrame) -> pd.DataFrame:
    """Per structure: number of commune rows and of stated-total rows."""
    kinds = pd.DataFrame({"structure_code": mart["structure_code"], "is_total": _is_total(mart)})
    frame = kinds.groupby("structure_code").agg(
        commune_rows=("is_total", lambda s: int((~s).sum())),
        total_rows=("is_total", lambda s: int(s.sum())),
    )
    return frame.reset_index()


def expected_indicators_frame(mart: pd.DataFrame, year: int) -> pd.DataFrame:
    """(structure, expected indicator, value on its stated-total row; None if missing)."""
    codes = expected_indicators(year)
    structures = mart.loc[_is_total(mart), ["structure_code"]].drop_duplicates()
    expected = structures.merge(pd.DataFrame({"indicator": pd.Series(codes, dtype="str")}), how="cross")
    stated = _long(mart[_is_total(mart)], [c for c in codes if c in mart.columns], "stated_total")
    stated = stated.drop_duplicates(["structure_code", "indicator"])
    return expected.merge(stated, on=["structure_code", "indicator"], how="left").reindex(
        columns=["structure_code", "indicator", "stated_total"])


def totals_frame(mart: pd.DataFrame, indicators: list[str],
                 withheld_cells: pd.DataFrame | None = None) -> pd.DataFrame:
    """(structure, indicator, sum of its commune rows, stated total, flagged inconsistent).
    The sum counts the withheld cells too (structure_code, indicator, value: rows whose label a
    reviewer has yet to map), as the printed total does.
    A structure without a stated-total row has no row here (has_stated_total_row reports it)."""
    columns = ["structure_code", "indicator", "sum_of_communes", "stated_total", "flagged_inconsistent"]
    is_total = _is_total(mart)
    totals = mart[is_total].drop_duplicates("structure_code")  # the first one, as printed
    stated = _long(totals, indicators, "stated_total")
    cells = _long(mart[~is_total], indicators, "value")
    if withheld_cells is not None and len(withheld_cells):
        cells = pd.concat([cells, withheld_cells.reindex(columns=cells.columns).astype(cells.dtypes.to_dict())],
                          ignore_index=True)
    sums = (cells
            .groupby(["structure_code", "indicator"], sort=False)["value"].sum(min_count=1)
            .rename("sum_of_communes").reset_index())
    flagged = (totals.reindex(columns=["structure_code", "inconsistent_indicators"])
               .explode("inconsistent_indicators").dropna()
               .rename(columns={"inconsistent_indicators": "indicator"})
               .astype({"indicator": "str"}).drop_duplicates().assign(flagged_inconsistent=True))
    frame = (stated.merge(sums, on=["structure_code", "indicator"], how="left")
             .merge(flagged, on=["structure_code", "indicator"], how="left"))
    frame["flagged_inconsistent"] = frame["flagged_inconsistent"].astype("boolean").fillna(False).astype(bool)
    return frame.sort_values("structure_code", kind="stable").reindex(columns=columns).reset_index(drop=True)


def _long(mart: pd.DataFrame, indicators: list[str], value_name: str) -> pd.DataFrame:
    """(structure, indicator, value as a float) for every row of `mart` and indicator, in the
    indicators' order."""
    long = mart.melt(id_vars=["structure_code"], value_vars=indicators, var_name="indicator",
                     value_name=value_name)
    long[value_name] = pd.to_numeric(long[value_name]).astype("float64")
    return long.astype({"indicator": "str"})


def extraction_errors(issues: pd.DataFrame, year: int) -> pd.DataFrame:
    """Extraction issues of severity 'error' for the year."""
    issues = issues.reindex(columns=ISSUE_COLUMNS)
    is_error = issues["severity"].astype("string").str.lower().eq("error").fillna(False).astype(bool)
    of_year = pd.to_numeric(issues["year"], errors="coerce").eq(year).fillna(False).astype(bool)
    return issues[is_error & of_year].reset_index(drop=True)


def _number(value: Any) -> float | None:
    """A count as a float for comparison, None when absent (NULL / NaN / NA)."""
    return None if value is None or pd.isna(value) else float(value)
