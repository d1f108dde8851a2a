"""A real release opens in the DuckDB that BI tools embed, not only in ours: DuckDB 1.1.3 (in a
throwaway virtualenv kept in pytest's cache, so pip downloads it once) and the current DuckDB,
each in its own process, started from another working directory, read every table and view of
the release's marts.duckdb and of published/latest.duckdb."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from orchestration.bi_database import OLDEST_READER, STORAGE_VERSION
from orchestration.latest_catalogue import LATEST

READ_EVERYTHING = """
import duckdb, json, sys
result = {"version": duckdb.__version__}
for path in sys.argv[1:]:
    with duckdb.connect(path, read_only=True) as c:
        names = [r[0] for r in c.execute(
            "select table_name from duckdb_tables() union all "
            "select view_name from duckdb_views() where not internal order by 1").fetchall()]
        result[path] = {
            "rows": {n: c.execute(f'select count(*) from "{n}"').fetchone()[0] for n in names},
            "read": {n: len(c.execute(f'select * from "{n}"').fetchall()) for n in names},
            "comments": c.execute("select count(*) from duckdb_columns() "
                                  "where not internal and comment is not null").fetchone()[0]}
print(json.dumps(result))
"""


@pytest.fixture(scope="session")
def old_duckdb_python(request) -> Path:
    """The python of a virtualenv holding duckdb==OLDEST_READER (created once, then cached)."""
    home = Path(request.config.cache.mkdir(f"duckdb-{OLDEST_READER}"))
    python = home / "bin" / "python"
    check = [str(python), "-c", f"import duckdb; assert duckdb.__version__ == '{OLDEST_READER}'"]
    if not python.exists() or subprocess.run(check, capture_output=True).returncode:
        venv.create(home, with_pip=True, clear=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"duckdb=={OLDEST_READER}"],
                       check=True, capture_output=True, text=True)
    return python


def _read_everything(python: Path, files: list[Path], cwd: Path) -> dict:
    done = subprocess.run([str(python), "-c", READ_EVERYTHING, *map(str, files)], cwd=cwd,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"{python}: {done.stderr[-2000:]}"
    return json.loads(done.stdout)


@pytest.mark.parametrize("reader", ["oldest", "current"])
def test_release_and_latest_catalogue_open_in_old_and_current_duckdb(
        reader, mno_2023_published, old_duckdb_python, tmp_path):
    python = old_duckdb_python if reader == "oldest" else Path(sys.executable)
    release = mno_2023_published.release
    latest = mno_2023_published.settings.published_dir / LATEST
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["bi_database"]["storage_version"] == STORAGE_VERSION
    assert f"duckdb {OLDEST_READER}" in manifest["bi_database"]["tested_readers"]

    seen = _read_everything(python, [release / "marts.duckdb", latest], cwd=tmp_path)
    if reader == "oldest":
        assert seen["version"] == OLDEST_READER
    bi, catalogue = seen[str(release / "marts.duckdb")], seen[str(latest)]
    tables = {name[:-len(".parquet")]: file["rows"] for name, file in manifest["files"].items()
              if name.endswith(".parquet")}
    assert {name: bi["rows"][name] for name in tables} == tables
    assert bi["read"] == bi["rows"]
    assert bi["rows"]["mart_commune_year_communes"] == tables["mart_commune_year"] - 1
    assert bi["comments"] > 200
    # the catalogue holds the one published year: the same rows, through absolute Parquet paths
    assert {name: catalogue["rows"][name] for name in tables} == tables
    assert catalogue["read"] == catalogue["rows"] and catalogue["rows"]["releases"] == 1
