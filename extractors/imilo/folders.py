"""Finding export folders, and the content hash that versions each one."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from extractors.imilo.spec import FILES

_HASH_CHUNK = 8 * 1024 * 1024


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


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def export_content_hash(folder: Path) -> str:
    """SHA-256 of the (name, SHA-256) of every file of the folder; 'missing' if there is none."""
    if not folder.is_dir():
        return "missing"
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        digest.update(f"{path.name}\0{file_sha256(path)}\n".encode())
    return digest.hexdigest()
