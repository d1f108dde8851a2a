"""The review loop end to end, on one warehouse: real Dagster runs, real dbt, real DuckDB, GX.

A new edition prints one housing label in words no mapping knows. Under the strict gate the
year is blocked; under the default policy it publishes its certain figures and its manifest
lists what is withheld; `mlw review` lists the item, the reviewer's decision goes into the
curation folder (an export file, completed and applied), and the next run publishes the cell
with the accepted code, the manifest carrying the curation's SHA-256. No file of the
repository changes.
"""

from __future__ import annotations

import json

import duckdb
import pytest
import yaml
from dagster import DagsterInstance
from review_helpers import CODE, DIMENSION, NEW_LABEL, YEAR, write_reworded_report

from extractors import curation
from extractors.facts import UNMAPPED_CODE
from orchestration.cli import main
from orchestration.publication import current_release
from orchestration.review.dependence import decisions_behind
from orchestration.run import run_all
from orchestration.settings import Settings


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster_home").mkdir()
    with DagsterInstance.local_temp(tempdir=str(tmp_path / "dagster_home")) as dagster_instance:
        yield dagster_instance


def published_housing(release) -> dict[str, float]:
    with duckdb.connect(str(release / "marts.duckdb"), read_only=True) as connection:
        return dict(connection.execute(
            "select housing, value from mart_breakdown_year where housing is not null "
            "and not is_stated_total").fetchall())


def published_rows(release, mart: str) -> int:
    with duckdb.connect(str(release / "marts.duckdb"), read_only=True) as connection:
        return connection.execute(f"select count(*) from {mart}").fetchone()[0]


def withheld_in_report_audit(warehouse) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute("select count(*) from marts.mart_report_audit "
                                  "where year = ? and status = 'withheld'", [YEAR]).fetchone()[0]


def manifest(release) -> dict:
    return json.loads((release / "manifest.json").read_text(encoding="utf-8"))


def test_new_edition_publishes_its_certain_figures_then_the_reviewed_cell(tmp_path, instance, monkeypatch, capsys):
    warehouse = tmp_path / "warehouse" / "warehouse.duckdb"
    monkeypatch.setenv("MLW_WAREHOUSE", str(warehouse))
    monkeypatch.setenv("MLW_CURATION", str(tmp_path / "curation"))
    (tmp_path / "inputs").mkdir()
    write_reworded_report(tmp_path / "inputs" / "report.txt")
    settings = Settings(warehouse_path=warehouse, input_paths=(tmp_path / "inputs",))

    monkeypatch.setenv("MLW_STRICT_GATE", "1")
    strict = run_all(settings, instance)
    assert YEAR in strict.blocked and current_release(settings.published_dir, YEAR) is None

    monkeypatch.delenv("MLW_STRICT_GATE")
    first = run_all(settings, instance)
    assert first.success and YEAR in first.published
    release = current_release(settings.published_dir, YEAR)
    assert CODE not in published_housing(release)
    assert published_rows(release, "mart_commune_year") and published_rows(release, "mart_breakdown_year")
    assert manifest(release)["curation"]["sha256"] == curation.NO_CURATION
    assert any(NEW_LABEL in json.dumps(row, ensure_ascii=False) or DIMENSION in (row["reason"] or "")
               for row in manifest(release)["withheld"])

    assert withheld_in_report_audit(warehouse) >= 1
    capsys.readouterr()
    assert main(["review"]) == 0
    assert NEW_LABEL in capsys.readouterr().out
    exported = tmp_path / "review.yaml"
    assert main(["review", "write", str(exported)]) == 0
    rows = yaml.safe_load(exported.read_text(encoding="utf-8"))
    row = next(row for row in rows if NEW_LABEL in (row["label"] or row["text"]))
    row.update(dimension=DIMENSION, label=NEW_LABEL, decision=CODE)  # what the reviewer fills in
    exported.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    assert main(["review", "apply", str(exported)]) == 0

    second = run_all(settings, instance)
    assert second.success
    reviewed = current_release(settings.published_dir, YEAR)
    assert reviewed != release
    assert CODE in published_housing(reviewed)
    certain = {code: value for code, value in published_housing(release).items() if code != UNMAPPED_CODE}
    assert published_housing(reviewed).items() >= certain.items()
    assert UNMAPPED_CODE not in published_housing(reviewed)
    assert manifest(reviewed)["curation"]["sha256"] == curation.digest() != curation.NO_CURATION
    assert manifest(reviewed)["withheld"] == [] and withheld_in_report_audit(warehouse) == 0
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        text, dimensions = connection.execute(
            "select source_text, dimensions from star.fct_published_indicator "
            "where year = ? and dimension_key = ?", [YEAR, f"{DIMENSION}={CODE}"]).fetchone()
    assert [NEW_LABEL in line and CODE in line for line in decisions_behind(YEAR, text, json.loads(dimensions))] == [True]
    fact_id = duckdb.connect().execute(
        f"select fact_id from read_parquet(?) where \"{DIMENSION}\" = ? and not is_stated_total",
        [str(reviewed / "mart_breakdown_year.parquet"), CODE]).fetchone()[0]
    capsys.readouterr()
    assert main(["trace", "--year", str(YEAR), "--fact", fact_id]) == 0  # what an auditor sees
    traced = capsys.readouterr().out
    assert f"   depends on a curation decision: {DIMENSION} '{NEW_LABEL}' -> {CODE}" in traced
