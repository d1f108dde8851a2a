"""I-MILO export ingestion and personal data: no identity value and no key reach the warehouse,
for the hand-written export (imilo_export_rows.py) and the generated sample; no run without a
key outside demo mode."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from extractors.imilo import (
    DEMO_KEY,
    MissingPseudonymisationKey,
    ingest_export,
    pseudonymisation_key,
)
from extractors.imilo import spec as s
from imilo_export_rows import (
    DOSSIERS,
    KEY,
    bad_export_files,
    break_delimiter,
    export_files,
    query,
    truncate_file,
    undecodable,
    write_export,
    youth_key,
)


# -- personal data and the key ----------------------------------------------------------------

IDENTITY_VALUES = [
    *(value for row in DOSSIERS for value in row[2:5] + row[7:10] + [row[11]] if value),
    "Rappeler Mme",
]
BIRTH_DATES = [row[5] for row in DOSSIERS] + ["31/02/2004", "01/06/2015"]


def _iso(date: str) -> str:
    day, month, year = date.split("/")
    return f"{year}-{month}-{day}"


def test_no_identity_value_and_no_key_reach_the_warehouse(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    ingest_export(write_export(tmp_path / "utf8_2023"), warehouse, KEY)
    ingest_export(write_export(tmp_path / "cp1252_2023", encoding="cp1252", newline="\r\n"),
                  warehouse, KEY)
    ingest_export(write_export(tmp_path / "bad_2023", bad_export_files()), warehouse, KEY)
    files = export_files()
    files["dossiers.csv"] = [row + [extra] for row, extra in zip(
        files["dossiers.csv"], ["commentaire", "Rappeler Mme Dupont", "", "", ""])]
    ingest_export(write_export(tmp_path / "extra_2023", files), warehouse, KEY)
    for breaking in (break_delimiter, undecodable, truncate_file):
        folder = write_export(tmp_path / f"broken{breaking.__name__}_2023")
        breaking(folder)
        ingest_export(folder, warehouse, KEY)

    forbidden = [*IDENTITY_VALUES, *BIRTH_DATES, *map(_iso, BIRTH_DATES), KEY]
    assert len(forbidden) > 30
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        columns = connection.execute(
            "select table_schema, table_name, column_name, data_type from information_schema.columns "
            "where table_catalog = current_database()").fetchall()
        assert {(schema, table) for schema, table, _, _ in columns} >= {
            ("raw", table) for table in s.RAW_TABLES}
        scanned = 0
        for schema, table, column, data_type in columns:
            if data_type == "VARCHAR":
                text = f'lower("{column}")'
            elif data_type == "DATE":
                text = f'strftime("{column}", \'%d/%m/%Y\')'
            else:
                continue
            for value in forbidden:
                hits = connection.execute(
                    f'select count(*) from "{schema}"."{table}" where contains({text}, lower(?))',
                    [value]).fetchone()[0]
                assert hits == 0, (schema, table, column, value)
            scanned += 1
        assert scanned >= 40
    data = warehouse.read_bytes()
    for value in [*IDENTITY_VALUES, KEY]:
        assert value.encode() not in data, value


def test_generated_sample_export_lands_without_quarantine_nor_identity(tmp_path):
    """The project's generator (sample_inputs/imilo), when it is there: a whole export."""
    pytest.importorskip("sample_inputs.imilo")
    folder = tmp_path / "imilo_2023"
    subprocess.run([sys.executable, "-m", "sample_inputs.imilo", str(folder), "--year", "2023",
                    "--seed", "1", "--sample", "--encoding", "cp1252"],
                   check=True, capture_output=True, cwd=Path(__file__).resolve().parents[1])
    warehouse = tmp_path / "warehouse.duckdb"
    report = ingest_export(folder, warehouse, KEY)
    assert report.ok and report.quarantined == 0 and report.rows["imilo_youths"] > 1000
    with open(folder / "dossiers.csv", encoding="cp1252", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter=";"))[::40]  # test code: rows are fine here
    identity = sorted({row[column] for row in rows for column in (
        "nomNaissance", "mail", "telephone", "numeroSecuriteSociale", "adresseLibelleVoie",
        "dateNaissance") if row[column]})
    assert len(identity) > 100
    # Exact values, and the shapes of e-mails, phones, social-security numbers and dates.
    shapes = r"@|\+33|[0-9]{9,}|[0-9]{2} [0-9]{2} [0-9]{2}|[0-9]{2}/[0-9]{2}/[0-9]{4}"
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for schema, table, column in connection.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where data_type = 'VARCHAR'").fetchall():
            values = f'"{schema}"."{table}"'
            if column == "youth_key":
                assert connection.execute(f"select count(*) from {values} where not "
                                          f"regexp_full_match(youth_key, '[0-9a-f]{{32}}')"
                                          ).fetchone()[0] == 0
                continue
            hits = connection.execute(
                f'select count(*) from {values} where list_contains(?::varchar[], "{column}") '
                f'or regexp_matches("{column}", ?)', [identity, shapes]).fetchone()[0]
            assert hits == 0, (schema, table, column)


def test_refuses_to_run_without_a_key_outside_demo_mode(monkeypatch, tmp_path):
    monkeypatch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
    monkeypatch.delenv("MLW_DEMO", raising=False)
    with pytest.raises(MissingPseudonymisationKey, match="set MLW_PSEUDONYMISATION_KEY"):
        pseudonymisation_key()
    monkeypatch.setenv("MLW_PSEUDONYMISATION_KEY", "short")
    with pytest.raises(MissingPseudonymisationKey, match="too short"):
        pseudonymisation_key()
    monkeypatch.setenv("MLW_PSEUDONYMISATION_KEY", KEY)
    assert pseudonymisation_key() == KEY
    with pytest.raises(MissingPseudonymisationKey):
        ingest_export(write_export(tmp_path / "imilo_2023"), tmp_path / "w.duckdb", "")
    assert not (tmp_path / "w.duckdb").exists()


def test_demo_mode_uses_the_demo_key_and_says_so(monkeypatch, tmp_path):
    monkeypatch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
    monkeypatch.setenv("MLW_DEMO", "1")
    assert pseudonymisation_key() == DEMO_KEY
    warehouse = tmp_path / "w.duckdb"
    report = ingest_export(write_export(tmp_path / "imilo_2023"), warehouse, pseudonymisation_key())
    assert report.demo_key and "DEMO" in report.summary()
    assert query(warehouse, "select distinct demo_key from audit.imilo_export_files") == [(True,)]
    assert query(warehouse, "select youth_key from raw.imilo_youths order by export_line limit 1") == [
        (youth_key("59350S00", "101", DEMO_KEY),)]
