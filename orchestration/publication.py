"""Releases of a year's gated marts under published/<year>/: immutable and switched atomically.

Each release is a folder written beside the others under a temporary name, then renamed;
`published/<year>/current` is a symbolic link replaced in one rename. A reader therefore sees
the previous release or the new one, never a half-written one, and a failed year leaves the
last good release as it was. A release holds one Parquet file per mart and per dimension, a
read-only DuckDB file with the same tables, commune-only views and every table and column
commented (`marts.duckdb`, for BI tools, in a storage format DuckDB 1.1+ opens: bi_database; a
tool holding it open never blocks the next build, which writes a new release), `README.md` and
`data_dictionary.csv` (release_readme, release_docs), and `manifest.json`: every file's SHA-256
and row count, plus what the caller says of its provenance (inputs, code version, gate
results, the curation's SHA-256 and what the year withholds). Rows carry their origin, and a release built with a demo-key export is named
`...-demo` (release_contents). `verify_release` recomputes the checksums.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from extractors.curation import NO_CURATION
from orchestration.bi_database import write_bi_database
from orchestration.publication_log import anchor_problems, record_publication
from orchestration.release_contents import DEMO_EXPORT, export_origin, with_data_origin
from orchestration.release_docs import data_dictionary, release_descriptions
from orchestration.release_readme import release_readme

CURRENT = "current"
MANIFEST = "manifest.json"
BI_DATABASE = "marts.duckdb"
README = "README.md"
DATA_DICTIONARY = "data_dictionary.csv"


def current_release(published_dir: Path, year: int) -> Path | None:
    link = published_dir / str(year) / CURRENT
    return link.resolve() if link.exists() else None


def publish_release(frames: dict[str, pd.DataFrame], year: int, published_dir: Path,
                    fingerprint: str, provenance: dict | None = None,
                    dimensions: dict[str, pd.DataFrame] | None = None,
                    column_types: dict[str, dict[str, str]] | None = None) -> tuple[Path, bool]:
    """Publish these marts for `year` with these dimensions; returns the release folder and
    whether it is new. `column_types`: table -> column -> DuckDB type (the warehouse's).

    Publishing the same rows again (same fingerprint, same demo status) keeps the current
    release.
    """
    year_dir = published_dir / str(year)
    existing = current_release(published_dir, year)
    provenance = provenance or {}
    origin = export_origin(provenance)
    if existing and _manifest(existing).get("fingerprint") == fingerprint \
            and bool(_manifest(existing).get("demo")) == (origin == DEMO_EXPORT) \
            and _curation_sha256(_manifest(existing)) == _curation_sha256(provenance) \
            and not release_problems(existing):  # a damaged release is replaced, never kept
        return existing, False
    tables = {**with_data_origin(frames, origin), **(dimensions or {})}
    now = datetime.now(timezone.utc)
    release_id = f"{now:%Y%m%dT%H%M%S%fZ}-{fingerprint[:8]}{'-demo' if origin == DEMO_EXPORT else ''}"
    year_dir.mkdir(parents=True, exist_ok=True)
    staging = year_dir / f".{release_id}.partial"
    staging.mkdir()
    try:
        descriptions = release_descriptions(tables)
        bi_database = write_bi_database(staging / BI_DATABASE, tables, descriptions, column_types)
        files = {f"{name}.parquet": {"sha256": _sha256(staging / f"{name}.parquet"), "rows": len(frame)}
                 for name, frame in tables.items()}
        files[BI_DATABASE] = {"sha256": _sha256(staging / BI_DATABASE),
                              "rows": sum(len(frame) for frame in tables.values())}
        mart_status = {name: mart["status"] for name, mart in
                       ((provenance.get("gate") or {}).get("marts") or {}).items()}
        _write_documentation(staging, year, release_id, tables, descriptions, origin, mart_status)
        for name in (README, DATA_DICTIONARY):
            files[name] = {"sha256": _sha256(staging / name), "rows": None}
        manifest = {"year": year, "release": release_id, "created_at": now.isoformat(),
                    "fingerprint": fingerprint, "demo": origin == DEMO_EXPORT,
                    "data_origin": {"report_figures": "report", "recomputed_figures": origin},
                    "mart_status": mart_status, "bi_database": bi_database,
                    "files": files, **provenance}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False,
                                                   default=str), encoding="utf-8")
        for path in staging.iterdir():
            path.chmod(0o444)
        release = year_dir / release_id
        os.replace(staging, release)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    record_publication(published_dir, year, release_id, release / MANIFEST)
    link = year_dir / f".{CURRENT}.partial"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(release_id)
    os.replace(link, year_dir / CURRENT)
    return release, True


def _write_documentation(staging: Path, year: int, release_id: str, tables: dict[str, pd.DataFrame],
                         descriptions: dict, origin: str | None, mart_status: dict[str, str]) -> None:
    """README.md and data_dictionary.csv, types as the DuckDB file has them."""
    with duckdb.connect(str(staging / BI_DATABASE), read_only=True) as connection:
        types: dict[str, dict[str, str]] = {}
        for table, column, data_type in connection.execute(
                "select table_name, column_name, data_type from duckdb_columns() "
                "where not internal order by table_name, column_index").fetchall():
            types.setdefault(table, {})[column] = data_type
    units = {}
    if "dim_indicator" in tables:
        units = dict(zip(tables["dim_indicator"]["indicator_code"], tables["dim_indicator"]["unit"]))
    data_dictionary(tables, descriptions, types, units).to_csv(staging / DATA_DICTIONARY, index=False)
    (staging / README).write_text(
        release_readme(year, release_id, {name: len(frame) for name, frame in tables.items()},
                       descriptions, origin, mart_status), encoding="utf-8")


def verify_release(release: Path) -> list[str]:
    """What is wrong with a release: files whose checksum or row count differs from the
    manifest, files missing or not listed. Empty when the release is intact."""
    manifest_path = release / MANIFEST
    if not manifest_path.is_file():
        return [f"{release}: no {MANIFEST}: not a release"]
    listed = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    problems = []
    for name, expected in sorted(listed.items()):
        path = release / name
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif _sha256(path) != expected["sha256"]:
            problems.append(f"{name}: SHA-256 differs from the manifest (the file was changed)")
        elif name.endswith(".parquet") and pq.ParquetFile(path).metadata.num_rows != expected["rows"]:
            problems.append(f"{name}: row count differs from the manifest")
    present = {path.name for path in release.iterdir() if path.is_file()} - {MANIFEST}
    problems += [f"{name}: not listed in the manifest" for name in sorted(present - set(listed))]
    return problems


def release_problems(release: Path) -> list[str]:
    """`verify_release` plus the publication log: a manifest rewritten with its files no longer
    matches the entry that anchored it (orchestration/publication_log.py)."""
    return verify_release(release) + anchor_problems(release)


def remove_partial_releases(published_dir: Path) -> list[Path]:
    """Remove what a run killed during publication left: `.<id>.partial` folders and the
    `.current.partial` link (never read: `current` still names the last good release)."""
    removed = []
    for leftover in sorted(published_dir.glob("*/.*.partial")):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()
        else:
            for path in leftover.iterdir():
                path.chmod(0o644)
            shutil.rmtree(leftover)
        removed.append(leftover)
    return removed


def status_note(release: Path | str) -> str:
    """What `mlw run` adds after a release: its empty marts and whether it holds demo data."""
    manifest = _manifest(Path(release))
    empty = [name for name, status in (manifest.get("mart_status") or {}).items() if status == "empty"]
    return ((f"; EMPTY (nothing to check, published empty): {', '.join(empty)}" if empty else "")
            + ("; built with a DEMO (generated) I-MILO export: see data_origin" if manifest.get("demo") else ""))


def _curation_sha256(manifest: dict) -> str:
    """The reviewers' decisions a release was built with (a decision is an input: a new one
    makes a new release even when it changes no figure)."""
    return (manifest.get("curation") or {}).get("sha256") or NO_CURATION


def _manifest(release: Path) -> dict:
    path = release / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
