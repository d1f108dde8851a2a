"""Releases of a gated annual mart under published/<year>/: immutable and switched atomically.

Each release is a folder written beside the others under a temporary name, then renamed;
`published/<year>/current` is a symbolic link replaced in one rename. A reader therefore sees
the previous release or the new one, never a half-written one, and a failed year leaves the
last good release as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

CURRENT = "current"


def current_release(published_dir: Path, year: int) -> Path | None:
    link = published_dir / str(year) / CURRENT
    return link.resolve() if link.exists() else None


def publish_release(frames: dict[str, pd.DataFrame], year: int, published_dir: Path,
                    fingerprint: str) -> tuple[Path, bool]:
    """Publish these marts for `year`; returns the release folder and whether it is new.

    Publishing the same rows again (same fingerprint) keeps the current release.
    """
    year_dir = published_dir / str(year)
    existing = current_release(published_dir, year)
    if existing and _manifest(existing).get("fingerprint") == fingerprint:
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
        manifest = {"year": year, "release": release_id, "created_at": now.isoformat(),
                    "fingerprint": fingerprint, "files": files}
        (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        for path in staging.iterdir():
            path.chmod(0o444)
        release = year_dir / release_id
        os.replace(staging, release)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    link = year_dir / f".{CURRENT}.partial"
    if link.is_symlink():
        link.unlink()
    link.symlink_to(release_id)
    os.replace(link, year_dir / CURRENT)
    return release, True


def _manifest(release: Path) -> dict:
    path = release / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
