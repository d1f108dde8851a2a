"""Finding export folders, and the content hash that versions each one.

A national export is over a gigabyte: each file is hashed once per process (the load digest, the
export asset's data version and ingestion all ask for it), and not at all on a re-run when its
size and modification time are those recorded in `<warehouse dir>/export_digests.json`.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from extractors.imilo.spec import FILES

_HASH_CHUNK = 8 * 1024 * 1024
DIGESTS_FILE = "export_digests.json"
FileKey = tuple[str, int, int]  # absolute path, size, mtime_ns: a file changed in place differs

_known: dict[FileKey, str] = {}  # this process's digests (and the persisted ones, once loaded)
_store: Path | None = None       # where new digests are persisted, once `use_digest_store` ran


def is_export_folder(path: Path) -> bool:
    """A folder holding at least one of the five export files."""
    return path.is_dir() and any((path / spec.file).is_file() for spec in FILES)


def find_export_folders(paths: Iterable[Path]) -> list[Path]:
    """Each path is an export folder, or a folder whose sub-folders are exports. Export names
    (folder names) must be unique: they key the rows in the raw tables and the asset keys."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if is_export_folder(path):
            found.append(path)
        elif path.is_dir():
            found.extend(child for child in sorted(path.iterdir()) if is_export_folder(child))
        else:
            found.append(path)  # named explicitly: kept, so that its absence is reported
    names: dict[str, Path] = {}
    for folder in found:
        if folder.name in names and names[folder.name] != folder:
            raise ValueError(f"two I-MILO exports are named {folder.name!r}: {names[folder.name]} "
                             f"and {folder}; rename one (the folder name identifies the export)")
        names[folder.name] = folder
    return sorted(set(found))


def use_digest_store(warehouse_dir: Path) -> None:
    """Know the digests recorded beside the warehouse, and record new ones there."""
    global _store
    _store = Path(warehouse_dir) / DIGESTS_FILE
    try:
        recorded = json.loads(_store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # none yet, or unreadable: files are hashed again and the store rewritten
    for path, entry in recorded.items():
        _known[(path, entry["size"], entry["mtime_ns"])] = entry["sha256"]


def file_key(path: Path) -> FileKey:
    """Taken before the file is read: a change during the read leaves a key that no longer
    matches, so the file is hashed again next time."""
    status = path.stat()
    return str(path.resolve()), status.st_size, status.st_mtime_ns


def known_sha256(key: FileKey) -> str | None:
    return _known.get(key)


def remember_sha256(key: FileKey, sha256: str) -> None:
    """Keep a digest computed elsewhere (ingestion hashes in the pass that decodes the file)."""
    _known[key] = sha256
    if _store is not None:
        _persist(_store)


def file_sha256(path: Path) -> str:
    key = file_key(path)
    if (sha256 := known_sha256(key)) is None:
        sha256 = _hash_file(path)
        remember_sha256(key, sha256)
    return sha256


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _persist(store: Path) -> None:
    """One entry per path (its latest key), written atomically: a concurrent writer can only
    lose entries, which costs a hash next time, never a wrong digest."""
    latest = {path: {"size": size, "mtime_ns": mtime, "sha256": sha256}
              for (path, size, mtime), sha256 in _known.items()}
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=store.parent, suffix=".tmp")
    except OSError:
        return  # a read-only warehouse folder: the digests are hashed again next time, and the
        # run itself says the warehouse cannot be written (exit 6)
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(latest, stream, indent=0, sort_keys=True)
    os.replace(temporary, store)


def export_content_hash(folder: Path) -> str:
    """SHA-256 of the (name, SHA-256) of every file of the folder; 'missing' if there is none."""
    if not folder.is_dir():
        return "missing"
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(f"{path.name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()
