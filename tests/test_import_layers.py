"""The layering of .importlinter holds: orchestration > expectations > extractors, extractors
import nothing above them, nothing in production imports the sample generators, and no package
has an import cycle (deferred imports inside functions included)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def test_import_contracts_hold():
    process = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=PROJECT_ROOT,
                             capture_output=True, text=True, timeout=300)
    report = process.stdout[process.stdout.find("Contracts"):]  # past the banner
    assert process.returncode == 0, (
        "an import breaks the layering of .importlinter (README \"Layers\"):\n"
        f"{report}{process.stderr}")
    assert "BROKEN" not in report and "KEPT" in report, report


def test_a_broken_contract_fails_with_its_import(tmp_path):
    """The contracts are not vacuous: a package whose bottom layer imports its top is reported,
    with the offending import, by the same lint-imports and configuration style."""
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "top.py").write_text("")
    (package / "bottom.py").write_text("def late():\n    from layered import top  # deferred\n")
    (tmp_path / ".importlinter").write_text(
        "[importlinter]\nroot_packages =\n    layered\n\n"
        "[importlinter:contract:layers]\nname = top > bottom\ntype = layers\n"
        "layers =\n    layered.top\n    layered.bottom\n", encoding="utf-8")
    process = subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=tmp_path, capture_output=True,
                             text=True, timeout=120, env={"PYTHONPATH": str(tmp_path)})
    assert process.returncode == 1
    assert "layered.bottom -> layered.top" in process.stdout
