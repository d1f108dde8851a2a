"""Releases of a year's gated marts under published/<year>/: immutable and switched atomically.

Each release is a folder written beside the others under a temporary name, then renamed;
`published/<year>/current` is a symbolic link replaced in one rename. A reader therefore sees
the previous release or the new one, never a half-written one, and a failed year leaves the
last good release as it was. A release holds one Parquet file per mart, a read-only DuckDB file
with the same tables (`marts.duckdb`, for BI tools: a tool holding it open never blocks the
next build, which writes a new release), and `manifest.json`: every file's SHA-256 and row
count, plus what the caller says of its provenance (inputs, code version, gate results).
`verify_release` recomputes the checksums.
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

from orchestration.publication_log import anchor_problems, record_publication

CURRENT = "current"
MANIFEST = "manifest.json"
BI_DATABASE = "marts.duckdb"


def current_release(published_dir: Path, year: int) -> Path | None:
    link = published_dir / str(year) / CURRENT
    return link.resolve() if link.exists() else None


def publish_release(frames: dict[str, pd.DataFrame], year: int, published_dir: Path,
                    fingerprint: str, provenance: dict | None = None) -> tuple[Path, bool]:
    """Publish these marts for `year`; returns the release folder and whether it is new.

    Publishing the same rows again (same fingerprint) keeps the current release.
    """
    year_dir = published_dir / str(year)
    existing = current_release(published_dir, year)
    if existing and _manifest(existing).get("fingerprint") == fingerprint \
            and not release_problems(existing):  # a damaged release is replaced, never kept
        return existing, False
    now = datetime.now(timezone.utc)
    release_id = f"{now:%Y%m%dT%H%M%S%fZ}-{fingerprint[:8]}"
    year_dir.mkdir(parents=True, exist_ok=True)
    staging = year_dir / f".{release_id}.partial"
    staging.mkdir()
    try:
        files = {}
        for name, frame in frames.items():
            target = staging / f"{name}.parquet"
            frame.to_parquet(target, index=False)
            files[target.name] = {"sha256": _sha256(target), "rows": len(frame)}
        _write_bi_database(staging / BI_DATABASE, frames)
        files[BI_DATABASE] = {"sha256": _sha256(staging / BI_DATABASE),
                              "rows": sum(len(frame) for frame in frames.values())}
        manifest = {"year": year, "release": release_id, "created_at": now.isoformat(),
                    "fingerprint": fingerprint, "files": files, **(provenance or {})}
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


def _write_bi_database(path: Path, frames: dict[str, pd.DataFrame]) -> None:
    """The marts as tables of one DuckDB file, for BI tools that read DuckDB rather than Parquet."""
    with duckdb.connect(str(path)) as connection:
        for name, frame in frames.items():
            connection.register("incoming", frame)
            connection.execute(f'create table "{name}" as select * from incoming')
            connection.unregister("incoming")


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


def _manifest(release: Path) -> dict:
    path = release / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
