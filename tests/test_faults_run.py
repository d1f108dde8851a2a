"""Faults on the run side (issue 13): nothing published is ever lost or left damaged.

One warehouse goes through a scenario of real `mlw run`s (Dagster, dbt, GX, publication), each
stage's exit code and output kept, and each test asserts one defect on it:
  run 1  the 2023 report under two names differing only in punctuation (the same bytes: one
         document) and a truncated PDF -> 2023 published, exit 4 (an input could not be read)
  run 2  a Parquet file of the current release deleted, a `.partial` folder of a killed
         publication left -> the release republished as a new one, the leftover removed
  run 3  the report replaced by junk bytes -> 2023 blocked, its release kept, exit 3
  (the current release then rewritten, Parquet and manifest together -> `mlw verify` fails)
  run 4  the report restored, the truncated PDF removed -> the tampered release replaced, exit 0
The tests that need no pipeline run (lock, read-only warehouse, `python -m`) make their own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from filelock import FileLock

from orchestration.cli import main
from orchestration.publication import current_release, verify_release
from orchestration.publication_log import log_path, read_entries, record_publication, verify_chain
from orchestration.run_guard import lock_path
from orchestration.settings import PROJECT_ROOT, SHARED_CORPUS, Settings
from sample_inputs.demo import ensure_demo_export

TRUNCATED_PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R"
JUNK = bytes(range(256)) * 8


@dataclass
class Stage:
    code: int
    out: str
    err: str
    current: Path | None


@dataclass
class Scenario:
    settings: Settings
    report: Path
    stages: dict[str, Stage] = field(default_factory=dict)
    releases: dict[str, Path] = field(default_factory=dict)
    partial: Path | None = None
    tampered_verify: Stage | None = None
    tampered_verify_files_only: list[str] = field(default_factory=list)


def _mlw(settings: Settings, *argv: str) -> Stage:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return Stage(code, out.getvalue(), err.getvalue(), current_release(settings.published_dir, 2023))


def _environment(patch: pytest.MonkeyPatch, root: Path, inputs: Path) -> Settings:
    home = root / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
    patch.setenv("DAGSTER_HOME", str(home))
    patch.setenv("MLW_WAREHOUSE", str(root / "warehouse" / "warehouse.duckdb"))
    patch.setenv("MLW_INPUTS", str(inputs))
    # the demo export `make run` writes first, outside the warehouse folder (some tests
    # create that folder themselves)
    patch.setenv("MLW_IMILO_EXPORTS", str(ensure_demo_export(root / "demo_exports", SHARED_CORPUS)))
    patch.delenv("MLW_SIGNING_KEY", raising=False)
    patch.delenv("MLW_PSEUDONYMISATION_KEY", raising=False)
    patch.setenv("MLW_DEMO", "1")
    return Settings.from_env()


def _tamper(release: Path) -> None:
    """Rewrite a Parquet file and its manifest together, consistently (what an attacker with
    write access to the folder would do)."""
    parquet, manifest = release / "mart_commune_year.parquet", release / "manifest.json"
    table = pq.read_table(parquet).to_pandas()
    table.loc[table["new_registrations"].notna(), "new_registrations"] += 1
    for path in (parquet, manifest):
        path.chmod(0o644)
    table.to_parquet(parquet, index=False)
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data["files"]["mart_commune_year.parquet"]["sha256"] = hashlib.sha256(parquet.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(data, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    source = PROJECT_ROOT.parent / "shared" / "corpus" / "ml_mno_rapport_activite_2023.txt"
    if not source.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    root = tmp_path_factory.mktemp("faults_run")
    inputs = root / "inputs"
    inputs.mkdir()
    report, same_report, broken = (inputs / "site-wattrelos.txt", inputs / "site_wattrelos.txt",
                                   inputs / "broken.pdf")
    shutil.copy(source, report)
    shutil.copy(source, same_report)
    broken.write_bytes(TRUNCATED_PDF)
    with pytest.MonkeyPatch.context() as patch:
        settings = _environment(patch, root, inputs)
        run = Scenario(settings, report)
        run.stages["first"] = _mlw(settings, "run")
        run.releases["first"] = run.stages["first"].current

        # A Parquet file of `current` deleted, and a publication killed halfway.
        (run.releases["first"] / "mart_breakdown_year.parquet").unlink()
        run.partial = settings.published_dir / "2023" / ".20990101T000000000000Z-deadbeef.partial"
        run.partial.mkdir()
        (run.partial / "mart_commune_year.parquet").write_bytes(b"half")
        run.stages["damaged"] = _mlw(settings, "run")
        run.releases["repaired"] = run.stages["damaged"].current

        # The published report replaced by unreadable bytes (its copy removed).
        same_report.unlink()
        report.write_bytes(JUNK)
        run.stages["junk"] = _mlw(settings, "run")

        _tamper(run.stages["junk"].current)
        run.tampered_verify_files_only = verify_release(run.stages["junk"].current)
        run.tampered_verify = _mlw(settings, "verify", str(settings.published_dir / "2023" / "current"))

        shutil.copy(source, report)
        broken.unlink()
        run.stages["restored"] = _mlw(settings, "run")
        yield run


def _mart_rows(release: Path) -> int:
    return duckdb.connect().execute(
        f"select count(*) from '{release / 'mart_commune_year.parquet'}'").fetchone()[0]


def test_unreadable_input_gives_exit_4_and_names_in_one_line(scenario):
    first = scenario.stages["first"]
    assert first.code == 4, first.out + first.err
    assert "Published 2023" in first.out and _mart_rows(first.current) == 11
    assert "broken.pdf: cannot be read: cannot open PDF (corrupt or truncated?)" in first.out
    assert first.out.rstrip().splitlines()[-1] == \
        "Result: 1 year(s) published or kept; 1 input(s) could not be read (exit 4)"


def test_inputs_named_alike_get_distinct_assets_and_one_document_is_read_once(scenario):
    """site-wattrelos.txt and site_wattrelos.txt (same bytes) used to be one Dagster asset name:
    the run died. Now both are assets, the copy is landed once, with a warning."""
    assert "Traceback" not in scenario.stages["first"].err
    manifest = json.loads((scenario.releases["repaired"] / "manifest.json").read_text())
    by_name = {Path(item["path"]).name: item for item in manifest["inputs"]}
    assert by_name["site-wattrelos.txt"]["year"] == 2023
    assert by_name["site_wattrelos.txt"]["year"] is None  # landed once, from the first path
    assert f"same document as {scenario.report} (same SHA-256): read once" in scenario.stages["first"].out
    assert _mart_rows(scenario.releases["first"]) == 11  # not doubled


def test_damaged_current_release_is_republished_and_partial_folders_removed(scenario):
    damaged, first, repaired = scenario.stages["damaged"], scenario.releases["first"], scenario.releases["repaired"]
    assert damaged.code == 4  # broken.pdf is still there
    assert repaired != first and verify_release(repaired) == []
    assert f"Damaged release of 2023: {first}: mart_breakdown_year.parquet: missing" in damaged.out
    assert f"Published 2023: {repaired}" in damaged.out
    assert not scenario.partial.exists()
    assert f"Removed a release left half-written by a killed run: {scenario.partial}" in damaged.out
    assert verify_release(first) == ["mart_breakdown_year.parquet: missing"]  # old one untouched


def test_unreadable_published_document_blocks_its_year_and_keeps_the_release(scenario):
    junk, repaired = scenario.stages["junk"], scenario.releases["repaired"]
    assert junk.code == 3, junk.out + junk.err  # blocked wins over "an input could not be read"
    assert junk.current == repaired and _mart_rows(repaired) == 11
    blocked = next(line for line in junk.out.splitlines() if line.startswith("BLOCKED 2023"))
    assert str(scenario.report) in blocked and "not a text file (binary content)" in blocked
    assert f"a document of the 2023 release {repaired.name} can no longer be read" in blocked
    assert junk.out.rstrip().splitlines()[-1] == \
        "Result: 0 year(s) published or kept; BLOCKED: 2023; 2 input(s) could not be read (exit 3)"


def test_manifest_rewritten_with_its_parquet_fails_verify_then_is_replaced(scenario):
    assert scenario.tampered_verify_files_only == []  # the manifest alone cannot tell
    verify = scenario.tampered_verify
    assert verify.code == 1
    assert "manifest.json: SHA-256 differs from its publication log entry" in verify.out
    entries, _ = read_entries(log_path(scenario.settings.published_dir))
    assert [entry["release"] for entry in entries] == [
        scenario.releases["first"].name, scenario.releases["repaired"].name,
        scenario.stages["restored"].current.name]
    assert verify_chain(scenario.settings.published_dir) == []

    restored = scenario.stages["restored"]
    assert restored.code == 0, restored.out + restored.err
    assert restored.out.rstrip().splitlines()[-1] == "Result: 1 year(s) published or kept (exit 0)"
    assert restored.current != scenario.releases["repaired"]
    assert _mlw(scenario.settings, "verify", str(restored.current)).code == 0


def test_publication_log_detects_a_rewritten_chain_when_entries_are_signed(tmp_path, monkeypatch):
    """Without a key, whoever rewrites a manifest can recompute the whole chain; with
    MLW_SIGNING_KEY, the rewritten entries' signatures no longer match."""
    monkeypatch.setenv("MLW_SIGNING_KEY", "a key kept outside the warehouse")
    published = tmp_path / "published"
    for number, year in enumerate((2022, 2023)):
        release = published / str(year) / f"r{number}"
        release.mkdir(parents=True)
        (release / "manifest.json").write_text(json.dumps({"year": year}), encoding="utf-8")
        record_publication(published, year, release.name, release / "manifest.json")
    assert verify_chain(published) == []

    from orchestration.publication_log import entry_hash

    entries, _ = read_entries(log_path(published))
    entries[0]["manifest_sha256"] = "0" * 64
    entries[0]["hash"] = entry_hash(entries[0])
    entries[1]["previous_hash"] = entries[0]["hash"]
    entries[1]["hash"] = entry_hash(entries[1])
    log_path(published).write_text("".join(json.dumps(e) + "\n" for e in entries), encoding="utf-8")
    problems = verify_chain(published)
    assert len(problems) == 2 and all("signature missing or wrong" in p for p in problems)
    monkeypatch.delenv("MLW_SIGNING_KEY")
    assert verify_chain(published) == []  # what the key is for


