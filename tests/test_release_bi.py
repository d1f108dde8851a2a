"""A release a BI tool and a new analyst understand without us: comments on every table and
column, README and data dictionary, dimensions with names, commune-only views, the demo status
in the data, every year in one catalogue, and the README's example queries on a real release."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from orchestration.latest_catalogue import LATEST, build_latest_catalogue
from orchestration.publication import BI_DATABASE, publish_release, verify_release
from orchestration.release_readme import COMMUNE_QUERY, TREND_QUERY

PROJECT_README = Path(__file__).resolve().parents[1] / "README.md"
# Lambersart ... Wambrechies as the 2023 ML MNO report prints them, and its stated total.
NEW_REGISTRATIONS_2023 = {"59328": 132, "59356": 9, "59368": 112, "59378": 148, "59386": 72,
                          "59457": 52, "59482": 31, "59527": 62, "59611": 4, "59636": 57}


def _manifest(release: Path) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def test_every_published_table_view_and_column_is_described(mno_2023_published):
    """Fails listing every object of marts.duckdb without a comment (described in dbt's yml, or
    for publication-added columns in release_contents)."""
    with duckdb.connect(str(mno_2023_published.release / BI_DATABASE), read_only=True) as bi:
        objects = bi.execute("select table_name, comment from duckdb_tables() union all "
                             "select view_name, comment from duckdb_views() where not internal").fetchall()
        columns = bi.execute("select table_name, column_name, comment from duckdb_columns() "
                             "where not internal").fetchall()
    assert {name for name, _ in objects} >= {
        "mart_commune_year", "mart_commune_year_communes", "mart_commune_year_recomputed_communes",
        "dim_structure", "dim_commune", "dim_indicator"}
    undescribed = ([name for name, comment in objects if not comment]
                   + [f"{table}.{column}" for table, column, comment in columns if not comment])
    assert not undescribed, f"{len(undescribed)} published objects without description: {undescribed}"
    assert len(columns) > 200


def test_readme_and_data_dictionary_are_in_the_release_and_its_manifest(mno_2023_published):
    release = mno_2023_published.release
    manifest = _manifest(release)
    assert {"README.md", "data_dictionary.csv", "dim_structure.parquet", "dim_commune.parquet",
            "dim_indicator.parquet"} <= set(manifest["files"])
    assert verify_release(release) == []
    with (release / "data_dictionary.csv").open(encoding="utf-8") as handle:
        dictionary = {(row["table"], row["column"]): row for row in csv.DictReader(handle)}
    with duckdb.connect(str(release / BI_DATABASE), read_only=True) as bi:
        in_database = set(bi.execute("select table_name, column_name from duckdb_columns() "
                                     "where not internal").fetchall())
    assert set(dictionary) == in_database
    registrations = dictionary[("mart_commune_year", "new_registrations")]
    assert registrations["unit"] == "count" and registrations["type"] in {"BIGINT", "INTEGER", "DOUBLE"}
    assert registrations["description"]
    assert dictionary[("mart_commune_year", "cej_allowance_amount_recomputed")]["unit"] == "eur"
    readme = (release / "README.md").read_text(encoding="utf-8")
    assert readme.index("DEMO DATA") < readme.index("## Tables")
    assert "`mart_commune_year_communes`" in readme and COMMUNE_QUERY in readme


def test_dimensions_name_codes_and_commune_views_sum_to_the_stated_total(mno_2023_published):
    with duckdb.connect(str(mno_2023_published.release / BI_DATABASE), read_only=True) as bi:
        assert bi.execute("select usual_name from dim_structure where structure_code = '59386S00'"
                          ).fetchone() == ("MISSION LOCALE METROPOLE NORD-OUEST",)
        assert bi.execute("select commune_name from dim_commune where commune_insee = '59328'"
                          ).fetchone() == ("Lambersart",)
        assert bi.execute("select unit, grain from dim_indicator where indicator_code = 'new_registrations'"
                          ).fetchone() == ("count", "commune")
        communes = dict(bi.execute("select commune_insee, new_registrations "
                                   "from mart_commune_year_communes").fetchall())
        stated = bi.execute("select new_registrations from mart_commune_year where is_stated_total").fetchone()
        plain_sum = bi.execute("select sum(new_registrations) from mart_commune_year_communes").fetchone()
        all_rows_sum = bi.execute("select sum(new_registrations) from mart_commune_year").fetchone()
    assert communes == NEW_REGISTRATIONS_2023
    assert plain_sum == stated == (679,)
    assert all_rows_sum == (2 * 679,)  # what the analyst got before: the Total row counted too


def test_figures_from_the_generated_demo_export_say_so_in_the_data(mno_2023_published):
    release = mno_2023_published.release
    manifest = _manifest(release)
    assert release.name.endswith("-demo") and manifest["demo"] is True
    assert manifest["data_origin"] == {"report_figures": "report", "recomputed_figures": "demo_export"}
    origins = {name: set(pd.read_parquet(release / f"{name}.parquet", columns=["data_origin"])["data_origin"])
               for name in ("mart_commune_year", "mart_commune_year_recomputed", "mart_outcomes_by_profile",
                            "mart_breakdown_year", "mart_report_audit")}
    assert origins == {"mart_commune_year": {"report"}, "mart_commune_year_recomputed": {"demo_export"},
                       "mart_outcomes_by_profile": {"demo_export"}, "mart_breakdown_year": {"report"},
                       "mart_report_audit": {"report"}}
    recomputed = pd.read_parquet(release / "mart_commune_year.parquet",
                                 columns=["recomputed_data_origin"])["recomputed_data_origin"]
    assert set(recomputed) == {"demo_export"}


def test_gate_states_rows_per_mart_in_its_record_and_the_manifest(mno_2023_published):
    manifest = _manifest(mno_2023_published.release)
    assert manifest["gate"]["marts"]["mart_commune_year"] == {"rows": 11, "status": "checked"}
    assert manifest["mart_status"]["mart_commune_year"] == "checked"
    assert set(manifest["mart_status"]) == {"mart_commune_year", "mart_breakdown_year", "mart_programme_year",
                                            "mart_commune_year_recomputed", "mart_outcomes_by_profile",
                                            "mart_report_audit"}
    assert "Rows checked: mart_commune_year 11" in manifest["gate"]["summary"]
    assert any(e["name"] == "year_has_rows" and e["success"] for e in manifest["gate"]["expectations"])


def _opening_a_release_queries() -> list[str]:
    text = PROJECT_README.read_text(encoding="utf-8")
    section = text.split("## Opening a release", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sql\n(.*?)```", section, flags=re.S)]


def _second_year(release: Path, published: Path) -> None:
    """A 2022 release published beside the real 2023 one, from the 2023 marts with their year
    changed and one indicator column dropped (a year whose report lacks it): the catalogue must
    union the years by column name."""
    frames = {path.stem: pd.read_parquet(path).drop(columns=["data_origin", "recomputed_data_origin"],
                                                    errors="ignore")
              for path in release.glob("mart_*.parquet")}
    for frame in frames.values():
        frame["year"] = 2022
    frames["mart_commune_year"] = frames["mart_commune_year"].drop(columns=["pmsmp_periods"])
    frames["mart_commune_year"]["new_registrations"] += 1
    dimensions = {path.stem: pd.read_parquet(path) for path in release.glob("dim_*.parquet")}
    publish_release(frames, 2022, published, "f" * 64, {"exports": _manifest(release)["exports"]}, dimensions)


@pytest.fixture
def two_years(mno_2023_published, tmp_path) -> Path:
    published = tmp_path / "published"
    (published / "2023").mkdir(parents=True)
    release = mno_2023_published.release
    shutil.copytree(release, published / "2023" / release.name, symlinks=True)
    (published / "2023" / "current").symlink_to(release.name)
    _second_year(release, published)
    return published


def test_readme_opening_a_release_queries_run_on_a_real_release(mno_2023_published, two_years):
    queries = _opening_a_release_queries()
    assert queries == [COMMUNE_QUERY, TREND_QUERY]  # the release README shows the same ones
    with duckdb.connect(str(mno_2023_published.release / BI_DATABASE), read_only=True) as bi:
        rows = bi.execute(queries[0]).fetchall()
    assert {insee: value for _, insee, _, value in rows} == NEW_REGISTRATIONS_2023
    assert {structure for structure, *_ in rows} == {"MISSION LOCALE METROPOLE NORD-OUEST"}
    catalogue = build_latest_catalogue(two_years)
    with duckdb.connect(str(catalogue), read_only=True) as latest:
        trend = latest.execute(queries[1]).fetchall()
    assert trend == [(2022, "MISSION LOCALE METROPOLE NORD-OUEST", 679 + 10),
                     (2023, "MISSION LOCALE METROPOLE NORD-OUEST", 679)]


def test_latest_catalogue_reads_every_year_from_any_working_directory(two_years, tmp_path):
    catalogue = build_latest_catalogue(two_years)
    assert catalogue == two_years / LATEST and not list(two_years.glob(f".{LATEST}*"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = ("import duckdb, json, sys\n"
              "c = duckdb.connect(sys.argv[1], read_only=True)\n"
              "print(json.dumps({'years': c.execute('select year, count(*), count(pmsmp_periods) from "
              "mart_commune_year group by 1 order by 1').fetchall(),"
              " 'releases': c.execute('select year, demo from releases order by 1').fetchall(),"
              " 'comment': c.execute(\"select comment from duckdb_views() where view_name = "
              "'mart_commune_year'\").fetchone()[0]}))\n")
    out = subprocess.run([sys.executable, "-c", script, str(catalogue)], cwd=elsewhere,
                         capture_output=True, text=True, check=True).stdout
    seen = json.loads(out)
    assert seen["years"] == [[2022, 11, 0], [2023, 11, 11]]  # 2022 lacks pmsmp_periods: NULL
    assert seen["releases"] == [[2022, True], [2023, True]]
    assert seen["comment"]
