"""The annual gate's suites (expectations/export_marts_suite.py) on the I-MILO export marts
built for real from a hand-made raw layer: what passes with warnings, what blocks the year.
The rows and their expected values are in export_marts_rows.py (hand-made, counted by hand).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from dbt_helpers import query
from export_marts_rows import LAMBERSART, S, WAMBRECHIES


# --- the annual gate's suites on these marts (expectations/export_marts_suite.py) -----------------

def gate_frames(warehouse: Path, year: int = 2023) -> dict:
    """The year's export marts as the gate reads them (orchestration.marts.read_year)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        frames = {table: connection.execute(f"select * from marts.{table} where year = ? order by all",
                                            [year]).df()
                  for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile",
                                "mart_reconciliation")}
        frames["mart_commune_year"] = connection.execute(
            "select * from marts.mart_commune_year where year = ? order by all", [year]).df()
        frames["count_indicators"] = [r[0] for r in connection.execute(
            "select indicator_code from intermediate.int_imilo_recomputed_indicators where unit = 'count'").fetchall()]
    return frames


def run_export_gate(frames: dict, year: int = 2023):
    from expectations.commune_year_suite import gate_passed
    from expectations.export_marts_suite import export_mart_checks
    from expectations.gx_runner import run_frame_check

    checks = export_mart_checks(frames["mart_commune_year_recomputed"], frames["mart_outcomes_by_profile"],
                                frames["mart_reconciliation"], year, frames["count_indicators"],
                                commune_year=frames["mart_commune_year"])
    records = [record for check in checks for record in run_frame_check(check)]
    return gate_passed(records), {r["name"]: r for r in records}


def test_the_export_marts_dbt_builds_pass_the_gate_with_the_mismatches_as_warnings(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    passed, records = run_export_gate(gate_frames(warehouse))
    assert passed
    assert {name for name, r in records.items() if not r["success"]} == {"reconciliation_matches"}
    mismatches = records["reconciliation_matches"]
    assert mismatches["blocking"] is False
    # 2023's four compared mismatches (new registrations x3, pec, civic service): evidence kept
    assert mismatches["unexpected_count"] == 5
    assert records["recomputed_no_small_count"]["success"] and records["outcomes_no_small_count"]["success"]


def test_a_visible_small_count_blocks_the_year(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    lambersart = (recomputed["commune_insee"] == LAMBERSART) & (recomputed["structure_code"] == S)
    recomputed.loc[lambersart, "youths_in_contact"] = 3  # primary suppression undone
    passed, records = run_export_gate(frames)
    assert not passed
    assert not records["recomputed_no_small_count"]["success"]
    assert records["recomputed_no_small_count"]["unexpected_examples"] == [
        {"value": 3, "structure_code": S, "commune_insee": LAMBERSART, "indicator": "youths_in_contact"}]


def test_a_hidden_cell_recoverable_from_the_total_blocks_the_year(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    # Lambersart's youths_in_contact (6) was hidden only to protect the small communes (secondary):
    # shown again, total - visible communes = 3 would give their sum away
    lambersart = (recomputed["commune_insee"] == LAMBERSART) & (recomputed["structure_code"] == S)
    recomputed.loc[lambersart, "youths_in_contact"] = 6
    passed, records = run_export_gate(frames)
    assert not passed
    assert not records["recomputed_no_cell_recoverable"]["success"]
    assert records["recomputed_no_cell_recoverable"]["unexpected_examples"] == [
        {"residual": 3, "structure_code": S, "indicator": "youths_in_contact"}]
    outcomes = gate_frames(warehouse)["mart_outcomes_by_profile"]
    cell = outcomes.index[~outcomes["is_total"] & outcomes["youths"].notna()][0]
    outcomes.loc[cell, "youths_with_outcome"] = outcomes.loc[cell, "youths"] + 5
    passed, records = run_export_gate({**gate_frames(warehouse), "mart_outcomes_by_profile": outcomes})
    assert not passed and not records["outcomes_within_cohort"]["success"]


def test_a_total_row_that_hides_its_incompleteness_blocks_the_year(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    recomputed["incomplete_indicators"] = [[] if total else listed for total, listed
                                           in zip(recomputed["is_stated_total"], recomputed["incomplete_indicators"])]
    passed, records = run_export_gate(frames)
    assert not passed and not records["recomputed_incomplete_declared"]["success"]


def test_mart_commune_year_carries_the_recomputed_indicators_beside_the_printed_ones(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select commune_insee, new_registrations, new_registrations_recomputed, contacts, "
                            "contacts_recomputed, list_contains(recomputed_suppressed_indicators, 'new_registrations') "
                            "from marts.mart_commune_year where year = 2023 and structure_code = ? "
                            "and (commune_insee = ? or is_stated_total) order by is_stated_total", [S, LAMBERSART])
    # Lambersart's 6 recomputed registrations are hidden (secondary suppression), as published
    # in mart_commune_year_recomputed; the totals are the true totals
    assert rows == [(LAMBERSART, 7, None, 12, 12, True), (None, 10, 9, 24, 24, False)]
    # a commune only the exports cover is not added to the report's rows
    assert query(warehouse, "select count(*) from marts.mart_commune_year where year = 2023 "
                            "and commune_insee = ?", [WAMBRECHIES]) == [(0,)]


def test_a_small_recomputed_count_shown_in_mart_commune_year_blocks_the_year(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    frames = gate_frames(warehouse)
    commune_year = frames["mart_commune_year"]
    commune_year.loc[commune_year["commune_insee"] == LAMBERSART, "new_registrations_recomputed"] = 2
    passed, records = run_export_gate(frames)
    assert not passed and records["recomputed_no_small_count"]["unexpected_examples"] == [
        {"value": 2, "structure_code": S, "commune_insee": LAMBERSART, "indicator": "new_registrations_recomputed"}]
