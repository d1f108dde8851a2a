"""Accepting the suggested review decisions of drifted editions, and extracting them again.

A review item of kind unknown_label carries a `suggestion` (the code its printed label most
likely means). Accepting it writes the decision into a curation folder outside the package,
`<curation>/<year>/dimension_labels.yaml` ({dimension: {printed label: code}}), the folder
`MLW_CURATION` names (extractors/curation.py lays it over the mapping files). Until that reader
is in the project, the decisions are also written into a copy of extractors/mappings that the
extraction reads instead. The extraction after the decisions runs in a fresh process, so that
no mapping read before them is cached.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

import extractors
from extractors.extract import extract_path
from sample_inputs.drift.truth import TruthCell, fact_cell

MAPPINGS_DIR = Path(extractors.__file__).with_name("mappings")  # the package's mapping files
SETTLED_BY_DECISION = ("unknown_label",)  # review kinds whose suggestion a decision records


def extract_cells(paths: list[Path]) -> tuple[list[list[TruthCell]], list[list]]:
    """Each document's extracted cells and its review items."""
    cells, items = [], []
    for path in paths:
        result = extract_path(path)
        cells.append([fact_cell(fact) for fact in result.facts])
        items.append(result.review_items)
    return cells, items


def extract_with_curation(paths: list[Path], curation: str) -> list[list[TruthCell]]:
    """In a fresh process: the mapping files read with the decisions laid over them."""
    os.environ["MLW_CURATION"] = curation
    if importlib.util.find_spec("extractors.curation") is None:  # before the curation folder
        _read_mappings_from(Path(curation) / "mappings")  # existed: a copy holding them
    return extract_cells(paths)[0]


def _read_mappings_from(folder: Path) -> None:
    """Point every extractor module's MAPPINGS_DIR (wherever the module that owns it lives)
    at `folder`."""
    for name, module in list(sys.modules.items()):
        if name.startswith("extractors") and getattr(module, "MAPPINGS_DIR", None) == MAPPINGS_DIR:
            module.MAPPINGS_DIR = folder


def accept_suggestions(items: list, year: int, curation: Path) -> tuple[int, Counter[str]]:
    """Record every suggested decision into the curation folder; the decisions written and the
    items left open, by kind."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    open_items: Counter[str] = Counter()
    for item in items:
        if item.kind in SETTLED_BY_DECISION and item.suggestion and item.dimension and item.label:
            labels[item.dimension][item.label] = item.suggestion
        else:
            open_items[item.kind if item.suggestion else f"{item.kind} (no suggestion)"] += 1
    decisions = {dimension: dict(sorted(codes.items())) for dimension, codes in sorted(labels.items())}
    target = curation / str(year) / "dimension_labels.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(decisions, allow_unicode=True), encoding="utf-8")
    if importlib.util.find_spec("extractors.curation") is None:
        _copy_mappings_with(decisions, year, curation / "mappings")
    return sum(len(codes) for codes in decisions.values()), open_items


def _copy_mappings_with(decisions: dict, year: int, target: Path) -> None:
    """A copy of extractors/mappings with the label decisions added to the year's labels."""
    target.mkdir(parents=True, exist_ok=True)
    for source in MAPPINGS_DIR.glob("*.yaml"):
        (target / source.name).write_bytes(source.read_bytes())
    path = target / "dimension_labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for dimension, codes in decisions.items():
        editions = data.setdefault(dimension, {})
        latest = max(editions, default=year)
        editions[year] = {**editions.get(latest, {}), **editions.get(year, {}), **codes}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
