"""Edition drift: cell recall and precision of the extractor on N drifted editions, by kind.

Renders N drifted editions of the 2023 ML MNO sample (sample_inputs.drift: one kind of drift
each, cycling through the kinds) into a temporary directory, as text layers or (--pdf) PDFs,
extracts each with the public API (extractors.extract.extract_path) and scores the cells read
against each edition's truth. Then accepts every suggested review decision (review items of
kind unknown_label with a `suggestion`), written into a temporary curation folder
(MLW_CURATION/<year>/dimension_labels.yaml), extracts again in a fresh process that reads it,
and scores again. Prints recall and precision overall and by kind, before and after, every
wrong value, and the runtime. A script that prints figures; nothing here asserts.

    .venv/bin/python -m benchmarks.drift_benchmark [--n 50] [--seed S] [--pdf]
"""

from __future__ import annotations

import argparse
import importlib.util
import multiprocessing
import os
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

if not __package__:  # run as `python benchmarks/drift_benchmark.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.extract import extract_path
from sample_inputs.drift import DRIFT_KINDS, drifted_editions, fact_cell, write_drifted
from sample_inputs.drift.score import Score, score_cells
from sample_inputs.drift.truth import TruthCell

SETTLED_BY_DECISION = ("unknown_label",)  # review kinds whose suggestion a decision records
WRONG_VALUES_SHOWN = 30


def extract_cells(paths: list[Path]) -> tuple[list[list[TruthCell]], list[list]]:
    """Each document's extracted cells and its review items."""
    cells, items = [], []
    for path in paths:
        result = extract_path(path)
        cells.append([fact_cell(fact) for fact in result.facts])
        items.append(result.review_items)
    return cells, items


def _extract_with_curation(paths: list[Path], curation: str) -> list[list[TruthCell]]:
    """In a fresh process: the mapping files read with the decisions laid over them."""
    os.environ["MLW_CURATION"] = curation
    if importlib.util.find_spec("extractors.curation") is None:  # before the curation folder
        from extractors import mappings  # existed: read a copy of the mappings holding them

        mappings.MAPPINGS_DIR = Path(curation) / "mappings"
    return extract_cells(paths)[0]


def accept_suggestions(items: list, year: int, curation: Path) -> tuple[int, int]:
    """Record every suggested decision into the curation folder; (accepted, left open)."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    open_items = 0
    for item in items:
        if item.kind in SETTLED_BY_DECISION and item.suggestion and item.dimension and item.label:
            labels[item.dimension][item.label] = item.suggestion
        else:
            open_items += 1
    decisions = {dimension: dict(sorted(codes.items())) for dimension, codes in sorted(labels.items())}
    target = curation / str(year) / "dimension_labels.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(decisions, allow_unicode=True), encoding="utf-8")
    if importlib.util.find_spec("extractors.curation") is None:
        _copy_mappings_with(decisions, year, curation / "mappings")
    return sum(len(codes) for codes in decisions.values()), open_items


def _copy_mappings_with(decisions: dict, year: int, target: Path) -> None:
    """A copy of extractors/mappings with the label decisions added to the year's labels."""
    from extractors.mappings import MAPPINGS_DIR

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


def scores_by_kind(editions, cells: list[list[TruthCell]]) -> dict[str, Score]:
    by_kind: dict[str, Score] = {kind: Score() for kind in DRIFT_KINDS}
    for edition, read in zip(editions, cells):
        by_kind[edition.kind].add(score_cells(edition.truth, read))
    return {kind: score for kind, score in by_kind.items() if score.expected}


def print_scores(title: str, by_kind: dict[str, Score], editions) -> None:
    counts = Counter(edition.kind for edition in editions)
    overall = Score()
    print(f"\n{title}")
    print(f"  {'kind of drift':<20} {'editions':>8} {'cells':>7} {'exact':>7} {'recall':>8} "
          f"{'precision':>9} {'wrong':>6}")
    for kind, score in by_kind.items():
        overall.add(score)
        print(f"  {kind:<20} {counts[kind]:>8} {score.expected:>7} {score.exact:>7} "
              f"{score.recall:>8.2%} {score.precision:>9.2%} {len(score.wrong):>6}")
    print(f"  {'overall':<20} {len(editions):>8} {overall.expected:>7} {overall.exact:>7} "
          f"{overall.recall:>8.2%} {overall.precision:>9.2%} {len(overall.wrong):>6}")


def print_wrong_values(title: str, by_kind: dict[str, Score]) -> None:
    wrong = [(kind, cell, expected) for kind, score in by_kind.items() for cell, expected in score.wrong]
    print(f"\nwrong values {title} (read, and the truth's value for the same meaning): {len(wrong)}")
    for kind, cell, expected in wrong[:WRONG_VALUES_SHOWN]:
        dimensions = ", ".join(f"{name}={code}" for name, code in cell.dimensions) or "total"
        truth = "not printed" if expected is None else f"{expected:g}"
        print(f"  [{kind}] {cell.indicator} ({dimensions}): read {cell.value:g}, truth {truth}")
    if len(wrong) > WRONG_VALUES_SHOWN:
        print(f"  ... and {len(wrong) - WRONG_VALUES_SHOWN} more")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="drifted editions (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="drift seed (default 1)")
    parser.add_argument("--pdf", action="store_true", help="render PDFs instead of text layers")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    editions = drifted_editions(args.n, args.seed)
    with tempfile.TemporaryDirectory(prefix="mlw-drift-") as tmp:
        suffix = ".pdf" if args.pdf else ".txt"
        paths = [write_drifted(edition, Path(tmp) / f"drift_{number:03d}_{edition.kind}{suffix}")
                 for number, edition in enumerate(editions)]
        rendered = time.perf_counter()
        before, items = extract_cells(paths)
        extracted = time.perf_counter()
        year = 2023
        accepted, left_open = accept_suggestions([i for found in items for i in found], year,
                                                 Path(tmp) / "curation")
        with multiprocessing.get_context("spawn").Pool(1) as pool:
            after = pool.apply(_extract_with_curation, (paths, str(Path(tmp) / "curation")))
        finished = time.perf_counter()
    print(f"drift benchmark: {args.n} editions of the {year} sample, seed {args.seed}, "
          f"{'PDF' if args.pdf else 'text layer'}")
    before_scores = scores_by_kind(editions, before)
    print_scores("before review (extraction as is)", before_scores, editions)
    print_wrong_values("before review", before_scores)
    print(f"\nreview: {accepted} suggested decisions accepted, {left_open} review items left open")
    after_scores = scores_by_kind(editions, after)
    print_scores("after accepting the suggested decisions", after_scores, editions)
    print_wrong_values("after review", after_scores)
    print(f"\nruntime: {finished - started:.1f} s (render {rendered - started:.1f} s, "
          f"extract {extracted - rendered:.1f} s, accept + extract again {finished - extracted:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
