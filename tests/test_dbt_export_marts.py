"""The I-MILO export models (dbt_project/models/exports), run for real on a hand-made raw layer:
dim_youth, the fact tables, the recomputed indicators and their small-count suppression.
The rows and their expected values are in export_marts_rows.py (hand-made, counted by hand).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import duckdb
from dbt_helpers import query, run_dbt
from export_marts_rows import (
    EXPORT_2023,
    EXPORT_2024,
    EXPORT_2024_BIS,
    LAMBERSART,
    LA_MADELEINE,
    LILLE,
    LILLE_ML,
    MARCQ,
    S,
    WAMBRECHIES,
    key,
)


def test_dim_youth_keeps_one_row_per_attribute_change(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select version_number, valid_from, valid_to, is_current, commune_insee, housing, "
                            "export_count, last_exported_at from star.dim_youth where youth_key = ? "
                            "order by version_number", [key("B1")])
    assert rows == [
        (1, EXPORT_2023, EXPORT_2024, False, LAMBERSART, "with_parents", 1, EXPORT_2023),
        (2, EXPORT_2024, None, True, LA_MADELEINE, "independent", 2, EXPORT_2024_BIS),
    ]
    # A1 exported twice unchanged, D7 landed twice: one version each
    assert query(warehouse, "select youth_key, count(*), max(export_count) from star.dim_youth "
                            "where youth_key in (?, ?) group by all order by 1", [key("A1"), key("D7")]) == sorted(
        [(key("A1"), 1, 2), (key("D7"), 1, 1)])
    assert query(warehouse, "select count(*), count(*) filter (where is_current), count(distinct youth_key) "
                            "from star.dim_youth") == [(21, 19, 19)]
    sex, qualification, qpv = query(warehouse, "select sex, qualification_level, is_qpv from star.dim_youth "
                                               "where youth_key = ?", [key("C1")])[0]
    assert (sex, qualification, qpv) == ("male", "above_bac", True)
    columns = {row[0] for row in query(warehouse, "select column_name from information_schema.columns "
                                                  "where table_schema = 'star' and table_name = 'dim_youth'")}
    assert not columns & {"name", "birth_date", "email", "phone", "address", "postcode", "id_dossier"}


def test_fact_tables(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    assert query(warehouse, "select count(*), count(distinct youth_key), count(*) filter (where commune_insee "
                            "is null) from star.fct_contact") == [(30, 20, 1)]
    # D7's contact, listed by two export files: one row, from the latest (by file name here)
    assert query(warehouse, "select export_file from star.fct_contact where youth_key = ?",
                 [key("D7")]) == [("export_2024_copy/evenements.csv",)]
    # B1's contacts: commune and version of the latest export (export years unknown here: every
    # year reads every export)
    rows = query(warehouse, "select c.contact_date, c.commune_insee, y.version_number from star.fct_contact c "
                            "join star.dim_youth y using (youth_version_key) where c.youth_key = ? "
                            "order by c.contact_date", [key("B1")])
    assert rows == [(date(2022, 10, 1), LA_MADELEINE, 2), (date(2023, 5, 1), LA_MADELEINE, 2)]

    assert query(warehouse, "select category, situation_type, contract_type_code, state, start_date, end_date, "
                            "programme_code, commune_insee from star.fct_outcome where youth_key = ?",
                 [key("D1")]) == [("Emploi", "employment", "subsidised", "EN_COURS", date(2023, 2, 1), None,
                                   "cej", MARCQ)]
    assert query(warehouse, "select situation_type, count(*) from star.fct_outcome group by 1 order by 1") == [
        ("alternance", 1), ("employment", 10), ("other", 1), ("training", 6), ("work_placement", 2)]
    assert query(warehouse, "select count(*) from star.fct_outcome where not is_confirmed") == [(1,)]

    # one row per enrolment and year it is active in, among the years with a contact (2022, 2023)
    assert query(warehouse, "select year, programme_code, start_date, planned_end_date, end_date, is_running "
                            "from star.fct_programme_enrolment where youth_key = ? order by year", [key("B1")]) == [
        (2022, "garantie_jeunes", date(2021, 9, 1), date(2022, 9, 1), None, True),
        (2023, "garantie_jeunes", date(2021, 9, 1), date(2022, 9, 1), None, True)]
    assert query(warehouse, "select year, count(*) from star.fct_programme_enrolment group by 1 order by 1") == [
        (2022, 3), (2023, 9)]

    assert query(warehouse, "select aid_indicator, programme_code, count(*), sum(amount_eur) from "
                            "star.fct_allowance group by all order by 1") == [
        ("cej_allowance", "cej", 5, Decimal("1451.25")), ("fajem_aid", "faj", 2, Decimal("250.00")),
        ("ml_fund_direct_aid", None, 1, Decimal("50.00")), ("ml_fund_indirect_aid", None, 1, Decimal("1200.00")),
        ("mobility_aid", None, 1, Decimal("80.00")), ("pacea_allowance", "pacea", 1, Decimal("200.00"))]


# Recomputed by hand from the rows above, 2023, unsuppressed: {indicator: {commune: value}};
# the territory's communes not listed are 0. X0 (no youth row) and F1 (Lille) count nowhere.
EXPECTED_2023 = {
    "new_registrations": {LAMBERSART: 6, MARCQ: 1, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "new_registrations_qpv": {LAMBERSART: 2, WAMBRECHIES: 1},
    "youths_in_contact": {LAMBERSART: 6, MARCQ: 7, LA_MADELEINE: 2, WAMBRECHIES: 1},
    "youths_interviewed": {LAMBERSART: 6, MARCQ: 2, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "contacts": {LAMBERSART: 12, MARCQ: 9, LA_MADELEINE: 2, WAMBRECHIES: 1},
    "contacts_interviews": {LAMBERSART: 6, MARCQ: 2, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "employment_contracts": {LAMBERSART: 6, MARCQ: 1, WAMBRECHIES: 1},
    "alternance_contracts": {LAMBERSART: 1},
    "pec_contracts": {MARCQ: 1},
    "pmsmp_periods": {MARCQ: 2},
    "training_entries": {LAMBERSART: 1, MARCQ: 4},
    "cej_youths": {LAMBERSART: 1, MARCQ: 2, WAMBRECHIES: 1, LA_MADELEINE: 1},  # B1: no real end
    "cej_entrants": {MARCQ: 2, WAMBRECHIES: 1},
    "civic_service_youths": {MARCQ: 1},
    "civic_service_starts": {MARCQ: 1},
    "cej_allowance_beneficiaries": {LAMBERSART: 1, MARCQ: 2},
    "cej_allowance_amount": {LAMBERSART: 601.0, MARCQ: 750.25},
    "pacea_allowance_beneficiaries": {MARCQ: 1},
    "pacea_allowance_amount": {MARCQ: 200.0},
    "fajem_aid_beneficiaries": {LAMBERSART: 2},
    "fajem_aid_amount": {LAMBERSART: 250.0},
    "mobility_aid_beneficiaries": {WAMBRECHIES: 1},
    "mobility_aid_amount": {WAMBRECHIES: 80.0},
    "ml_fund_direct_aid_beneficiaries": {},
    "ml_fund_direct_aid_amount": {},
    "ml_fund_indirect_aid_beneficiaries": {MARCQ: 1},
    "ml_fund_indirect_aid_amount": {MARCQ: 1200.0},
}
EXPECTED_2022 = {
    "new_registrations": {LAMBERSART: 1, LA_MADELEINE: 1},
    "youths_in_contact": {LAMBERSART: 1, LA_MADELEINE: 1},
    "youths_interviewed": {LAMBERSART: 1},
    "contacts": {LAMBERSART: 1, LA_MADELEINE: 1},
    "contacts_interviews": {LAMBERSART: 1},
    "employment_contracts": {LA_MADELEINE: 1},
    "cej_youths": {LAMBERSART: 2, LA_MADELEINE: 1},
    "cej_entrants": {LAMBERSART: 1},
    "ml_fund_direct_aid_beneficiaries": {LAMBERSART: 1},
    "ml_fund_direct_aid_amount": {LAMBERSART: 50.0},
}
TERRITORY = {"59328", "59356", "59368", "59378", "59386", "59457", "59482", "59527", "59611", "59636"}


def test_recomputed_indicators_per_commune(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select year, commune_insee, indicator_code, value::double from "
                            "intermediate.int_imilo_indicator_values where structure_code = ?", [S])
    assert {r[0] for r in rows} == {2022, 2023}  # the years with contacts: 2021 is not covered
    for year, expected in ((2023, EXPECTED_2023), (2022, EXPECTED_2022)):
        got = {(commune, indicator): value for y, commune, indicator, value in rows if y == year}
        assert {c for c, _ in got} == TERRITORY
        for indicator in EXPECTED_2023:
            for commune in TERRITORY:
                assert got[commune, indicator] == expected.get(indicator, {}).get(commune, 0), (year, indicator, commune)
    # ML Lille has no reference territory: the communes its youths live in (G1's earlier
    # commune, Villeneuve-d'Ascq, is not one: only the version that holds for the year counts)
    lille = dict(query(warehouse, "select indicator_code, value::double from intermediate.int_imilo_indicator_values "
                                  "where structure_code = ? and year = 2023 and commune_insee = ? and value <> 0",
                       [LILLE_ML, LILLE]))
    assert lille == {"new_registrations": 1, "youths_in_contact": 1, "youths_interviewed": 1, "contacts": 1,
                     "contacts_interviews": 1}
    assert query(warehouse, "select distinct structure_code, commune_insee from intermediate.int_imilo_indicator_values "
                            "where structure_code = ?", [LILLE_ML]) == [(LILLE_ML, LILLE)]


def test_recomputed_mart_suppresses_small_counts_and_keeps_totals(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select commune_insee, commune_name, is_stated_total, youths_in_contact, contacts, "
                            "new_registrations, training_entries, cej_allowance_amount, suppressed_indicators "
                            "from marts.mart_commune_year_recomputed where year = 2023 and structure_code = ? "
                            "and (commune_insee is null or commune_insee in (?, ?, ?, ?)) "
                            "order by is_stated_total, commune_insee",
                 [S, LAMBERSART, LA_MADELEINE, MARCQ, WAMBRECHIES])
    by_commune = {(r[0], r[2]): r[1:] for r in rows}
    # youths_in_contact: 2 and 1 are small (primary); they add up to 3 < 5, so the smallest
    # visible commune, Lambersart (6), is hidden too (secondary); Marcq (7) stays.
    # contacts: 2 and 1 small; secondary Marcq (9, smaller than Lambersart's 12).
    assert by_commune[LAMBERSART, False][:6] == ("Lambersart", False, None, 12, None, None)
    assert by_commune[MARCQ, False][:6] == ("Marcq-en-Barœul", False, 7, None, None, None)
    assert by_commune[LA_MADELEINE, False][:6] == ("La Madeleine", False, None, None, None, 0)
    assert (None, False) not in by_commune  # the orphan contact counts nowhere
    # totals from the unsuppressed records; cej allowances: 3 beneficiaries, below 5: hidden
    assert by_commune[None, True][:6] == ("Total", True, 16, 24, 9, 5)
    assert by_commune[None, True][6] is None
    assert "cej_allowance_amount" in by_commune[None, True][7]
    assert {"youths_in_contact", "new_registrations", "training_entries", "cej_allowance_amount",
            "cej_allowance_beneficiaries"} <= set(by_commune[LAMBERSART, False][7])
    assert "contacts" not in by_commune[LAMBERSART, False][7]
    # an empty commune of the territory shows zeros, nothing hidden
    assert query(warehouse, "select youths_in_contact, contacts, cej_allowance_amount, suppressed_indicators from "
                            "marts.mart_commune_year_recomputed where year = 2023 and commune_insee = '59356'") == [
        (0, 0, Decimal("0.00"), [])]
    assert query(warehouse, "select count(*) from marts.mart_commune_year_recomputed where structure_code = ? "
                            "and commune_insee = ?", [S, LILLE]) == [(0,)]  # F1 counts nowhere

    # totals' consistency: total - visible communes is 0 or at least the threshold for every count
    # (amounts follow their beneficiaries), and a visible total never leaves one commune hidden alone
    columns = [r[0] for r in query(warehouse, "select column_name from information_schema.columns where "
                                              "table_name = 'mart_commune_year_recomputed' order by ordinal_position")]
    indicators = columns[columns.index("is_stated_total") + 1:columns.index("suppressed_indicators")]
    assert set(indicators) == set(EXPECTED_2023)
    for indicator in indicators:
        for year, total, visible, hidden in query(
                warehouse, f'select year, max("{indicator}") filter (where is_stated_total), '
                           f'sum("{indicator}") filter (where not is_stated_total), '
                           f'count(*) filter (where not is_stated_total and "{indicator}" is null) '
                           "from marts.mart_commune_year_recomputed group by year, structure_code"):
            if total is None:
                continue
            if not indicator.endswith("_amount"):
                assert total - (visible or 0) == 0 or total - (visible or 0) >= 5, (indicator, year)
            assert hidden != 1, (indicator, year)


def test_outcomes_by_profile_suppression(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select sex, age_band, qualification_level, youths, youths_with_outcome, outcome_rate, "
                            "is_suppressed, youths_suppression, outcome_suppression from marts.mart_outcomes_by_profile "
                            "where year = 2023 and structure_code = ? and outcome = 'positive_outcome' "
                            "and not is_total order by all", [S])
    assert rows == [
        ("female", "16_17", "no_diploma", None, None, None, True, "primary", "primary"),
        # 6 youths, but the small cells add up to 3: hidden to protect them
        ("female", "18_21", "bac", None, None, None, True, "secondary", "primary"),
        ("male", "22_25", "cap_bep", 7, 5, 0.7143, False, None, None),
        ("male", "26_plus", "above_bac", None, None, None, True, "primary", "primary"),
    ]
    totals = query(warehouse, "select outcome, youths, youths_with_outcome, outcome_rate, has_suppressed_cells, "
                              "is_suppressed from marts.mart_outcomes_by_profile where year = 2023 and is_total "
                              "and structure_code = ? order by outcome", [S])
    assert totals == [  # 16 youths: X0 (no youth row) and F1 (outside the territory) are not counted
        ("alternance", 16, None, None, True, True),           # 1 youth: hidden
        ("employment", 16, 7, 0.4375, True, False),           # A1-A5, D1, C1 (not A6's planned job)
        ("positive_outcome", 16, 12, 0.75, True, False),
        ("training", 16, 5, 0.3125, True, False),            # A6, D4-D7
        ("work_placement", 16, None, None, True, True),       # D2, D3
    ]
    # D's employment (1) is hidden; the other cells being hidden, the total - visible gap is 7
    assert query(warehouse, "select youths, youths_with_outcome, outcome_suppression from "
                            "marts.mart_outcomes_by_profile where year = 2023 and outcome = 'employment' "
                            "and sex = 'male' and age_band = '22_25'") == [(7, None, "primary")]
    # ML Lille's one youth: hidden, total included
    assert query(warehouse, "select bool_and(is_suppressed), count(*) from marts.mart_outcomes_by_profile "
                            "where year = 2023 and structure_code = ?", [LILLE_ML]) == [(True, 10)]


def test_outcome_suppression_threshold_is_a_variable(export_marts_built):
    """With a threshold of 3, the secondary suppression of an outcome count shows up."""
    tmp_path, warehouse, _, _ = export_marts_built
    result = run_dbt(tmp_path, warehouse, "build", "--select", "mart_outcomes_by_profile",
                 "--vars", "{year: 2023, suppression_threshold: 3}")
    try:
        assert result.returncode == 0, result.stdout
        rows = query(warehouse, "select sex, youths, youths_with_outcome, youths_suppression, outcome_suppression "
                                "from marts.mart_outcomes_by_profile where year = 2023 and outcome = 'employment' "
                                "and structure_code = ? and not is_total order by all", [S])
        # cohorts 2 and 1 are small (3 >= 3 together: no secondary cohort); employment: D's 1
        # (primary) and C1's 1 (hidden cohort) add up to 2 < 3: A's 5 is hidden too (secondary)
        assert rows == [("female", 6, None, None, "secondary"),
                        ("female", None, None, "primary", "primary"),
                        ("male", 7, None, None, "primary"),
                        ("male", None, None, "primary", "primary")]
        assert query(warehouse, "select distinct suppression_threshold from marts.mart_outcomes_by_profile "
                                "where year = 2023") == [(3,)]
    finally:
        assert run_dbt(tmp_path, warehouse, "build", "--select", "mart_outcomes_by_profile",
                   "--vars", "{year: 2023}").returncode == 0


def test_recomputed_values_left_as_a_view_are_rebuilt_for_every_year(export_marts_built):
    """int_imilo_indicator_values is an annual table; a warehouse built by an earlier version
    holds it as a view. The first year's build after the upgrade finds a view, so it is not
    incremental: it computes every year of the facts, and no year built before goes missing."""
    tmp_path, warehouse, _, _ = export_marts_built
    values = "select * from intermediate.int_imilo_indicator_values order by all"
    before = query(warehouse, values)
    assert len({row[0] for row in before}) >= 2  # several years, 2023 among them
    with duckdb.connect(str(warehouse)) as connection:  # what the earlier version left
        connection.execute("drop table intermediate.int_imilo_indicator_values")
        connection.execute("create view intermediate.int_imilo_indicator_values as "
                           "select 2023 as year where false")
    result = run_dbt(tmp_path, warehouse, "build", "--select", "int_imilo_indicator_values",
                     "--vars", "{year: 2023}")
    assert result.returncode == 0, result.stdout
    assert query(warehouse, "select table_type from information_schema.tables where table_schema = "
                            "'intermediate' and table_name = 'int_imilo_indicator_values'") == [("BASE TABLE",)]
    assert query(warehouse, values) == before
