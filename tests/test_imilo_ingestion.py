"""I-MILO export ingestion (docs/imilo_export_format.md): real CSV files, real DuckDB files.

Valid exports land pseudonymised, whatever their encoding, idempotently, each file cited by the
SHA-256 of its bytes, re-exported dossiers keeping both versions; and the Dagster asset that
ingests them. The exports are hand-written (imilo_export_rows.py).
"""

from __future__ import annotations

import hashlib

import pytest

from extractors.imilo import MissingPseudonymisationKey, ingest_export, prune_exports
from imilo_export_rows import (
    DOSSIERS,
    EVENEMENTS_HEADER,
    KEY,
    all_rows,
    bad_export_files,
    export_files,
    query,
    write_export,
    youth_key,
)


def test_valid_export_lands_pseudonymised(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    report = ingest_export(write_export(tmp_path / "imilo_2023"), warehouse, KEY)

    assert report.ok and report.year == 2023 and not report.demo_key
    assert report.rows == {"imilo_youths": 4, "imilo_contacts": 6, "imilo_situations": 4,
                           "imilo_enrolments": 3, "imilo_allowances": 4, "imilo_quarantine": 0}
    assert report.quarantined == 0 and report.warnings == []
    assert set(report.encodings.values()) == {"utf-8"}
    youths = query(warehouse, "select youth_key, structure_code, sex, birth_year, age_band, "
                              "commune_insee, qpv, qualification_level, driving_licence, housing, "
                              "first_registration_date::varchar, exported_at::varchar, export_file, "
                              "export_line from raw.imilo_youths order by export_line")
    assert youths == [
        (youth_key("59350S00", "101"), "59350S00", "female", 2004, "18_21", "59350", True, "bac",
         "not_holder", "with_parents", "2022-02-02", "2024-01-15", "imilo_2023/dossiers.csv", 2),
        (youth_key("59512S00", "102"), "59512S00", "male", 2007, "16_17", "59512", False,
         "no_diploma", "not_holder", "precarious", "2023-09-10", "2024-01-15",
         "imilo_2023/dossiers.csv", 3),
        (youth_key("59350S00", "103"), "59350S00", "male", 1998, "22_25", "59009", False,
         "above_bac", "holder", "independent", "2020-05-05", "2024-01-15",
         "imilo_2023/dossiers.csv", 4),
        (youth_key("59017S00", "104"), "59017S00", "female", 1995, "26_plus", "59017", True,
         "cap_bep", "holder", "independent", None, "2024-01-15", "imilo_2023/dossiers.csv", 5),
    ]
    assert query(warehouse, "select contact_id, youth_key = ?, contact_date::varchar, contact_nature "
                            "from raw.imilo_contacts where structure_code = '59350S00' order by 1",
                 [youth_key("59350S00", "101")]) == [
        (1, True, "2023-01-05", "individual_interview"), (2, True, "2023-02-12", "group_session"),
        (4, False, "2023-03-03", "email")]
    assert query(warehouse, "select category, contract_type, state, end_date::varchar, "
                            "programme_code from raw.imilo_situations order by situation_id") == [
        ("Emploi", "CDD", "TERMINE", "2023-05-31", "cej"),
        ("Scolarité", None, "EN_COURS", None, None),
        ("Contrat de volontariat - bénévolat", None, "PREVU", None, "pacea"),
        ("Demandeur d'emploi", None, "EN_COURS", None, None)]
    assert query(warehouse, "select programme_code from raw.imilo_enrolments order by 1") == [
        ("cej",), ("mentoring",), ("pacea",)]
    assert query(warehouse, "select aid_code, amount_eur::varchar, export_line "
                            "from raw.imilo_allowances order by allowance_id") == [
        ("CEJ", "528.00", 2), ("CEJ", "528.00", 3), ("FAJ", "150.50", 4), ("MOBILITE", "35.75", 5)]
    audit = query(warehouse, "select export_file, encoding, rows_read, rows_ingested, "
                             "rows_quarantined, file_error, demo_key from audit.imilo_export_files "
                             "order by 1")
    assert ("imilo_2023/dossiers.csv", "utf-8", 4, 4, 0, None, False) in audit and len(audit) == 5


def test_windows_1252_export_gives_identical_rows(tmp_path):
    utf8, cp1252 = tmp_path / "utf8" / "warehouse.duckdb", tmp_path / "cp1252" / "warehouse.duckdb"
    ingest_export(write_export(tmp_path / "a" / "imilo_2023"), utf8, KEY)
    folder = write_export(tmp_path / "b" / "imilo_2023", encoding="cp1252", newline="\r\n")
    assert "’".encode("cp1252") in (folder / "dossiers.csv").read_bytes()  # really Windows-1252
    report = ingest_export(folder, cp1252, KEY)
    # Files with accented letters are Windows-1252; pure ASCII files are UTF-8 as well.
    assert report.ok and report.encodings == {
        "dossiers.csv": "windows-1252", "evenements.csv": "utf-8", "situations.csv": "windows-1252",
        "accompagnements.csv": "utf-8", "allocations.csv": "utf-8"}
    assert all_rows(cp1252) == all_rows(utf8)


def test_audit_cites_each_file_by_the_sha256_of_its_bytes_as_found(tmp_path):
    """The checksum a release and `mlw trace` cite: of the file in the folder, not of the UTF-8
    copy a Windows-1252 file is read through; a rejected file is cited too, a missing one not."""
    warehouse = tmp_path / "warehouse.duckdb"
    folder = write_export(tmp_path / "imilo_2023", encoding="cp1252", newline="\r\n")
    (folder / "allocations.csv").write_text("idAllocation,idDossier\n1,101\n", encoding="utf-8")
    (folder / "accompagnements.csv").unlink()
    report = ingest_export(folder, warehouse, KEY)
    assert report.encodings["dossiers.csv"] == "windows-1252"
    assert {error.kind for error in report.file_errors} == {"wrong delimiter", "missing file"}
    recorded = dict(query(warehouse, "select export_file, file_sha256 from audit.imilo_export_files"))
    assert recorded == {**{f"imilo_2023/{path.name}": hashlib.sha256(path.read_bytes()).hexdigest()
                           for path in folder.iterdir()}, "imilo_2023/accompagnements.csv": None}
    assert query(warehouse, "select distinct export_folder from audit.imilo_export_files") == [
        (str(folder.resolve()),)]


def test_utf8_with_byte_order_mark_and_utf16(tmp_path):
    reference = tmp_path / "reference.duckdb"
    ingest_export(write_export(tmp_path / "r" / "imilo_2023"), reference, KEY)
    for encoding in ("utf-8-sig", "utf-16"):
        warehouse = tmp_path / encoding / "warehouse.duckdb"
        report = ingest_export(write_export(tmp_path / encoding / "imilo_2023", encoding=encoding),
                               warehouse, KEY)
        assert report.ok, report.file_errors
        assert all_rows(warehouse) == all_rows(reference)


def test_reingestion_is_idempotent(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    folder = write_export(tmp_path / "imilo_2023")
    first = ingest_export(folder, warehouse, KEY)
    rows = all_rows(warehouse)
    second = ingest_export(folder, warehouse, KEY)
    assert second.rows == first.rows
    assert all_rows(warehouse) == rows
    assert query(warehouse, "select count(*) from audit.imilo_export_files") == [(5,)]


def test_re_exported_dossier_keeps_both_versions_and_exports_coexist(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    ingest_export(write_export(tmp_path / "imilo_2023_january"), warehouse, KEY)
    files = export_files()
    moved = files["dossiers.csv"][1]  # dossier 101 moved to Roubaix and passed a higher degree
    moved[11:15] = ["3", "rue de Lannoy", "59100", "Roubaix"]
    moved[14], moved[16], moved[20] = "59512", "SUP_BAC", "01/03/2024"
    files["dossiers.csv"] = [files["dossiers.csv"][0], moved]
    files["evenements.csv"] = [EVENEMENTS_HEADER, ["7", "101", "59350S00", "20/12/2023", "SMS"]]
    for name in ("situations.csv", "accompagnements.csv", "allocations.csv"):
        files[name] = files[name][:1]
    report = ingest_export(write_export(tmp_path / "imilo_2023_march", files), warehouse, KEY,
                           year=2023)
    assert report.ok and report.rows["imilo_youths"] == 1

    versions = query(warehouse, "select exported_at::varchar, commune_insee, qualification_level, "
                                "export_file from raw.imilo_youths where youth_key = ? order by 1",
                     [youth_key("59350S00", "101")])
    assert versions == [("2024-01-15", "59350", "bac", "imilo_2023_january/dossiers.csv"),
                        ("2024-03-01", "59512", "above_bac", "imilo_2023_march/dossiers.csv")]
    assert query(warehouse, "select count(*) from raw.imilo_contacts") == [(7,)]
    # Re-ingesting one export leaves the other's rows alone; pruning removes an export.
    ingest_export(tmp_path / "imilo_2023_march", warehouse, KEY, year=2023)
    assert query(warehouse, "select count(*) from raw.imilo_youths") == [(5,)]
    assert prune_exports(warehouse, ["imilo_2023_march"]) == ["imilo_2023_january"]
    assert query(warehouse, "select count(*), min(export_file) from raw.imilo_youths") == [
        (1, "imilo_2023_march/dossiers.csv")]


def test_rows_whose_dossier_no_export_landed_are_counted_across_exports(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    ingest_export(write_export(tmp_path / "imilo_2023_january"), warehouse, KEY)
    files = export_files()
    files["dossiers.csv"] = files["dossiers.csv"][:2]  # dossier 101 only
    files["evenements.csv"] = [EVENEMENTS_HEADER,
                               ["7", "101", "59350S00", "20/12/2023", "SMS"],  # its own dossiers.csv
                               ["8", "102", "59512S00", "21/12/2023", "SMS"],  # January's
                               ["9", "999", "59512S00", "22/12/2023", "SMS"],  # none
                               ["10", "998", "59350S00", "23/12/2023", "SMS"]]  # none
    for name in ("situations.csv", "accompagnements.csv", "allocations.csv"):
        files[name] = files[name][:1]
    report = ingest_export(write_export(tmp_path / "imilo_2023_march", files), warehouse, KEY,
                           year=2023)
    assert report.ok and report.rows["imilo_contacts"] == 4
    assert report.warnings == ["evenements.csv: 2 row(s) refer to a dossier found in no landed "
                               "dossiers.csv"]

    del files["dossiers.csv"]  # no dossiers.csv of its own: every row is looked up in the others
    files["evenements.csv"] = files["evenements.csv"][:3]
    report = ingest_export(write_export(tmp_path / "imilo_2023_april", files), warehouse, KEY,
                           year=2023)
    assert not any("found in no landed" in warning for warning in report.warnings)


def test_dossier_exported_twice_in_one_export_keeps_both_versions(tmp_path):
    files = export_files()
    again = list(DOSSIERS[0])
    again[16], again[20] = "SUP_BAC", "20/01/2024"
    files["dossiers.csv"].append(again)
    warehouse = tmp_path / "warehouse.duckdb"
    report = ingest_export(write_export(tmp_path / "export", files), warehouse, KEY)
    assert report.ok and report.year == 2023 and report.rows["imilo_youths"] == 5
    assert query(warehouse, "select exported_at::varchar, qualification_level, export_line "
                            "from raw.imilo_youths where youth_key = ? order by 1",
                 [youth_key("59350S00", "101")]) == [("2024-01-15", "bac", 2),
                                                      ("2024-01-20", "above_bac", 6)]


# -- the Dagster assets -----------------------------------------------------------------------

def test_export_asset_materialises_with_metadata_and_content_version(monkeypatch, tmp_path):
    from dagster import materialize

    from orchestration.assets.exports import (
        build_export_asset,
        build_imilo_tables_asset,
        build_quarantine_check,
    )
    from orchestration.settings import Settings

    monkeypatch.setenv("MLW_PSEUDONYMISATION_KEY", KEY)
    monkeypatch.delenv("MLW_DEMO", raising=False)
    settings = Settings(warehouse_path=tmp_path / "warehouse" / "warehouse.duckdb", input_paths=())
    good = write_export(tmp_path / "exports" / "imilo_2023")
    bad = write_export(tmp_path / "exports" / "bad_2023", bad_export_files())
    assets = [build_export_asset(good, settings), build_export_asset(bad, settings),
              build_imilo_tables_asset([good, bad], settings), build_quarantine_check(settings, 0.5)]
    result = materialize(assets)
    assert result.success
    events = {tuple(event.asset_key.path): event.materialization
              for event in result.get_asset_materialization_events()}
    metadata = events[("exports", "bad_2023")].metadata
    assert metadata["rows/imilo_youths"].value == 4 and metadata["quarantined_rows"].value == 17
    assert metadata["demo_key"].value is False
    assert "unknown commune INSEE code: 1" in metadata["quarantine_reasons"].value
    first_version = events[("exports", "imilo_2023")].tags["dagster/data_version"]
    assert events[("raw", "imilo_youths")].metadata["dagster/row_count"].value == 8
    checks = result.get_asset_check_evaluations()
    assert [check.passed for check in checks] == [True]

    again = materialize(assets[:1])
    assert again.get_asset_materialization_events()[0].materialization.tags[
        "dagster/data_version"] == first_version
    (good / "evenements.csv").write_text("idEvenement;idDossier;codeStructure;dateEvenement;nature\n")
    changed = materialize(assets[:1])
    assert changed.get_asset_materialization_events()[0].materialization.tags[
        "dagster/data_version"] != first_version

    monkeypatch.delenv("MLW_PSEUDONYMISATION_KEY")
    with pytest.raises(MissingPseudonymisationKey):
        materialize(assets[:1])
