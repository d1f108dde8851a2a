"""End to end, each test on its own warehouse: real Dagster runs in a temporary DAGSTER_HOME, real
dbt, real DuckDB, real GX; a second run, a new edition, a clone without inputs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration.publication import current_release
from orchestration.run import run_all
from orchestration.settings import Settings


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def instance(tmp_path):
    (tmp_path / "dagster_home").mkdir()
    with DagsterInstance.local_temp(tempdir=str(tmp_path / "dagster_home")) as dagster_instance:
        yield dagster_instance


@pytest.fixture
def workspace(tmp_path, mno_2023):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy(mno_2023, inputs / "report.txt")
    settings = Settings(warehouse_path=tmp_path / "warehouse" / "warehouse.duckdb", input_paths=(inputs,))
    return settings, inputs / "report.txt"


def test_second_run_skips_unchanged_steps_and_keeps_the_release(workspace, instance):
    settings, _ = workspace
    first = run_all(settings, instance)
    before = _tree_digest(settings.published_dir)
    runs_before = len(instance.get_runs())

    second = run_all(settings, instance)
    assert second.success and second.published == first.published
    assert second.unchanged == ["load", "2023"]
    assert first.docs is not None and second.docs is None  # nothing ran: the docs are as they were
    assert len(instance.get_runs()) == runs_before  # nothing ran again
    assert _tree_digest(settings.published_dir) == before

    # Forced, everything runs again, the docs too, but the documents come from the extraction
    # cache and the same rows keep the same release.
    docs_written = first.docs.stat().st_mtime_ns
    forced = run_all(settings, instance, force=True)
    assert forced.success and forced.unchanged == [] and forced.published == first.published
    assert forced.docs == first.docs and forced.docs.stat().st_mtime_ns > docs_written
    assert len(instance.get_runs()) == runs_before + 2
    document_events = [
        event for event in instance.get_latest_materialization_events(
            [key for key in _document_keys(instance)]).values() if event]
    assert document_events and all(
        e.asset_materialization.metadata["reused_from_cache"].value for e in document_events)
    assert _tree_digest(settings.published_dir) == before


def _document_keys(instance):
    return [key for key in instance.all_asset_keys() if key.path[0] == "documents"]


def test_unknown_commune_is_withheld_the_rest_published_while_bi_tools_keep_reading(workspace, instance):
    """A new edition misspells a commune: its cells are withheld (listed in the manifest, a
    review item open), the year's other figures are published; the stated total still checks
    them all. A BI tool reading that release goes on reading it while the corrected edition
    is published beside it."""
    settings, report_path = workspace
    assert run_all(settings, instance).success
    first = current_release(settings.published_dir, 2023)
    text = report_path.read_text(encoding="utf-8")
    report_path.write_text(text.replace("Lambersart 132 15", "Lambersartt 132 15"), encoding="utf-8")

    misspelt = run_all(settings, instance)

    assert misspelt.success and 2023 not in misspelt.blocked, misspelt.blocked
    withheld_release = Path(misspelt.published[2023])
    assert withheld_release != first and first.is_dir()  # the former release is kept
    manifest = json.loads((withheld_release / "manifest.json").read_text(encoding="utf-8"))
    assert any("Lambersartt" in (row["reason"] or "") for row in manifest["withheld"])
    with duckdb.connect(str(withheld_release / "marts.duckdb"), read_only=True) as bi_tool:
        # the misspelt row's cells are withheld; Lambersart's other tables are published
        assert bi_tool.execute("select new_registrations, contacts from mart_commune_year "
                               "where commune_insee = '59328'").fetchone() == (None, 8108)
        report_path.write_text(text.replace("Lambersart 132 15", "Lambersart 133 15"), encoding="utf-8")
        corrected = run_all(settings, instance)
        assert corrected.success and Path(corrected.published[2023]) != withheld_release
        assert bi_tool.execute("select new_registrations from mart_commune_year "
                               "where commune_insee = '59328'").fetchone() == (None,)
    with duckdb.connect(str(Path(corrected.published[2023]) / "marts.duckdb"), read_only=True) as bi_tool:
        assert bi_tool.execute("select new_registrations from mart_commune_year "
                               "where commune_insee = '59328'").fetchone() == (133,)
    assert current_release(settings.published_dir, 2023) == Path(corrected.published[2023])


def test_without_inputs_the_generated_sample_reports_are_built_and_published(tmp_path, instance):
    """A clone without ../shared: the 2022 sample (PDF) and 2023 sample (text) both go through."""
    from sample_inputs import generate_figures

    from sample_inputs.demo import write_demo_inputs

    settings = Settings(warehouse_path=tmp_path / "warehouse" / "warehouse.duckdb", input_paths=())
    write_demo_inputs(settings.warehouse_dir, corpus=None)  # what `make run` writes first
    report = run_all(settings, instance)
    assert report.success, report.blocked
    assert set(report.published) == {2022, 2023}

    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        for year in (2022, 2023):
            figures = generate_figures(year, seed=1)
            loaded = dict(connection.execute(
                "select commune_name, new_registrations from marts.mart_commune_year "
                "where year = ? and not is_stated_total", [year]).fetchall())
            assert loaded == figures.tables["new_registrations"]
        formats = dict(connection.execute(
            "select year, document_sha256 is not null and source_page is not null "
            "from star.fct_published_indicator group by all").fetchall())
        assert formats == {2022: True, 2023: False}  # pages only exist in the PDF
