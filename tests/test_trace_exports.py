"""Provenance of export-derived figures, on the real run (Dagster, dbt, DuckDB, GX) of the 2023
ML MNO report with the demo I-MILO export calibrated to it: `mlw trace --source exports` down to
the export lines, the release manifest's exports, and the publish asset's metadata."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path

import duckdb
import pytest
from dagster import AssetKey

from orchestration.assets.exports import export_asset_key
from orchestration.cli import main
from orchestration.trace import TraceQuery, trace

STRUCTURE, LAMBERSART = "59386S00", "59328"
IDENTITY_COLUMNS = ("nomNaissance", "nomUsage", "prenom", "mail", "telephone",
                    "numeroSecuriteSociale", "adresseLibelleVoie")


@pytest.fixture
def built(mno_2023_published):
    run = mno_2023_published
    return run.settings, run.instance, run.release, run.export


@pytest.fixture
def cli_env(built, monkeypatch):
    settings = built[0]
    monkeypatch.setenv("MLW_WAREHOUSE", str(settings.warehouse_path))
    monkeypatch.setenv("MLW_INPUTS", str(settings.input_paths[0]))
    return built


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _identities(export: Path) -> set[str]:
    """Every identity value of the export's dossiers (names, e-mails, phones, NIR, streets)."""
    with open(export / "dossiers.csv", encoding="utf-8-sig", newline="") as stream:
        return {row[column] for row in csv.DictReader(stream, delimiter=";")
                for column in IDENTITY_COLUMNS if len(row.get(column) or "") >= 4}


