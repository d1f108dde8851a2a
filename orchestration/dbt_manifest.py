"""The dbt manifest that dagster-dbt reads at load time, re-parsed when the project changed."""

from __future__ import annotations

from pathlib import Path

from orchestration.settings import DBT_PROJECT_DIR

MANIFEST = DBT_PROJECT_DIR / "target" / "manifest.json"
_SOURCES = ("models", "seeds", "macros", "tests", "dbt_project.yml", "profiles.yml")


def ensure_manifest() -> Path:
    """Run `dbt parse` when the manifest is missing or older than a project file."""
    if not MANIFEST.is_file() or _newest_source_mtime() > MANIFEST.stat().st_mtime:
        from dbt.cli.main import dbtRunner

        result = dbtRunner().invoke(["parse", "--quiet", "--project-dir", str(DBT_PROJECT_DIR),
                                     "--profiles-dir", str(DBT_PROJECT_DIR)])
        if not result.success:
            raise RuntimeError(f"dbt parse failed: {result.exception}")
    return MANIFEST


def _newest_source_mtime() -> float:
    newest = 0.0
    for name in _SOURCES:
        path = DBT_PROJECT_DIR / name
        files = path.rglob("*") if path.is_dir() else [path]
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file())])
    return newest