def _environment_only(tmp_path: Path, monkeypatch) -> Settings:
    (tmp_path / "inputs").mkdir()
    return _environment(monkeypatch, tmp_path, tmp_path / "inputs")


def test_second_run_is_refused_while_one_holds_the_lock_and_python_m_works(tmp_path, monkeypatch):
    """`python -m orchestration.cli run` used to die on a NameError; and a second run on the
    same warehouse got only "load job failed". Both stop before any work here: the lock is held."""
    settings = _environment_only(tmp_path, monkeypatch)
    settings.warehouse_dir.mkdir(parents=True)
    with FileLock(str(lock_path(settings))):
        refused = _mlw(settings, "run")
        process = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], cwd=PROJECT_ROOT,
                                 env=os.environ.copy(), capture_output=True, text=True, timeout=300)
    for code, err in ((refused.code, refused.err), (process.returncode, process.stderr)):
        assert code == 5, err
        assert err.strip() == (f"mlw run: {settings.warehouse_path}: another `mlw run` is running on "
                               f"this warehouse (lock {lock_path(settings)} is held); nothing was run "
                               "(exit 5)")
    assert not settings.warehouse_path.exists()


@contextlib.contextmanager
def _read_only(path: Path):
    """A file or folder nobody may write: immutable for root (who ignores permissions), without
    write permission otherwise."""
    if os.geteuid() == 0:
        if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        try:
            yield "Operation not permitted"
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield "Permission denied"
        finally:
            path.chmod(mode)


@pytest.mark.parametrize("target", ["folder", "file"])
def test_read_only_warehouse_gives_one_line_and_exit_6(tmp_path, monkeypatch, target):
    settings = _environment_only(tmp_path, monkeypatch)
    settings.warehouse_dir.mkdir(parents=True)
    duckdb.connect(str(settings.warehouse_path)).close()
    path = settings.warehouse_dir if target == "folder" else settings.warehouse_path
    with _read_only(path) as reason:
        refused = _mlw(settings, "run")
    assert refused.code == 6
    expected = (f"{path}: folder not writable ({reason})" if target == "folder" else
                f"{path}: the warehouse file is not writable ({reason})")
    assert refused.err.strip() == f"mlw run: {expected}; nothing was run (exit 6)"
