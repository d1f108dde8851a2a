"""Accepting the suggested review decisions of drifted editions, and extracting them again.

A review item may carry a `suggestion`: for an unknown_label, the code its printed label most
likely means (for a row of a commune table or list, dimension `commune`, an INSEE code, which
the commune reader applies to that printed name on the next extraction); for a commune table
left to review, its columns (an added column) or its mapping (a moved table). Accepting it
records the decision with the code of `mlw review accept` (extractors/decisions.py), into a
curation folder outside the package (`<folder>/<year>/dimension_labels.yaml`,
`<folder>/<year>/ml_activity_report.yaml`), which the extraction lays over the mapping files
when `MLW_CURATION` names it. The extraction
after the decisions runs in a fresh process, so that no mapping read before them is cached.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractors.decisions import DecisionRefused, record_decision
from extractors.extract import extract_path
from sample_inputs.drift.truth import TruthCell, fact_cell

def extract_cells(paths: list[Path]) -> tuple[list[list[TruthCell]], list[list]]:
    """Each document's extracted cells and its review items."""
    cells, items = [], []
    for path in paths:
        result = extract_path(path)
        cells.append([fact_cell(fact) for fact in result.facts])
        items.append(result.review_items)
    return cells, items


def in_a_fresh_process(function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a new (spawned) process. The pool is closed and joined, never
    terminated: terminate() relies on SIGTERM, which a process may ignore (Dagster maps SIGTERM
    to the SIGINT handler, and a background shell job ignores SIGINT), and then waits forever."""
    pool = multiprocessing.get_context("spawn").Pool(1)
    try:
        return pool.apply(function, args)
    finally:
        pool.close()
        pool.join()


def extract_with_curation(paths: list[Path], folder: str) -> list[list[TruthCell]]:
    """In a fresh process: the mapping files read with the decisions of `folder` laid over them."""
    os.environ["MLW_CURATION"] = folder
    return extract_cells(paths)[0]


def extract_after_review(paths: list[Path], folder: str) -> tuple[list[list[TruthCell]], Counter[str]]:
    """In a fresh process: each document's cells read with the decisions of `folder`, and the
    review items still open then, by kind (and whether they carry a suggestion)."""
    os.environ["MLW_CURATION"] = folder
    cells, items = extract_cells(paths)
    return cells, Counter(item.kind + ("" if item.suggestion else " (no suggestion)")
                          for found in items for item in found)


def accept_suggestions(items: list, year: int, folder: Path) -> tuple[int, Counter[str]]:
    """Record every suggested decision into the curation folder, whatever the item's kind, as
    `mlw review accept` does (extractors.decisions.record_decision); the decisions written and
    the items left open, by kind (with a suggestion no decision records: a drifted wording,
    already read, whose new wording goes into the mapping file)."""
    decided: set[tuple[str, str]] = set()
    open_items: Counter[str] = Counter()
    for item in items:
        if not item.suggestion:
            open_items[f"{item.kind} (no suggestion)"] += 1
            continue
        try:
            record_decision(item.dimension, item.label, item.suggestion, year, folder)
        except DecisionRefused:
            open_items[f"{item.kind} (not settled by a decision)"] += 1
            continue
        decided.add((item.dimension, item.label))
    return len(decided), open_items
