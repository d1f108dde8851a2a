"""Accepting the suggested review decisions of drifted editions, and extracting them again.

A review item of kind unknown_label carries a `suggestion` (the code its printed label most
likely means; for a row of a commune table or list, dimension `commune`, an INSEE code, which
the commune reader applies to that printed name on the next extraction). Accepting it records the decision as `mlw review accept` does, into a curation
folder outside the package (extractors/curation.py: `<folder>/<year>/dimension_labels.yaml`),
which the extraction lays over the mapping files when `MLW_CURATION` names it. The extraction
after the decisions runs in a fresh process, so that no mapping read before them is cached.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

from extractors import curation
from extractors.extract import extract_path
from sample_inputs.drift.truth import TruthCell, fact_cell

SETTLED_BY_DECISION = ("unknown_label",)  # review kinds whose suggestion a decision records


def extract_cells(paths: list[Path]) -> tuple[list[list[TruthCell]], list[list]]:
    """Each document's extracted cells and its review items."""
    cells, items = [], []
    for path in paths:
        result = extract_path(path)
        cells.append([fact_cell(fact) for fact in result.facts])
        items.append(result.review_items)
    return cells, items


def extract_with_curation(paths: list[Path], folder: str) -> list[list[TruthCell]]:
    """In a fresh process: the mapping files read with the decisions of `folder` laid over them."""
    os.environ["MLW_CURATION"] = folder
    return extract_cells(paths)[0]


def accept_suggestions(items: list, year: int, folder: Path) -> tuple[int, Counter[str]]:
    """Record every suggested decision into the curation folder; the decisions written and the
    items left open, by kind."""
    decided: set[tuple[str, str]] = set()
    open_items: Counter[str] = Counter()
    for item in items:
        if item.kind in SETTLED_BY_DECISION and item.suggestion and item.dimension and item.label:
            curation.record_label(item.dimension, item.label, item.suggestion, year, folder)
            decided.add((item.dimension, item.label))
        else:
            open_items[item.kind if item.suggestion else f"{item.kind} (no suggestion)"] += 1
    return len(decided), open_items
