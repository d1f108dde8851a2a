"""An append-only, hash-chained log of publications: what anchors each release's manifest.

A release's manifest lists every file's SHA-256, so `verify_release` catches a changed file; but
someone who rewrites a Parquet file *and* its manifest together leaves a consistent folder.
Each publication therefore appends one line to `published/publication_log.jsonl`: the year, the
release id, the SHA-256 of its manifest, the hash of the previous entry and its own hash (and,
when `MLW_SIGNING_KEY` is set, an HMAC-SHA256 of that hash). Rewriting a manifest then means
rewriting its entry and every later one; with a signing key kept outside the warehouse, it
cannot be done without the key. The run lock (`orchestration/run_guard.py`) makes the run the
only writer.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from datetime import datetime, timezone
from pathlib import Path

LOG_NAME = "publication_log.jsonl"
MANIFEST_NAME = "manifest.json"  # publication.MANIFEST (not imported: publication imports us)
GENESIS = "0" * 64
SIGNING_KEY_VARIABLE = "MLW_SIGNING_KEY"


def log_path(published_dir: Path) -> Path:
    return published_dir / LOG_NAME


def record_publication(published_dir: Path, year: int, release_id: str, manifest: Path) -> dict:
    """Append the entry of a new release (before it becomes `current`, so that a current
    release always has one)."""
    path = log_path(published_dir)
    entries, _ = read_entries(path)
    entry = {"seq": len(entries) + 1, "year": year, "release": release_id,
             "manifest_sha256": _sha256(manifest),
             "recorded_at": datetime.now(timezone.utc).isoformat(),
             "previous_hash": entries[-1].get("hash", "") if entries else GENESIS}
    entry["hash"] = entry_hash(entry)
    key = _signing_key()
    if key:
        entry["signature"] = _sign(key, entry["hash"])
    line = (json.dumps(entry, sort_keys=True, ensure_ascii=False) + "\n").encode()
    published_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(descriptor, line)  # one write of one line: no reader sees half an entry
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    return entry


def entry_hash(entry: dict) -> str:
    """SHA-256 of the entry's canonical JSON, without its own hash and signature."""
    body = {key: value for key, value in entry.items() if key not in ("hash", "signature")}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def read_entries(path: Path) -> tuple[list[dict], list[str]]:
    """The log's entries and what cannot be parsed (line number and reason)."""
    if not path.is_file():
        return [], []
    entries, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            entries.append(json.loads(line))
        except json.JSONDecodeError as error:
            problems.append(f"{path}, line {number}: not a JSON entry ({error.msg})")
    return entries, problems


def verify_chain(published_dir: Path) -> list[str]:
    """What is wrong with the log: unparsable lines, an entry whose hash does not match its
    content, a broken link to the previous entry, a missing or wrong signature (when a signing
    key is configured). Empty when the chain is intact."""
    path = log_path(published_dir)
    entries, problems = read_entries(path)
    key = _signing_key()
    previous = GENESIS
    for number, entry in enumerate(entries, start=1):
        where = f"{path}, entry {number} ({entry.get('year')} {entry.get('release')})"
        if entry.get("previous_hash") != previous:
            problems.append(f"{where}: previous_hash does not match the entry before it "
                            "(an entry was removed, inserted or changed)")
        if entry.get("hash") != entry_hash(entry):
            problems.append(f"{where}: hash does not match the entry's content (the entry was changed)")
        if key and not hmac.compare_digest(str(entry.get("signature", "")), _sign(key, entry_hash(entry))):
            problems.append(f"{where}: signature missing or wrong for {SIGNING_KEY_VARIABLE}")
        previous = entry.get("hash", "")
    return problems


def anchor_problems(release: Path) -> list[str]:
    """Whether this release is anchored: the log's chain is intact and holds exactly one entry
    for the release, whose manifest SHA-256 is that of the release's manifest.json."""
    release = release.resolve()
    published_dir = release.parent.parent
    path = log_path(published_dir)
    if not path.is_file():
        return [f"{path}: no publication log: the release is not anchored"]
    problems = verify_chain(published_dir)
    entries, _ = read_entries(path)
    own = [entry for entry in entries if entry.get("release") == release.name
           and str(entry.get("year")) == release.parent.name]
    manifest = release / MANIFEST_NAME
    if not own:
        problems.append(f"{release}: not in the publication log {path}")
    elif len(own) > 1:
        problems.append(f"{release}: logged {len(own)} times in {path} (a release is published once)")
    elif manifest.is_file() and own[0].get("manifest_sha256") != _sha256(manifest):
        problems.append(f"{manifest}: SHA-256 differs from its publication log entry "
                        f"(seq {own[0].get('seq')}): the manifest was rewritten")
    return problems


def _signing_key() -> bytes | None:
    value = os.environ.get(SIGNING_KEY_VARIABLE)
    return value.encode() if value else None


def _sign(key: bytes, digest: str) -> str:
    return hmac.new(key, digest.encode(), hashlib.sha256).hexdigest()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
