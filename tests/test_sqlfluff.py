"""The dbt models lint clean with the project's sqlfluff configuration (dbt_project/.sqlfluff):
dialect duckdb, jinja templater with dbt's builtins and the project's macros, no database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
SQLFLUFF = Path(sys.executable).parent / "sqlfluff"


def test_models_lint_clean():
    lint = subprocess.run([str(SQLFLUFF), "lint", "models", "--processes", "1"], cwd=PROJECT_DIR,
                          capture_output=True, text=True, timeout=600)
    assert lint.returncode == 0, f"sqlfluff lint (from dbt_project/):\n{lint.stdout[-6000:]}{lint.stderr[-2000:]}"
    assert "All Finished" in lint.stdout
