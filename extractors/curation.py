"""Reviewers' decisions, kept outside the package and applied over the mapping files.

A new edition changes some wordings. Instead of editing `extractors/mappings/*.yaml`, a
reviewer's decision (`mlw review accept`) is written into a curation folder, year-keyed like
the mapping files, and every mapping file is read with its decisions laid over it:

    <curation>/<year>/dimension_labels.yaml   {dimension: {printed label: code}}
    <curation>/<year>/<mapping>.yaml          the mapping file's own shape, deep-merged
                                              (list entries appended: a commune table's
                                              layout or placement, extractors/decisions.py)

The folder is `MLW_CURATION`, by default `curation/` beside the warehouse file
(`MLW_WAREHOUSE`, default `warehouse/warehouse.duckdb`). Decisions are inputs: their
`digest()` enters the extraction cache key, so a decision re-extracts the documents, and the
release manifest carries it.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml

from extractors.reference import normalise_label

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DIMENSION_LABELS = "dimension_labels"
# The digest of a folder without any decision: releases built without curation say so.
NO_CURATION = "none"

Loaded = TypeVar("Loaded")


def curation_dir() -> Path:
    """The curation folder: MLW_CURATION, else `curation/` beside the warehouse file."""
    explicit = os.environ.get("MLW_CURATION")
    if explicit:
        return Path(explicit).resolve()
    warehouse = os.environ.get("MLW_WAREHOUSE") or PROJECT_ROOT / "warehouse" / "warehouse.duckdb"
    return Path(warehouse).resolve().parent / "curation"


def decision_files(folder: Path | None = None) -> list[Path]:
    """Every decision file, in a stable order (`<year>/<name>.yaml`)."""
    folder = folder or curation_dir()
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob("*/*.yaml") if path.parent.name.isdigit())


def digest(folder: Path | None = None) -> str:
    """SHA-256 of the decisions (names and contents); NO_CURATION when there is none."""
    folder = folder or curation_dir()
    files = decision_files(folder)
    if not files:
        return NO_CURATION
    sha = hashlib.sha256()
    for path in files:
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes() + b"\0")
    return sha.hexdigest()


def curated_years(name: str, folder: Path | None = None) -> list[int]:
    """The edition years with a decision file for mapping `name`."""
    return [int(path.parent.name) for path in decision_files(folder) if path.stem == name]


def decisions(name: str, year: int, folder: Path | None = None) -> dict[str, Any]:
    """The decisions of one year for mapping `name` (empty when there is none)."""
    path = (folder or curation_dir()) / str(year) / f"{name}.yaml"
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def overlay(name: str, year: int, data: dict[str, Any], folder: Path | None = None) -> dict[str, Any]:
    """The mapping file's content `data` with the year's decisions laid over it (a copy).

    `dimension_labels`: each decided label is added to its dimension's labels of `year`; an
    edition the file does not list first inherits every listed edition's labels (latest wins),
    as the reader would have used them. A dimension not yet listed is added (a new category of
    a new dimension). Other mappings are deep-merged: the decision wins on a key, list entries
    are appended when new."""
    curated = decisions(name, year, folder)
    if not curated:
        return data
    merged = copy.deepcopy(data)
    if name != DIMENSION_LABELS:
        _inherit_editions(merged, curated)
        return _deep_merge(merged, curated)
    for dimension, labels in curated.items():
        editions = merged.setdefault(dimension, {}) or {}
        merged[dimension] = editions
        key = next((edition for edition in editions if int(edition) == year), year)
        if key not in editions:
            editions[key] = {label: code for edition in sorted(editions, key=int)
                             for label, code in (editions[edition] or {}).items()}
        editions[key] = {**(editions[key] or {}), **{str(label): str(code) for label, code in labels.items()}}
    return merged


def curated(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """The mapping file's content with every year's decisions laid over it: the one hook
    where a mapping YAML is read."""
    for year in curated_years(name):
        data = overlay(name, year, data)
    return data


def _inherit_editions(merged: dict[str, Any], curated: dict[str, Any]) -> None:
    """A mapping keyed by `editions` reads an unlisted edition as the latest listed before it
    (else the earliest): a decision about such an edition starts from a copy of that one, so
    that it adds to the edition's wordings instead of replacing them all."""
    editions, decided = merged.get("editions"), curated.get("editions")
    if not isinstance(editions, dict) or not editions or not isinstance(decided, dict):
        return
    for year in decided:
        if any(int(listed) == int(year) for listed in editions):
            continue
        listed = sorted(editions, key=int)
        earlier = [edition for edition in listed if int(edition) <= int(year)]
        editions[int(year)] = copy.deepcopy(editions[earlier[-1] if earlier else listed[0]])


def _deep_merge(base: Any, decided: Any) -> Any:
    if isinstance(base, dict) and isinstance(decided, dict):
        for key, value in decided.items():
            base[key] = _deep_merge(base[key], value) if key in base else value
        return base
    if isinstance(base, list) and isinstance(decided, list):
        return base + [entry for entry in decided if entry not in base]
    return decided


def record_label(dimension: str, label: str, code: str, year: int, folder: Path | None = None) -> Path:
    """Write one decision: printed `label` of `dimension` in the `year` edition means `code`."""
    path = (folder or curation_dir()) / str(year) / f"{DIMENSION_LABELS}.yaml"
    current = decisions(DIMENSION_LABELS, year, folder)
    labels = current.setdefault(dimension, {})
    # one entry per label as the reader normalises it: a second decision replaces the first
    for existing in [known for known in labels if normalise_label(known) == normalise_label(label)]:
        del labels[existing]
    labels[label] = code
    write_yaml(path, current)
    return path


def record_entry(name: str, keys: tuple[str | int, ...], entry: dict[str, Any],
                 same: Callable[[dict], bool], year: int, folder: Path | None = None) -> Path:
    """Write one decision that is an entry of a list of mapping `name`, found under `keys` (a
    commune table's layout or placement: ("commune_tables",); a MELT key figure's wording:
    ("editions", year, "figures")): appended to the year's decision file, replacing an earlier
    decision on the same thing (`same`), as a second label decision replaces the first."""
    path = (folder or curation_dir()) / str(year) / f"{name}.yaml"
    current = decisions(name, year, folder)
    parent = current
    for key in keys[:-1]:
        parent = parent.setdefault(key, {})
    parent[keys[-1]] = [known for known in parent.get(keys[-1]) or [] if not same(known)] + [entry]
    write_yaml(path, current)
    return path


def write_yaml(path: Path, content: dict[str, Any]) -> None:
    """Write a decision file atomically (a run reading it sees the old or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".yaml.tmp")
    temporary.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def _signature() -> tuple:
    """What a change of decisions changes: each file's name, size and modification time."""
    files = decision_files()
    return tuple((str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in files)


def curated_cache(loader: Callable[..., Loaded]) -> Callable[..., Loaded]:
    """Like functools.cache, but a loader of mapping files is read again when decisions change
    (a long-lived process runs again after `mlw review accept`)."""
    cached = functools.cache(lambda signature, *args: loader(*args))

    @functools.wraps(loader)
    def load(*args: Any) -> Loaded:
        return cached(_signature(), *args)

    load.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return load
