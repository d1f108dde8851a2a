"""The dbt project, run for real (dbt CLI, DuckDB file) on a small hand-written raw layer.

Each test builds its own warehouse in a temporary folder; dbt's target and logs go there too,
so these tests never touch dbt_project/target or the real warehouse.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from dbt_helpers import land_document_raw, query, run_dbt

STRUCTURE = "59386S00"
LAMBERSART, LA_MADELEINE = ("Lambersart", "59328"), ("La Madeleine", "59368")
MISMATCH = ["source_total_mismatch"]


def fact(year, indicator, value, commune=None, *, line, flags=(), sha="a" * 64):
    """One raw.report_facts row as the extractors land it (text document: no page, no bbox)."""
    dimensions = {"commune": commune[0], "commune_insee": commune[1]} if commune else {}
    return {
        "fact_id": f"{year}-{indicator}-{line}", "document_path": f"/in/mno_{year}.txt",
        "document_sha256": sha, "document_kind": "ml_activity_report", "year": year,
        "structure_code": STRUCTURE, "indicator_code": indicator,
        "dimensions": json.dumps(dimensions, ensure_ascii=False, sort_keys=True),
        "value": float(value), "unit": "count", "is_total": commune is None, "flags": list(flags),
        "table_ref": f"{indicator}@L10", "source_page": None, "source_line": line,
        "source_bbox": None,
        "source_text": f"{commune[0] if commune else 'Total'} {value}",
    }


def facts_2023(lambersart=132):
    return [
        fact(2023, "new_registrations", lambersart, LAMBERSART, line=12),
        fact(2023, "new_registrations", 112, LA_MADELEINE, line=13),
        fact(2023, "new_registrations", 244, line=14),
        fact(2023, "contacts", 8108, LAMBERSART, line=30),
        fact(2023, "contacts", 5000, LA_MADELEINE, line=31),
        fact(2023, "contacts", 13200, line=32, flags=MISMATCH),  # 8108 + 5000 != 13200
    ]


def facts_2022():
    return [
        fact(2022, "new_registrations", 120, LAMBERSART, line=12, sha="b" * 64),
        fact(2022, "new_registrations", 100, LA_MADELEINE, line=13, sha="b" * 64),
        fact(2022, "new_registrations", 220, line=14, sha="b" * 64),
    ]


def land_raw(warehouse: Path, facts: list[dict], issues: list[dict] = ()) -> None:
    land_document_raw(warehouse, facts, issues, structure=STRUCTURE)


def dbt(tmp_path: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess:
    return run_dbt(tmp_path, warehouse, *args, timeout=300)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse with 2022 and 2023 built whole (`dbt build` also loads the seeds)."""
    tmp_path = tmp_path_factory.mktemp("dbt")
    warehouse = tmp_path / "warehouse.duckdb"
    land_raw(warehouse, facts_2022() + facts_2023())
    result = dbt(tmp_path, warehouse, "build")
    assert result.returncode == 0, result.stdout
    return tmp_path, warehouse


def test_fact_table_keeps_values_and_provenance(built):
    _, warehouse = built
    rows = query(warehouse, "select commune_insee, commune_name, value, source_line, source_text, "
                            "document_sha256, is_total, flags from star.fct_published_indicator "
                            "where year = 2023 and indicator_code = 'new_registrations' order by source_line")
    assert rows == [
        ("59328", "Lambersart", 132.0, 12, "Lambersart 132", "a" * 64, False, []),
        ("59368", "La Madeleine", 112.0, 13, "La Madeleine 112", "a" * 64, False, []),
        (None, None, 244.0, 14, "Total 244", "a" * 64, True, []),
    ]
    assert query(warehouse, "select count(*) from star.fct_published_indicator") == [(9,)]


def test_dimensions_and_schemas(built):
    _, warehouse = built
    assert query(warehouse, "select commune_name, structure_code, postcodes from star.dim_commune "
                            "where commune_insee = '59328'") == [("Lambersart", STRUCTURE, ["59130"])]
    code, aliases, communes = query(warehouse, "select structure_code, aliases, territory_commune_count "
                                               f"from star.dim_structure where structure_code = '{STRUCTURE}'")[0]
    assert "ML MNO" in aliases and communes == 10
    schemas = {row[0] for row in query(warehouse, "select distinct table_schema from information_schema.tables")}
    assert {"raw", "reference", "staging", "star", "marts"} <= schemas


def test_mart_pivots_one_column_per_catalogue_indicator(built):
    _, warehouse = built
    columns = [row[0] for row in query(warehouse, "select column_name from information_schema.columns where "
                                                  "table_name = 'mart_commune_year' order by ordinal_position")]
    catalogue = [row[0] for row in query(warehouse, "select indicator_code from reference.indicator_catalogue "
                                                    "where grain = 'commune' order by indicator_code")]
    recomputed = [row[0] for row in query(warehouse, "select indicator_code || '_recomputed' from "
                                                     "intermediate.int_imilo_recomputed_indicators order by indicator_code")]
    assert columns == ["year", "structure_code", "commune_insee", "commune_name", "is_stated_total",
                       *catalogue, "inconsistent_indicators", *recomputed, "recomputed_suppressed_indicators"]
    # no export landed here: the recomputed columns are there, empty
    assert query(warehouse, "select count(*) from marts.mart_commune_year "
                            "where new_registrations_recomputed is not null") == [(0,)]
    rows = query(warehouse, "select commune_insee, commune_name, is_stated_total, new_registrations, contacts, "
                            "pec_contracts, inconsistent_indicators from marts.mart_commune_year "
                            "where year = 2023 order by is_stated_total, commune_insee")
    assert rows == [
        ("59328", "Lambersart", False, 132, 8108, None, []),
        ("59368", "La Madeleine", False, 112, 5000, None, []),
        (None, "Total", True, 244, 13200, None, ["contacts"]),
    ]
    assert query(warehouse, "select typeof(new_registrations) from marts.mart_commune_year limit 1") == [("BIGINT",)]


def test_single_year_rebuild_replaces_that_year_only(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    land_raw(warehouse, facts_2022() + facts_2023())
    assert dbt(tmp_path, warehouse, "build").returncode == 0
    before_2022 = query(warehouse, "select * from marts.mart_commune_year where year = 2022 order by all")

    # 2023 is re-extracted with a corrected figure; 2022 vanished from the raw layer but must stay.
    land_raw(warehouse, facts_2023(lambersart=133))
    result = dbt(tmp_path, warehouse, "build", "--select", "tag:annual", "--vars", "{year: 2023}")
    assert result.returncode == 0, result.stdout

    assert query(warehouse, "select * from marts.mart_commune_year where year = 2022 order by all") == before_2022
    assert query(warehouse, "select new_registrations from marts.mart_commune_year "
                            "where year = 2023 and commune_insee = '59328'") == [(133,)]
    assert query(warehouse, "select year, count(*) from star.fct_published_indicator "
                            "group by year order by year") == [(2022, 3), (2023, 6)]

    # A year whose rows all disappeared is emptied, not left stale.
    land_raw(warehouse, facts_2023())
    assert dbt(tmp_path, warehouse, "build", "--select", "tag:annual", "--vars", "{year: 2022}").returncode == 0
    assert query(warehouse, "select distinct year from marts.mart_commune_year") == [(2023,)]


def test_unknown_commune_fails_the_build(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    land_raw(warehouse, [*facts_2023(), fact(2023, "training_entries", 3, ("Nowhere", "99999"), line=40)])
    result = dbt(tmp_path, warehouse, "build")
    assert result.returncode != 0
    assert "relationships_fct_published_indicator_commune_insee" in result.stdout
