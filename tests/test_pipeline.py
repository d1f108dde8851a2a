"""End to end: real Dagster runs in a temporary DAGSTER_HOME, real dbt, real DuckDB, real GX."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.settings import Settings


def test_run_builds_gates_and_publishes_the_2023_report(mno_2023_published):
    settings, instance, report = mno_2023_published.settings, mno_2023_published.instance, mno_2023_published.report
    assert report.success, report.blocked
    assert set(report.published) == {2023}

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        rows = dict(connection.execute(
            "select commune_name, value from star.fct_published_indicator "
            "where year = 2023 and structure_code = '59386S00' and indicator_code = 'new_registrations' "
            "and not is_total").fetchall())
        assert rows["Lambersart"] == 132 and rows["La Madeleine"] == 112
        text, line, sha = connection.execute(
            "select source_text, source_line, document_sha256 from star.fct_published_indicator "
            "where commune_insee = '59328' and indicator_code = 'new_registrations'").fetchone()
        assert text == "Lambersart 132 15" and line > 0 and len(sha) == 64
        mart = connection.execute(
            "select new_registrations, contacts, new_registrations_recomputed, contacts_recomputed "
            "from marts.mart_commune_year where year = 2023 and commune_insee = '59328'").fetchone()
        assert mart == (132, 8108, 132, 8108)  # printed, and recomputed from the calibrated export
        gate = connection.execute("select passed, expectations from audit.gate_results where year = 2023").fetchall()
        assert [passed for passed, _ in gate] == [True]
        # the gate checked the export marts too: no disclosive count; the report's one
        # inconsistent total stands as a warning against the recomputed value
        outcome = {e["name"]: e for e in json.loads(gate[0][1])}
        assert outcome["recomputed_no_small_count"]["success"] and outcome["outcomes_no_small_count"]["success"]
        assert outcome["reconciliation_matches"]["blocking"] is False
        assert outcome["reconciliation_matches"]["unexpected_count"] == 1
        # Breakdowns: one column per conformed dimension.
        sms = connection.execute(
            "select b.value, f.source_line from marts.mart_breakdown_year b join star.fct_published_indicator f "
            "using (fact_id) where b.year = 2023 "
            "and b.indicator_code = 'contacts_by_nature' and b.contact_nature = 'sms'"
        ).fetchall()
        assert sms == [(9990, 151)]
        women_18_21 = connection.execute(
            "select value from marts.mart_breakdown_year where indicator_code = 'new_registrations_profile' "
            "and sex = 'female' and age_band = '18_21'").fetchall()
        assert women_18_21 == [(179,)]
        # Headline claims, with the sentence that states them.
        claim = connection.execute(
            "select value, source_line, sentence from star.fct_report_claim "
            "where report_year = 2023 and kind = 'count' and value = 679 and source_line = 5").fetchone()
        assert claim[2] == "La ML MNO a réalisé 679 nouvelles inscriptions en 2023."
        # The audit: which printed figures disagree, with their evidence.
        audit = connection.execute(
            "select check_kind, subject, stated_value, computed_value, status, source_line "
            "from marts.mart_report_audit where year = 2023 and status <> 'consistent' "
            "order by source_line").fetchall()
        assert audit == [
            ("change_against_previous", "Le nombre de nouveaux inscrits a augmenté de 8 %", 8, None,
             "not_checkable", 64),
            ("change_against_previous", "Le nombre d’entretiens a progressé de 5 % par rapport à 2022.",
             5, None, "not_checkable", 159),
            ("rows_against_stated_total", "ml_fund_direct_aid_amount", 10029, 9995, "inconsistent", 1067),
        ]
        checked = dict(connection.execute(
            "select check_kind, count(*) from marts.mart_report_audit where year = 2023 "
            "and status = 'consistent' group by 1").fetchall())
        assert checked["rows_against_stated_total"] > 40 and checked["claim_against_figure"] >= 6
        women = connection.execute(
            "select stated_value, computed_value from marts.mart_report_audit "
            "where subject like '49 % des nouveaux%'").fetchone()
        assert women == (49, 49.3)
        # The demo I-MILO export is calibrated to this report: recomputed from individual
        # (pseudonymised) records, every commune figure matches what the report prints; the one
        # total that differs is the one the report itself does not add up.
        statuses = dict(connection.execute(
            "select status, count(*) from marts.mart_reconciliation where year = 2023 "
            "and structure_code = '59386S00' group by 1").fetchall())
        assert statuses["match"] >= 290
        mismatches = connection.execute(
            "select indicator_code, is_total, published_value, recomputed_value from "
            "marts.mart_reconciliation where year = 2023 and status = 'mismatch'").fetchall()
        assert mismatches == [("ml_fund_direct_aid_amount", True, 10029, 9995)]

    release = Path(report.published[2023])
    assert (release / "mart_commune_year.parquet").is_file() and (release / "manifest.json").is_file()
    assert (release / "mart_breakdown_year.parquet").is_file()
    published = duckdb.connect().execute(f"select count(*) from '{release / 'mart_commune_year.parquet'}'").fetchone()
    assert published == (11,)  # ten communes and the stated totals

    # The runs are in the instance, with the gate as an asset check.
    runs = instance.get_runs()
    assert len(runs) == 2 and all(run.is_success for run in runs)


def test_release_manifest_tells_its_provenance_and_verify_detects_one_changed_byte(
        mno_2023_published, tmp_path, capsys):
    from orchestration.cli import main

    settings, report_path = mno_2023_published.settings, mno_2023_published.report_path
    release = mno_2023_published.release
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["files"]) == {"mart_commune_year.parquet", "mart_breakdown_year.parquet",
                                      "mart_programme_year.parquet", "mart_commune_year_recomputed.parquet",
                                      "mart_outcomes_by_profile.parquet", "mart_report_audit.parquet",
                                      "dim_structure.parquet", "dim_commune.parquet",
                                      "dim_indicator.parquet", "marts.duckdb", "README.md",
                                      "data_dictionary.csv"}
    assert manifest["inputs"] == [{"path": str(report_path), "kind": "ml_activity_report",
                                   "year": 2023, "sha256": hashlib.sha256(report_path.read_bytes()).hexdigest()}]
    assert manifest["gate"]["passed"] is True and manifest["gate"]["expectations"]
    assert manifest["code_version"]["code_digest"]
    with duckdb.connect(str(release / "marts.duckdb"), read_only=True) as bi:
        assert bi.execute("select new_registrations from mart_commune_year "
                          "where commune_insee = '59328'").fetchone() == (132,)

    assert main(["verify", str(release)]) == 0
    assert "intact" in capsys.readouterr().out
    tampered = tmp_path / "tampered"
    shutil.copytree(release, tampered)
    target = tampered / "mart_commune_year.parquet"
    target.chmod(0o644)
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    assert main(["verify", str(tampered)]) == 1
    assert "mart_commune_year.parquet: SHA-256 differs" in capsys.readouterr().out
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        assert connection.execute("select status from audit.publication_attempts "
                                  "where year = 2023").fetchall() == [("published",)]


def test_trace_follows_a_published_figure_down_to_its_report_line(mno_2023_published, monkeypatch, capsys):
    from orchestration.cli import main

    settings, report_path = mno_2023_published.settings, mno_2023_published.report_path
    monkeypatch.setenv("MLW_WAREHOUSE", str(settings.warehouse_path))
    monkeypatch.setenv("MLW_INPUTS", str(report_path.parent))
    assert main(["trace", "--year", "2023", "--structure", "59386S00", "--commune", "59328",
                 "--indicator", "new_registrations"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[1] == "1. Published value: 132"
    assert any(line.startswith("2. Warehouse: marts.mart_commune_year, row Lambersart: 132")
               for line in printed)
    assert any("mart_commune_year <- fct_published_indicator <- stg_documents__report_facts <- source raw.report_facts"
               in line for line in printed)
    sha = hashlib.sha256(report_path.read_bytes()).hexdigest()
    assert f"   SHA-256 {sha}" in printed
    assert printed[-2:] == ["   line 17", "   printed: 'Lambersart 132 15'"]
    assert main(["trace", "--year", "2023", "--structure", "59386S00", "--commune", "59328",
                 "--indicator", "no_such_indicator"]) == 1


def test_trace_by_fact_id_follows_a_profile_figure_down_to_its_report_line(mno_2023_published, monkeypatch,
                                                                           capsys):
    """A row of mart_breakdown_year (no commune) is traced by its fact_id: the released value,
    its file's checksum, the dbt models, and the document line that prints it."""
    from orchestration.cli import main

    settings, report_path = mno_2023_published.settings, mno_2023_published.report_path
    monkeypatch.setenv("MLW_WAREHOUSE", str(settings.warehouse_path))
    monkeypatch.setenv("MLW_INPUTS", str(report_path.parent))
    release = mno_2023_published.release
    fact_id, value = duckdb.connect().execute(
        "select fact_id, value from read_parquet(?) where not is_stated_total order by fact_id limit 1",
        [str(release / "mart_breakdown_year.parquet")]).fetchone()
    capsys.readouterr()
    assert main(["trace", "--year", "2023", "--fact", fact_id]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == f"Figure: fact {fact_id}, 2023, mart_breakdown_year"
    assert printed[1] == f"1. Published value: {format(float(value), 'f').rstrip('0').rstrip('.')}"
    assert any("mart_breakdown_year <- fct_published_indicator" in line for line in printed)
    assert f"   SHA-256 {hashlib.sha256(report_path.read_bytes()).hexdigest()}" in printed
    source_line = next(line for line in printed if line.startswith("   printed: "))
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        text = connection.execute("select source_text from star.fct_published_indicator where fact_id = ?",
                                  [fact_id]).fetchone()[0]
    assert source_line == f"   printed: {text!r}"
    assert main(["trace", "--year", "2023", "--fact", "no-such-fact"]) == 1
    assert "is in no row of mart_breakdown_year" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["trace", "--year", "2023"])


