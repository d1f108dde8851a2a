"""A re-run with nothing changed decides from digests, without importing Dagster or dbt; any
change falls through to the full run. One real `mlw run` (subprocess: Dagster, dbt, GX,
publication) on a small invented national export, then re-runs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.fast_path import unchanged_years
from orchestration.publication import current_release
from orchestration.settings import PROJECT_ROOT, Settings
from sample_inputs.imilo import write_national_export

YEAR = 2023
# `mlw run`, and whether Dagster and dbt were imported by the end of it
_RUN = ("import sys; from orchestration.cli import main; code = main(['run']); "
        "print('imported:', sorted(m for m in ('dagster', 'dbt') if m in sys.modules)); sys.exit(code)")


def _export(folder: Path, seed: int = 1, year: int = YEAR):
    return write_national_export(folder, year, seed=seed, structures=3, youths=40_000)


def _mlw_run(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _RUN], env=environment, cwd=PROJECT_ROOT,
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A warehouse built by one full run; its environment and settings."""
    root = tmp_path_factory.mktemp("fast_path")
    (root / "inputs").mkdir()
    summary = _export(root / "exports" / f"national_{YEAR}")
    environment = {**os.environ, "MLW_WAREHOUSE": str(root / "warehouse" / "warehouse.duckdb"),
                   "MLW_INPUTS": str(root / "inputs"), "MLW_IMILO_EXPORTS": str(root / "exports"),
                   "MLW_IMILO_REFERENCE": str(summary.reference_dir), "MLW_DEMO": "1",
                   "DAGSTER_HOME": str(root / "dagster")}
    environment.pop("MLW_PSEUDONYMISATION_KEY", None)
    (root / "dagster").mkdir()
    full = _mlw_run(environment)
    assert full.returncode == 0, full.stdout + full.stderr
    assert "imported: ['dagster', 'dbt']" in full.stdout
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb",
                        input_paths=(root / "inputs",), imilo_export_paths=(root / "exports",),
                        imilo_reference_dir=summary.reference_dir)
    return environment, settings, summary


def test_a_rerun_with_nothing_changed_starts_neither_dagster_nor_dbt(built):
    environment, settings, _ = built
    started = time.perf_counter()
    rerun = _mlw_run(environment)
    print(f"\nre-run with nothing changed: {time.perf_counter() - started:.2f} s (process included)")
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    release = current_release(settings.published_dir, YEAR)
    assert rerun.stdout.splitlines() == [
        f"{YEAR}: unchanged: release {release} kept (mlw run --force rebuilds)", "imported: []"]


def test_a_damaged_release_falls_through_to_the_full_run(built, tmp_path):
    _, settings, _ = built
    release = current_release(settings.published_dir, YEAR)
    victim = next(path for path in sorted(release.iterdir()) if path.suffix == ".parquet")
    kept = victim.read_bytes()
    try:
        victim.write_bytes(kept[:-1] + bytes([kept[-1] ^ 1]))
        assert unchanged_years(settings) is None
    finally:
        victim.write_bytes(kept)
    assert unchanged_years(settings) == [YEAR]


def test_a_later_export_or_a_changed_one_falls_through_to_the_full_run(built, tmp_path):
    """Adding next year's export changes this year's figures too (a youth counts in the commune
    of their latest export row): the re-run must not report this year unchanged."""
    _, settings, summary = built
    later = tmp_path / "later"
    _export(later / f"national_{YEAR + 1}", seed=1, year=YEAR + 1)
    with_later = Settings(warehouse_path=settings.warehouse_path, input_paths=settings.input_paths,
                          imilo_export_paths=(*settings.imilo_export_paths, later),
                          imilo_reference_dir=summary.reference_dir)
    assert unchanged_years(with_later) is None

    changed = tmp_path / "changed"
    _export(changed / f"national_{YEAR}", seed=2)
    other_rows = Settings(warehouse_path=settings.warehouse_path, input_paths=settings.input_paths,
                          imilo_export_paths=(changed,), imilo_reference_dir=summary.reference_dir)
    assert unchanged_years(other_rows) is None


def test_a_new_pseudonymisation_key_falls_through_to_the_full_run(built, monkeypatch):
    """The exports were hashed with the demo key: with another key the load must ingest them
    all again (orchestration/load_selection.py runs it whole), not report them unchanged."""
    _, settings, _ = built
    assert unchanged_years(settings) == [YEAR]
    monkeypatch.setenv("MLW_PSEUDONYMISATION_KEY", "k" * 64)
    assert unchanged_years(settings) is None
