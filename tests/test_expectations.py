"""The annual gate of mart_commune_year, run for real through Great Expectations."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from expectations import GateResult, run_commune_year_gate
from expectations.commune_year_suite import commune_indicators

YEAR = 2023
STRUCTURE = "59386S00"
COMMUNES = {
    "59328": "Lambersart", "59356": "Lompret", "59368": "La Madeleine", "59378": "Marcq-en-Barœul",
    "59386": "Marquette-lez-Lille", "59457": "Pérenchies", "59482": "Quesnoy-sur-Deûle",
    "59527": "Saint-André-lez-Lille", "59611": "Verlinghem", "59636": "Wambrechies",
}
INDICATORS = commune_indicators()


def make_mart(year: int = YEAR) -> pd.DataFrame:
    """A consistent year: 10 communes and their stated total, one column per indicator."""
    rows = [
        {"year": year, "structure_code": STRUCTURE, "commune_insee": insee, "commune_name": name,
         "is_stated_total": False,
         **{code: 10 * (i + 1) + j for j, code in enumerate(INDICATORS)},
         "inconsistent_indicators": []}
        for i, (insee, name) in enumerate(COMMUNES.items())
    ]
    total = {"year": year, "structure_code": STRUCTURE, "commune_insee": None, "commune_name": "Total",
             "is_stated_total": True,
             **{code: sum(r[code] for r in rows) for code in INDICATORS},
             "inconsistent_indicators": []}
    mart = pd.DataFrame([*rows, total])
    for code in INDICATORS:
        mart[code] = mart[code].astype("Int64")
    return mart


def make_issues(*issues: dict) -> pd.DataFrame:
    base = {"document_path": f"ml_mno_rapport_activite_{YEAR}.txt", "severity": "warning",
            "reason": "unparsed_line", "page": 12, "line": 340, "text": "…", "year": YEAR,
            "structure_code": STRUCTURE}
    columns = list(base)
    return pd.DataFrame([{**base, **issue} for issue in issues], columns=columns)


def failed(result: GateResult) -> set[str]:
    return {e["name"] for e in result.expectations if not e["success"]}


def total_row(mart: pd.DataFrame) -> int:
    return mart.index[mart["is_stated_total"]][0]


def test_a_consistent_year_passes() -> None:
    result = run_commune_year_gate(make_mart(), make_issues(), YEAR)
    assert result.passed, result.summary()
    assert result.year == YEAR
    assert "PASSED" in result.summary()
    json.dumps(result.expectations)  # stored as JSON by the orchestration
    names = {e["name"] for e in result.expectations}
    assert {"has_commune_rows", "has_stated_total_row", "commune_insee_known", "expected_indicators_present",
            "communes_add_up_to_total", "no_extraction_error"} <= names
    assert {f"non_negative[{code}]" for code in INDICATORS} <= names


def test_a_negative_count_fails() -> None:
    mart = make_mart()
    original = mart.loc[0, "contacts"]
    mart.loc[0, "contacts"] = -3
    mart.loc[total_row(mart), "contacts"] -= original + 3  # keep it adding up
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert not result.passed
    assert failed(result) == {"non_negative[contacts]"}
    assert "non_negative[contacts]" in result.summary() and "Lambersart" in result.summary()


def test_an_unknown_commune_fails() -> None:
    mart = make_mart()
    mart.loc[1, "commune_insee"] = "99999"
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert failed(result) == {"commune_insee_known"}
    assert "99999" in result.summary()


def test_a_commune_row_without_insee_fails() -> None:
    mart = make_mart()
    mart.loc[1, "commune_insee"] = None
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert "commune_insee_not_null" in failed(result)


def test_a_missing_expected_indicator_fails() -> None:
    mart = make_mart()
    mart["cej_entrants"] = pd.NA  # not extracted at all this year
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert failed(result) == {"expected_indicators_present"}
    assert "cej_entrants" in result.summary()


def test_an_indicator_column_absent_from_the_mart_fails() -> None:
    result = run_commune_year_gate(make_mart().drop(columns=["pmsmp_periods"]), make_issues(), YEAR)
    assert failed(result) == {"expected_indicators_present"}
    assert "pmsmp_periods" in result.summary()


def test_an_indicator_not_yet_expected_may_be_missing() -> None:
    mart = make_mart(2018)  # before every indicator's first_year
    mart["cej_entrants"] = pd.NA
    result = run_commune_year_gate(mart, make_issues(), 2018)
    assert result.passed, result.summary()


def test_communes_not_adding_up_fail() -> None:
    mart = make_mart()
    mart.loc[total_row(mart), "training_entries"] += 7
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert failed(result) == {"communes_add_up_to_total"}
    assert "training_entries" in result.summary()


def test_the_same_mismatch_passes_when_flagged_by_the_source() -> None:
    mart = make_mart()
    mart.loc[total_row(mart), "training_entries"] += 7
    mart.at[total_row(mart), "inconsistent_indicators"] = ["training_entries"]
    result = run_commune_year_gate(mart, make_issues(), YEAR)
    assert result.passed, result.summary()


def test_a_flag_does_not_excuse_another_indicator() -> None:
    mart = make_mart()
    mart.loc[total_row(mart), "training_entries"] += 7
    mart.at[total_row(mart), "inconsistent_indicators"] = ["contacts"]
    assert failed(run_commune_year_gate(mart, make_issues(), YEAR)) == {"communes_add_up_to_total"}


def test_a_year_without_total_row_fails() -> None:
    mart = make_mart()
    result = run_commune_year_gate(mart[~mart["is_stated_total"]], make_issues(), YEAR)
    assert "has_stated_total_row" in failed(result)


def test_an_empty_mart_fails() -> None:
    result = run_commune_year_gate(make_mart().iloc[0:0], make_issues(), YEAR)
    assert "mart_has_rows" in failed(result)


def test_an_extraction_error_of_the_year_is_withheld_and_blocks_only_under_the_strict_gate(monkeypatch) -> None:
    issues = make_issues({"severity": "error", "reason": "unknown_commune", "text": "Hellemmes-Ville 12 4"})
    result = run_commune_year_gate(make_mart(), issues, YEAR)
    assert failed(result) == {"no_extraction_error"} and result.passed
    assert "unknown_commune" in result.summary() and "not blocking" in result.summary()
    monkeypatch.setenv("MLW_STRICT_GATE", "1")
    strict = run_commune_year_gate(make_mart(), issues, YEAR)
    assert failed(strict) == {"no_extraction_error"} and not strict.passed


@pytest.mark.parametrize("issue", [
    {"severity": "error", "year": YEAR - 1},  # another year's problem
    {"severity": "warning"},
])
def test_other_issues_do_not_fail(issue: dict) -> None:
    result = run_commune_year_gate(make_mart(), make_issues(issue), YEAR)
    assert result.passed, result.summary()


# --- mart_breakdown_year ------------------------------------------------------------------

def make_breakdowns(grand_total: float = 30.0, flags: tuple[str, ...] = ()) -> pd.DataFrame:
    """A sex x age cross-tab (cells, row totals, grand total) and a percent list."""
    rows = []

    def row(indicator, table, value, unit="count", total=False, row_flags=(), **dims):
        rows.append({"fact_id": f"f{len(rows)}", "year": YEAR, "structure_code": "59386S00",
                     "indicator_code": indicator, "unit": unit, "commune_insee": None,
                     "sex": dims.get("sex"), "age_band": dims.get("age_band"),
                     "driving_licence": dims.get("driving_licence"), "is_stated_total": total,
                     "value": value, "flags": list(row_flags), "table_ref": table})

    for sex, values in {"female": (5, 10), "male": (7, 8)}.items():
        for age, value in zip(("16_17", "18_21"), values):
            row("new_registrations_profile", "p@l42", value, sex=sex, age_band=age)
        row("new_registrations_profile", "p@l42", sum(values), total=True, sex=sex)
    row("new_registrations_profile", "p@l42", grand_total, total=True, row_flags=flags)
    row("new_registrations_share", "s@l54", 24.0, unit="percent", driving_licence="holder")
    row("new_registrations_share", "s@l54", 76.0, unit="percent", driving_licence="not_holder")
    return pd.DataFrame(rows)


def _failed(result) -> set[str]:
    return {e["name"] for e in result.expectations if not e["success"]}


def test_breakdowns_that_add_up_pass():
    result = run_commune_year_gate(make_mart(), make_issues(), YEAR, breakdowns=make_breakdowns())
    assert result.passed, result.summary()
    names = {e["name"] for e in result.expectations}
    assert {"breakdown_cells_add_up_to_totals", "percents_within_0_100"} <= names


def test_a_breakdown_total_that_does_not_add_up_blocks_unless_the_source_is_flagged():
    blocked = run_commune_year_gate(make_mart(), make_issues(), YEAR,
                                    breakdowns=make_breakdowns(grand_total=31.0))
    assert not blocked.passed and _failed(blocked) == {"breakdown_cells_add_up_to_totals"}
    evidence = next(e for e in blocked.expectations if e["name"] == "breakdown_cells_add_up_to_totals")
    assert evidence["unexpected_count"] == 1
    flagged = run_commune_year_gate(make_mart(), make_issues(), YEAR, breakdowns=make_breakdowns(
        grand_total=31.0, flags=("source_total_mismatch",)))
    assert flagged.passed, flagged.summary()


def test_a_share_above_100_percent_blocks():
    breakdowns = make_breakdowns()
    breakdowns.loc[breakdowns["unit"] == "percent", "value"] = [24.0, 760.0]
    result = run_commune_year_gate(make_mart(), make_issues(), YEAR, breakdowns=breakdowns)
    assert _failed(result) == {"percents_within_0_100"}


def test_a_year_without_activity_report_checks_only_its_own_rows_and_errors():
    empty = make_mart().iloc[0:0]
    result = run_commune_year_gate(empty, make_issues(), YEAR, expects_activity_report=False)
    assert result.passed, result.summary()
    assert {e["frame"] for e in result.expectations} == {"mart_commune_year", "extraction_errors"}
    blocked = run_commune_year_gate(empty, make_issues(), YEAR)
    assert not blocked.passed and "mart_has_rows" in _failed(blocked)
