"""The demo inputs come from a command of their own (`python -m sample_inputs.demo`), never from
the pipeline: `mlw run` reads them when no inputs are configured and, with none at all, stops
with exit 2 and says how to write them."""

from __future__ import annotations

import subprocess
import sys

from orchestration.cli import main
from orchestration.settings import PROJECT_ROOT, Settings


def test_run_without_any_input_exits_2_naming_the_folders_and_the_demo_command(tmp_path, monkeypatch,
                                                                               capsys):
    (tmp_path / "inputs").mkdir()
    monkeypatch.setenv("MLW_WAREHOUSE", str(tmp_path / "warehouse" / "warehouse.duckdb"))
    monkeypatch.setenv("MLW_INPUTS", str(tmp_path / "inputs"))
    monkeypatch.delenv("MLW_IMILO_EXPORTS", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert main(["run"]) == 2
    message = capsys.readouterr().err
    assert f"no document in {tmp_path / 'inputs'}" in message
    assert f"no I-MILO export in {tmp_path / 'warehouse' / 'sample_exports'}" in message
    assert f"python -m sample_inputs.demo {tmp_path / 'warehouse'}" in message
    assert not (tmp_path / "warehouse" / "warehouse.duckdb").exists()  # nothing was run


def test_demo_command_writes_the_inputs_the_default_settings_read(tmp_path):
    warehouse_dir = tmp_path / "warehouse"
    command = [sys.executable, "-m", "sample_inputs.demo", str(warehouse_dir),
               "--corpus", str(tmp_path / "no_corpus")]
    written = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    settings = Settings(warehouse_path=warehouse_dir / "warehouse.duckdb", input_paths=())
    documents, exports = settings.document_paths(), settings.imilo_export_folders()
    assert {path.suffix for path in documents} == {".pdf", ".txt"}
    assert [folder.name for folder in exports] == ["imilo_ml_mno_2023_sample"]
    assert written.stdout.split() == [str(settings.samples_dir), str(exports[0])]
    before = {path: path.stat().st_mtime_ns for path in warehouse_dir.rglob("*")}
    subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, check=True)
    assert {path: path.stat().st_mtime_ns for path in warehouse_dir.rglob("*")} == before