def test_trace_of_lambersart_youths_in_contact_ends_on_export_file_lines(cli_env, capsys):
    settings, _, release, export = cli_env
    capsys.readouterr()
    assert main(["trace", "--year", "2023", "--structure", STRUCTURE, "--commune", LAMBERSART,
                 "--indicator", "youths_in_contact", "--source", "exports", "--limit", "7"]) == 0
    out = capsys.readouterr().out
    printed = out.splitlines()

    published = duckdb.connect().execute(
        "select youths_in_contact from read_parquet(?) where commune_insee = ?",
        [str(release / "mart_commune_year_recomputed.parquet"), LAMBERSART]).fetchone()[0]
    assert published > 0 and printed[1] == f"1. Published value: {published}"
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert (f"SHA-256 {manifest['files']['mart_commune_year_recomputed.parquet']['sha256']}"
            in printed[3])
    assert f"2. Warehouse: marts.mart_commune_year_recomputed, row Lambersart: {published}" in printed
    assert ("   built by dbt: mart_commune_year_recomputed <- int_imilo_indicator_values <- fct_contact"
            " <- int_imilo_contacts <- stg_imilo__contacts <- source raw.imilo_contacts") in printed
    counted = next(line for line in printed if line.startswith("4. Export rows counted"))
    assert counted.endswith(f"distinct youths = {published}, the recomputed value")
    assert f"      folder {export.resolve()}, SHA-256 {_sha256(export / 'evenements.csv')}" in printed
    # The reconciliation with the report: the demo export is calibrated to it.
    assert printed[-1] == ("5. Reconciliation with the report (marts.mart_reconciliation): "
                           f"published {published}, recomputed {published}, difference 0: match")

    # It ends on export lines, pseudonymised keys only; each line is a 2023 contact of the
    # structure in evenements.csv.
    listed = printed[-8:-1]
    pattern = re.compile(rf"   {export.name}/evenements\.csv:(\d+) youth_key=[0-9a-f]{{32}}")
    assert all(pattern.fullmatch(line) for line in listed), listed
    lines = (export / "evenements.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(";")
    for line in listed:
        record = dict(zip(header, lines[int(pattern.fullmatch(line).group(1)) - 1].split(";")))
        assert record["codeStructure"] == STRUCTURE and record["dateEvenement"].endswith("/2023")
    assert not [value for value in _identities(export)
                if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", out)]


@pytest.mark.parametrize("indicator, commune", [
    ("contacts", LAMBERSART), ("training_entries", LAMBERSART), ("cej_youths", LAMBERSART),
    ("pacea_allowance_amount", LAMBERSART), ("new_registrations", None)])
def test_counted_export_rows_give_the_recomputed_value(built, indicator, commune):
    settings = built[0]
    printed = trace(settings, TraceQuery(2023, STRUCTURE, commune, indicator, "exports", limit=3))
    counted = next(line for line in printed if line.startswith("4. Export rows counted"))
    assert counted.endswith(", the recomputed value"), counted
    recomputed = next(line for line in printed if "unsuppressed value" in line).split(": ")[-1]
    assert float(recomputed) > 0 and f"= {recomputed}, the recomputed value" in counted


def test_the_records_view_reproduces_every_recomputed_value(built):
    """int_imilo_indicator_records and int_imilo_indicator_values apply the same rules: grouped by
    cell, the records give every value, zeros included, and no record falls outside a cell."""
    settings = built[0]
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        compared, differ, non_zero = connection.execute(
            "with counted as (select indicator_code, year, structure_code, commune_insee, "
            "case any_value(counts) when 'youths' then count(distinct youth_key) "
            "when 'records' then count(*) else sum(amount_eur) end as value "
            "from intermediate.int_imilo_indicator_records group by all) "
            "select count(*), count(*) filter (where coalesce(c.value, 0) <> v.value or "
            "v.value is null), count(*) filter (where v.value <> 0) "
            "from intermediate.int_imilo_indicator_values as v full join counted as c "
            "using (indicator_code, year, structure_code, commune_insee)").fetchone()
    assert differ == 0 and non_zero > 200 and compared >= 27 * 10


def test_a_small_count_is_traced_as_suppressed_in_the_release(built):
    settings = built[0]
    printed = trace(settings, TraceQuery(2023, STRUCTURE, LAMBERSART, "pec_contracts", "exports"))
    assert printed[1] == "1. Published value: suppressed in the release: fewer than 5"
    assert "row Lambersart: suppressed" in printed[4]
    value = printed[5].split(": ")[-1]
    assert 0 < float(value) < 5 and any(line.endswith(f"rows = {value}, the recomputed value")
                                        for line in printed)


def test_without_source_a_printed_figure_is_traced_to_its_report_line(built):
    settings = built[0]
    printed = trace(settings, TraceQuery(2023, STRUCTURE, LAMBERSART, "youths_in_contact"))
    assert printed[-1].startswith("   printed: 'Lambersart ")
    with pytest.raises(LookupError, match="not recomputed from the I-MILO exports"):
        trace(settings, TraceQuery(2023, STRUCTURE, LAMBERSART, "programme_participants", "exports"))


def test_manifest_and_publish_metadata_list_the_inputs_with_sha256(built):
    settings, instance, release, export = built
    manifest_bytes = (release / "manifest.json").read_bytes()
    manifest = json.loads(manifest_bytes)
    files = {path.name: _sha256(path) for path in export.iterdir() if path.suffix == ".csv"}
    assert [(e["export"], e["year"], e["folder"]) for e in manifest["exports"]] == [
        (export.name, 2023, str(export.resolve()))]
    assert {f["file"]: f["sha256"] for f in manifest["exports"][0]["files"]} == files
    assert all(f["rows_ingested"] > 0 and f["file_error"] is None
               for f in manifest["exports"][0]["files"])

    metadata = instance.get_latest_materialization_event(
        AssetKey(["published", "mart_commune_year"])).asset_materialization.metadata
    assert metadata["release"].value == str(release)
    assert metadata["manifest_sha256"].value == hashlib.sha256(manifest_bytes).hexdigest()
    inputs = {record.data["path"]: record.data for record in metadata["inputs"].value.records}
    document = settings.input_paths[0] / "report.txt"
    assert inputs[str(document)]["sha256"] == _sha256(document)
    assert {path: data["sha256"] for path, data in inputs.items() if data["kind"] == "i-milo export file"} \
        == {f"{export.resolve()}/{name}": sha for name, sha in files.items()}
    figures = [record.data for record in metadata["figures"].value.records]
    assert {"structure": STRUCTURE, "commune": "Lambersart", "indicator": "new_registrations",
            "value": 132.0, "document": str(document), "page": None, "line": 17} in figures
    assert metadata["figures_shown"].value == f"all {len(figures)} report figures of mart_commune_year 2023"
    # ... and the export's own asset cites each file by the same checksum.
    ingested = instance.get_latest_materialization_event(export_asset_key(export))
    assert ingested.asset_materialization.metadata["file_sha256"].value == files