def test_dbt_docs_with_the_lineage_graph_come_with_the_build(mno_2023_published):
    report = mno_2023_published.report
    assert report.docs is not None and report.docs.is_file()
    page = report.docs.read_text(encoding="utf-8")
    assert "mart_report_audit" in page and "fct_published_indicator" in page



def test_lineage_openlineage_events_in_a_local_file_and_dbt_table_metadata(mno_2023_published):
    from orchestration.lineage import lineage_file

    settings, instance = mno_2023_published.settings, mno_2023_published.instance
    _assert_dbt_table_metadata(settings, instance)
    events = [json.loads(line) for line in lineage_file(settings).read_text().splitlines()]
    jobs = {event["job"]["name"] for event in events}
    assert {"raw/report_facts", "star/fct_published_indicator", "marts/mart_commune_year",
            "published/mart_commune_year"} <= jobs
    fct = next(e for e in events if e["job"]["name"] == "star/fct_published_indicator"
               and e["eventType"] == "COMPLETE")
    assert {d["name"] for d in fct["inputs"]} >= {"staging/stg_documents__report_facts"}
    assert fct["outputs"][0]["name"] == "star/fct_published_indicator"
    assert {e["eventType"] for e in events} == {"START", "COMPLETE"}


def _assert_dbt_table_metadata(settings: Settings, instance: DagsterInstance) -> None:
    """dbt materialisations carry row counts, column schemas and column lineage
    (orchestration/dbt_metadata.py), read from the warehouse once dbt has exited."""
    from dagster import AssetKey, DagsterEventType, TableColumnDep

    def metadata(*path: str) -> dict:
        event = instance.get_latest_materialization_event(AssetKey(list(path)))
        assert event is not None, path
        return event.asset_materialization.metadata

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        def count(table: str, where: str = "true") -> int:
            return connection.execute(f"select count(*) from {table} where {where}").fetchone()[0]

        def columns(schema: str, table: str) -> list[str]:
            return [row[0] for row in connection.execute(
                "select column_name from information_schema.columns where table_schema = ? "
                "and table_name = ? order by ordinal_position", [schema, table]).fetchall()]

        mart = metadata("marts", "mart_commune_year")  # partitioned: the 2023 run
        assert mart["dagster/row_count"].value == count("marts.mart_commune_year")
        assert mart["dagster/partition_row_count"].value == count("marts.mart_commune_year",
                                                                  "year = 2023") == 11
        schema = mart["dagster/column_schema"].schema
        assert [column.name for column in schema.columns] == columns("marts", "mart_commune_year")
        commune_name = next(column for column in schema.columns if column.name == "commune_name")
        assert commune_name.type == "VARCHAR" and commune_name.description
        lineage = mart["dagster/column_lineage"].lineage.deps_by_column
        fct = AssetKey(["star", "fct_published_indicator"])
        assert TableColumnDep(asset_key=fct, column_name="commune_name") in lineage["commune_name"]
        assert {dep.column_name for dep in lineage["new_registrations"]} == {"indicator_code", "value"}

        staging = metadata("staging", "stg_documents__report_facts")  # a view: schema and lineage, no count
        assert [c.name for c in staging["dagster/column_schema"].schema.columns] == \
            columns("staging", "stg_documents__report_facts")
        assert staging["dagster/column_lineage"].lineage.deps_by_column["fact_id"] == [
            TableColumnDep(asset_key=AssetKey(["raw", "report_facts"]), column_name="fact_id")]
        assert "dagster/row_count" not in staging

        dim = metadata("star", "dim_commune")  # unpartitioned table, from seeds
        assert dim["dagster/row_count"].value == count("star.dim_commune") > 0
        assert "dagster/partition_row_count" not in dim
        seed = metadata("reference", "indicator_catalogue")
        assert seed["dagster/row_count"].value == count("reference.indicator_catalogue")

        # Every dbt table of the runs got its count, even where sqlglot cannot follow the SQL.
        tables = {(schema, name) for schema, name in connection.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_type = 'BASE TABLE' and table_schema in ('reference', 'star', 'marts')"
        ).fetchall()}
    for schema_name, table in tables:
        assert "dagster/row_count" in metadata(schema_name, table), (schema_name, table)
    # The dbt tests of the same run are still there, as asset check evaluations.
    run_id = instance.get_latest_materialization_event(AssetKey(["marts", "mart_commune_year"])).run_id
    checks = [record.event_log_entry.dagster_event.event_specific_data for record in
              instance.get_records_for_run(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION).records]
    assert any(check.asset_key == AssetKey(["marts", "mart_commune_year"]) and check.passed
               and check.check_name == "not_null_mart_commune_year_year" for check in checks)
