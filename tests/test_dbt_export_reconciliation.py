"""The I-MILO export models (dbt_project/models/exports), run for real on a hand-made raw layer:
the reconciliation with the published figures, the annual rebuild, no export landed.
The rows and their expected values are in export_marts_rows.py (hand-made, counted by hand).
"""

from __future__ import annotations

from dbt_helpers import land_document_raw, query, run_dbt
from export_marts_rows import LAMBERSART, LA_MADELEINE, LILLE_ML, MARCQ, S, VILLENEUVE, published


def test_reconciliation(export_marts_built):
    _, warehouse, _, _ = export_marts_built
    rows = query(warehouse, "select indicator_code, year, commune_insee, commune_name, is_total, published_value, "
                            "recomputed_value, difference, status, is_small_count, quarantined_rows "
                            "from marts.mart_reconciliation where published_value is not null order by all")
    # contacts: 24 counted (the orphan's and F1's count nowhere)
    assert rows == [
        ("cej_allowance_amount", 2023, None, "Total", True, 1351.25, 1351.25, 0.0, "match", True, 1),
        ("civic_service_youths", 2023, MARCQ, "Marcq-en-Barœul", False, 3.0, 1.0, -2.0, "mismatch", True, 1),
        ("contacts", 2023, LAMBERSART, "Lambersart", False, 12.0, 12.0, 0.0, "match", False, 1),
        ("contacts", 2023, None, "Total", True, 24.0, 24.0, 0.0, "match", False, 1),
        ("new_registrations", 2021, None, "Total", True, 200.0, None, None, "published_only", False, 0),
        ("new_registrations", 2022, LAMBERSART, "Lambersart", False, 120.0, 1.0, -119.0, "mismatch", True, 0),
        # re-extracted 2023 report: 7 (the annual rebuild replaced 2023's rows)
        ("new_registrations", 2023, LAMBERSART, "Lambersart", False, 7.0, 6.0, -1.0, "mismatch", False, 1),
        ("new_registrations", 2023, LA_MADELEINE, "La Madeleine", False, 2.0, 1.0, -1.0, "mismatch", True, 1),
        ("new_registrations", 2023, None, "Total", True, 10.0, 9.0, -1.0, "mismatch", False, 1),
        ("pec_contracts", 2023, LAMBERSART, "Lambersart", False, 1.0, 0.0, -1.0, "mismatch", False, 1),
        ("youths_in_contact", 2023, VILLENEUVE, "Villeneuve-d'Ascq", False, 4.0, None, None, "published_only",
         False, 1),
    ]
    # recomputed but not printed; the orphan contact in the unknown commune
    assert query(warehouse, "select published_value, recomputed_value, difference, status from marts.mart_reconciliation "
                            "where year = 2023 and indicator_code = 'new_registrations' and commune_insee = ?",
                 [MARCQ]) == [(None, 1.0, None, "recomputed_only")]
    assert query(warehouse, "select count(*) from marts.mart_reconciliation "
                            "where commune_insee is null and not is_total") == [(0,)]
    assert query(warehouse, "select recomputed_value, status from marts.mart_reconciliation where year = 2023 "
                            "and structure_code = ? and indicator_code = 'contacts' and is_total",
                 [LILLE_ML]) == [(1.0, "recomputed_only")]
    # not recomputed: not reconciled
    assert query(warehouse, "select count(*) from marts.mart_reconciliation "
                            "where indicator_code = 'cej_measures'") == [(0,)]


def test_annual_rebuild_replaces_one_year_only(export_marts_built):
    _, warehouse, first, stdout = export_marts_built
    # the I-MILO marts did not change (same exports); the reconciliation changed in 2023 only
    for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile"):
        assert query(warehouse, f"select * from marts.{table} order by all") == first[table]
    after = query(warehouse, "select * from marts.mart_reconciliation order by all")
    assert [r for r in after if r[1] != 2023] == [r for r in first["mart_reconciliation"] if r[1] != 2023]
    assert after != first["mart_reconciliation"]
    assert "mart_reconciliation" in stdout and "mart_commune_year_recomputed" in stdout


def test_document_pipeline_builds_without_exports(tmp_path):
    """No I-MILO table landed (the document pipeline alone): the export models build, empty."""
    warehouse = tmp_path / "warehouse.duckdb"
    land_document_raw(warehouse, published(), structure=S)
    result = run_dbt(tmp_path, warehouse, "build")
    assert result.returncode == 0, result.stdout
    assert query(warehouse, "select count(*) from star.dim_youth") == [(0,)]
    assert query(warehouse, "select count(*) from marts.mart_commune_year_recomputed") == [(0,)]
    assert query(warehouse, "select distinct status from marts.mart_reconciliation") == [("published_only",)]
