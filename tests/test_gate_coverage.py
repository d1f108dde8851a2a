"""The gate says what it had to check: rows per mart, `empty` for a mart without rows, and a
year with no rows in any mart fails (`year_has_rows`) instead of passing vacuously."""

from __future__ import annotations

import pandas as pd

from expectations import GateResult
from expectations.gx_runner import run_frame_check
from expectations.mart_coverage import coverage_check, mart_coverage


def _marts(rows_by_mart: dict[str, int]) -> dict[str, pd.DataFrame]:
    return {name: pd.DataFrame({"year": [2017] * rows}) for name, rows in rows_by_mart.items()}


def test_a_year_with_no_rows_in_any_mart_fails_the_gate():
    frames = _marts({"mart_commune_year": 0, "mart_programme_year": 0})
    [record] = run_frame_check(coverage_check(frames, 2017))
    assert record["name"] == "year_has_rows" and not record["success"] and record["blocking"]
    result = GateResult(passed=False, year=2017, expectations=[record], marts=mart_coverage(frames))
    assert "gate FAILED" in result.summary() and "Rows checked: none." in result.summary()


def test_an_empty_mart_is_reported_empty_not_passed_silently():
    frames = _marts({"mart_commune_year": 0, "mart_programme_year": 28})
    [record] = run_frame_check(coverage_check(frames, 2017))
    assert record["success"]
    coverage = mart_coverage(frames)
    assert coverage == {"mart_commune_year": {"rows": 0, "status": "empty"},
                        "mart_programme_year": {"rows": 28, "status": "checked"}}
    summary = GateResult(passed=True, year=2017, expectations=[record], marts=coverage).summary()
    assert summary.splitlines()[1] == ("Rows checked: mart_programme_year 28. "
                                       "EMPTY, nothing checked: mart_commune_year.")
