"""Shared test fixtures: where the real corpus is, the demo pseudonymisation key, the I-MILO
export generated for the synthetic 2023 report, the export marts built from hand-made rows, and
one real pipeline run of the 2023 report shared by the tests that only read it; and what lets
pytest-xdist workers run side by side (worker_scheduling.py, a Dagster home per worker)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from orchestration.settings import Settings

if TYPE_CHECKING:
    from dagster import DagsterInstance

    from orchestration.run import RunReport
    from sample_inputs.imilo import ExportFigures, ExportSummary

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT_ROOT.parent / "shared" / "corpus"
MNO_2023 = CORPUS / "ml_mno_rapport_activite_2023.txt"


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """Under `--dist loadscope`, modules sharing a session fixture run on one worker, the longest
    units first (worker_scheduling.py)."""
    if config.getoption("dist") != "loadscope":
        return None
    from worker_scheduling import SharedFixtureScheduling

    return SharedFixtureScheduling(config, log)


def pytest_configure(config):
    """Before xdist starts its workers, parse the dbt project once: otherwise two workers that
    both find the manifest stale would write dbt_project/target/manifest.json at once."""
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        from orchestration.dbt_manifest import ensure_manifest

        ensure_manifest()


@pytest.fixture(scope="session", autouse=True)
def own_dagster_home_and_dbt_logs(tmp_path_factory) -> Iterator[None]:
    """Each test process (each xdist worker) has its own default Dagster instance and dbt log
    folder, so that parallel workers never write the same SQLite or log file, and no test writes
    into the developer's .dagster/ or dbt_project/logs/."""
    root = tmp_path_factory.mktemp("process")
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_HOME", str(home))
        patch.setenv("DBT_LOG_PATH", str(root / "dbt_logs"))
        yield


@pytest.fixture
def mno_2023() -> Path:
    if not MNO_2023.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    return MNO_2023


@pytest.fixture(autouse=True)
def demo_pseudonymisation(monkeypatch):
    """Tests ingest generated exports only: the public demo key is enough (and no test may
    depend on a developer's real key)."""
    monkeypatch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
    monkeypatch.setenv("MLW_DEMO", "1")


@pytest.fixture(scope="session")
def sample_figures() -> ExportFigures:
    """The figures of the synthetic 2023 ML MNO report (seed 1), as an export is calibrated to."""
    from sample_inputs.imilo import figures_from_report
    from sample_inputs.report_figures import generate_figures

    return figures_from_report(generate_figures(2023, 1))


@pytest.fixture(scope="session")
def sample_export(tmp_path_factory, sample_figures) -> ExportSummary:
    """The I-MILO export calibrated to `sample_figures` (seed 1), written once for the tests that
    only read it."""
    from sample_inputs.imilo import write_export

    return write_export(tmp_path_factory.mktemp("imilo") / "sample", sample_figures, 2023, seed=1)


@pytest.fixture(scope="session")
def export_marts_built(tmp_path_factory) -> tuple[Path, Path, dict[str, list], str]:
    """The I-MILO export marts built by dbt from the hand-made raw layer of export_marts_rows.py,
    shared by the modules that test them (a test that rebuilds a model restores it)."""
    from export_marts_rows import build_export_marts

    return build_export_marts(tmp_path_factory.mktemp("dbt_exports"))


@dataclass(frozen=True)
class PublishedRun:
    """A finished `run_all` and where it wrote: settings, Dagster instance, its report, the
    input document, the 2023 release and the I-MILO export it ingested."""

    settings: Settings
    instance: DagsterInstance
    report: RunReport
    report_path: Path
    release: Path
    export: Path


@pytest.fixture(scope="session")
def mno_2023_published(tmp_path_factory) -> Iterator[PublishedRun]:
    """One real run (Dagster, dbt, GX gate, publication) of the 2023 ML MNO report with the demo
    I-MILO export calibrated to it, shared by the tests that only read what it produced: a
    full run costs ~35 s. Tests that change inputs or run again with --force make their own."""
    if not MNO_2023.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    from dagster import DagsterInstance

    from orchestration.run import run_all

    root = tmp_path_factory.mktemp("mno_2023_run")
    (root / "inputs").mkdir()
    (root / "dagster_home").mkdir()
    report_path = root / "inputs" / "report.txt"
    shutil.copy(MNO_2023, report_path)
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb", input_paths=(root / "inputs",))
    from sample_inputs.demo import ensure_demo_export  # deferred like the fixture's other imports

    ensure_demo_export(settings.demo_exports_dir, CORPUS)  # what `make run` writes first
    with pytest.MonkeyPatch.context() as patch, \
            DagsterInstance.local_temp(tempdir=str(root / "dagster_home")) as instance:
        patch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
        patch.setenv("MLW_DEMO", "1")
        report = run_all(settings, instance)
        assert report.success and 2023 in report.published, report.blocked
        yield PublishedRun(settings, instance, report, report_path, Path(report.published[2023]),
                           settings.imilo_export_folders()[0])
