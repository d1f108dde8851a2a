"""The whole real corpus through the pipeline: programmes, key figures, profile; no personal data.

One run (module scope) of `run_all` on ../shared/corpus in a temporary workspace and Dagster
instance; then the warehouse is queried as a BI tool or an auditor would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.run import run_all
from orchestration.settings import Settings
from sample_inputs.demo import write_demo_inputs
from conftest import CORPUS, PROJECT_ROOT

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# French phone numbers: 0X XX XX XX XX, +33 X XX XX XX XX, with spaces, dots or dashes.
PHONE = re.compile(r"(?<![\w+])(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\w)")


@pytest.fixture(scope="module")
def corpus_warehouse(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    root = tmp_path_factory.mktemp("corpus_run")
    inputs = root / "inputs"
    inputs.mkdir()
    for document in CORPUS.glob("*.txt"):
        shutil.copy(document, inputs / document.name)
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb", input_paths=(inputs,))
    write_demo_inputs(settings.warehouse_dir, corpus=CORPUS)  # the demo export, as `make run` writes it
    (root / "dagster_home").mkdir()
    with pytest.MonkeyPatch.context() as patch, \
            DagsterInstance.local_temp(tempdir=str(root / "dagster_home")) as instance:
        patch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
        patch.setenv("MLW_DEMO", "1")  # the demo export is generated data
        report = run_all(settings, instance)
        assert report.success, (report.blocked, report.issues)
        rerun = run_all(settings, instance)  # nothing changed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        yield connection, report, settings, rerun


def _text_columns(connection) -> list[tuple[str, str, str]]:
    return connection.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type in ('VARCHAR', 'JSON') or data_type like 'VARCHAR[]%' "
        "order by all").fetchall()


def test_no_email_address_or_phone_number_in_any_warehouse_table(corpus_warehouse):
    connection, _, _, _ = corpus_warehouse
    columns = _text_columns(connection)
    assert len(columns) > 50
    found = []
    for schema, table, column in columns:
        values = connection.execute(
            f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" '
            f'where "{column}" is not null').fetchall()
        found += [(schema, table, column, value) for (value,) in values
                  if EMAIL.search(value) or PHONE.search(value)]
    assert found == []


def test_the_scan_would_see_a_phone_number_or_an_email():
    assert PHONE.search("Tél. 03 20 00 00 00") and PHONE.search("+33 6 12 34 56 78")
    assert EMAIL.search("contact: someone@example.org")
    assert not PHONE.search("Total : 42 318 contacts dont 16 709 entretiens")
    assert not PHONE.search("d424515b31921b0208289673")  # an id, not a phone


def test_every_pia_action_is_a_programme_with_carriers_and_communes(corpus_warehouse):
    connection, _, _, _ = corpus_warehouse
    local, with_carrier, with_communes = connection.execute(
        "select count(*), count(*) filter (where carrier <> ''), "
        "count(*) filter (where programme_code in (select programme_code from star.bridge_programme_commune)) "
        "from star.dim_programme where category <> 'national_scheme' "
        "and programme_code in (select programme_code from intermediate.int_documents_programme_mentions "
        "where document_kind = 'mel_pia_guide')").fetchone()
    # Every action has a carrier; the guide names the action's own communes for 11 of them
    # (16 run "sur l'ensemble du territoire métropolitain", which is not expanded).
    assert local == 40 and with_carrier == 40 and with_communes == 11


def test_national_schemes_are_conformed_across_documents(corpus_warehouse):
    connection, _, _, _ = corpus_warehouse
    cej = connection.execute(
        "select document_count, is_national_scheme from star.dim_programme "
        "where programme_code = 'cej'").fetchone()
    assert cej is not None and cej[1] and cej[0] >= 1


def test_key_figures_and_profiles_are_published_with_provenance(corpus_warehouse):
    connection, report, _, _ = corpus_warehouse
    kinds = dict(connection.execute(
        "select document_kind, count(*) from star.fct_published_indicator group by 1").fetchall())
    assert {"ml_activity_report", "mel_pia_guide", "melt_activity_report", "ml_structure_page"} <= set(kinds)
    missing_source = connection.execute(
        "select count(*) from star.fct_published_indicator where document_sha256 is null "
        "or source_line is null or source_text is null").fetchone()[0]
    assert missing_source == 0
    assert 2023 in report.published


def test_structures_gain_their_territory_and_profile(corpus_warehouse):
    connection, _, _, _ = corpus_warehouse
    melt, wattrelos = connection.execute(
        "select territory_commune_count, territory_population from star.dim_structure "
        "where structure_code in ('59599S00', '59650S00') order by structure_code").fetchall()
    assert melt[0] == 11
    assert wattrelos == (2, 42041)


def test_no_identity_value_of_the_ingested_export_is_in_the_warehouse(corpus_warehouse):
    """The demo I-MILO export carries names, e-mails, phones, social-security numbers, birth
    dates and streets; none of them may be found in any text column of the warehouse."""
    import pandas as pd

    connection, _, settings, _ = corpus_warehouse
    (dossiers,) = (settings.warehouse_dir / "sample_exports").glob("*/dossiers.csv")
    export = pd.read_csv(dossiers, sep=";", dtype=str, encoding="utf-8")
    identity = set()
    for column in ("nomNaissance", "prenom", "mail", "telephone", "numeroSecuriteSociale",
                   "dateNaissance", "adresseLibelleVoie"):
        identity |= {value for value in export[column].dropna() if len(value) >= 5}
    # A first name may also be a commune's name (Salomé): those are public reference data.
    communes = {name for (name,) in connection.execute(
        "select nom_commune from reference.ref_communes").fetchall()}
    identity -= communes
    assert len(identity) > 1000
    found = []
    for schema, table, column in _text_columns(connection):
        values = connection.execute(
            f'select distinct cast("{column}" as varchar) from "{schema}"."{table}" '
            f'where "{column}" is not null').fetchall()
        found += [(schema, table, column, value) for (value,) in values if value in identity]
    assert found == []
    youths = connection.execute("select count(*), min(length(youth_key)) from raw.imilo_youths").fetchone()
    assert youths[0] >= len(export) * 0.9 and youths[1] == 32


def test_years_without_rows_are_never_reported_passed_silently(corpus_warehouse):
    """The corpus's guide dates results to 2017-2019 (no commune rows): those years are published
    with their empty marts marked `empty`; 2020 has no row in any mart and is refused, without
    failing the run."""
    import json
    from pathlib import Path

    from orchestration.latest_catalogue import LATEST

    connection, report, settings, rerun = corpus_warehouse
    assert report.nothing_to_publish == [2020] and 2020 not in report.published
    # Run again with nothing changed: 2020 is still refused, without being rebuilt to refuse it.
    assert rerun.nothing_to_publish == [2020] and "2020" in rerun.unchanged
    assert rerun.published == report.published and rerun.success
    passed, summary = connection.execute("select passed, summary from audit.gate_results "
                                         "where year = 2020 order by checked_at desc limit 1").fetchone()
    assert not passed and "year_has_rows" in summary and "Rows checked: none." in summary
    manifest = json.loads((Path(report.published[2017]) / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["mart_status"]["mart_commune_year"] == "empty"
    assert manifest["mart_status"]["mart_programme_year"] == "checked"
    assert "EMPTY, nothing checked: mart_commune_year" in manifest["gate"]["summary"]
    with duckdb.connect(str(settings.published_dir / LATEST), read_only=True) as latest:
        years = [year for (year,) in latest.execute("select year from releases order by 1").fetchall()]
        programme_years = {year for (year,) in latest.execute(
            "select distinct year from mart_programme_year").fetchall()}
    assert years == sorted(report.published) and 2017 in programme_years


def test_mlw_run_with_nothing_changed_says_a_year_without_rows_is_still_not_published(corpus_warehouse):
    """`mlw run` on the built corpus decides from digests (no Dagster, no dbt) and tells 2020, which
    has no row in any mart, apart from the years whose release is kept (it once printed
    "release None kept")."""
    _, report, settings, _ = corpus_warehouse
    environment = {**os.environ, "MLW_WAREHOUSE": str(settings.warehouse_path),
                   "MLW_INPUTS": ":".join(map(str, settings.input_paths)), "MLW_DEMO": "1"}
    for variable in ("MLW_PSEUDONYMISATION_KEY", "MLW_IMILO_EXPORTS", "MLW_IMILO_REFERENCE"):
        environment.pop(variable, None)
    result = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], env=environment,
                            cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "2020: unchanged: still no row in any mart, not published (mlw run --force rebuilds)" in lines
    assert f"2017: unchanged: release {report.published[2017]} kept (mlw run --force rebuilds)" in lines
    assert not any("None" in line for line in lines)
