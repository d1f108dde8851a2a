"""Edition drift: cell recall and precision of the extractor on N drifted editions, by kind.

Renders N drifted editions of the 2023 ML MNO sample, or (--corpus) of a real report's text
layer with its hand-typed expected facts (sample_inputs.drift: one kind of drift each, cycling
through the kinds) into a temporary directory, as text layers or (--pdf) PDFs,
extracts each with the public API (extractors.extract.extract_path) and scores the cells read
against each edition's truth. Then accepts every review item with a `suggestion`, whatever its
kind, into a temporary curation folder with the code of `mlw review accept`
(extractors.decisions.record_decision: a label's code in MLW_CURATION/<year>/dimension_labels.yaml,
a commune table's columns or section in MLW_CURATION/<year>/ml_activity_report.yaml), extracts
again in a fresh process that reads it, and scores again. Prints recall and precision overall
and by kind, before and after, every wrong value, the truth cells still missed after the
review, and the runtime. A script that prints figures; nothing here asserts.

    .venv/bin/python -m benchmarks.drift_benchmark [--n 50] [--seed S] [--pdf] [--corpus TEXT]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import yaml

if not __package__:  # run as `python benchmarks/drift_benchmark.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sample_inputs.drift import BASE_YEAR, DRIFT_KINDS, drifted_editions, write_drifted
from sample_inputs.drift.accept import (accept_suggestions, extract_after_review, extract_cells,
                                        in_a_fresh_process)
from sample_inputs.drift.corpus import corpus_edition
from sample_inputs.drift.model import Edition
from sample_inputs.drift.score import Score, score_cells
from sample_inputs.drift.truth import TruthCell

WRONG_VALUES_SHOWN = 30


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
          f"{'precision':>9} {'wrong':>6} {'pending':>7}")
    for kind, score in by_kind.items():
        overall.add(score)
        print(f"  {kind:<20} {counts[kind]:>8} {score.expected:>7} {score.exact:>7} "
              f"{score.recall:>8.2%} {score.precision:>9.2%} {len(score.wrong):>6} {score.pending:>7}")
    print(f"  {'overall':<20} {len(editions):>8} {overall.expected:>7} {overall.exact:>7} "
          f"{overall.recall:>8.2%} {overall.precision:>9.2%} {len(overall.wrong):>6} {overall.pending:>7}")


def print_wrong_values(title: str, by_kind: dict[str, Score]) -> None:
    wrong = [(kind, cell, expected) for kind, score in by_kind.items() for cell, expected in score.wrong]
    print(f"\nwrong values {title} (read, and the truth's value for the same meaning): {len(wrong)}")
    for kind, cell, expected in wrong[:WRONG_VALUES_SHOWN]:
        dimensions = ", ".join(f"{name}={code}" for name, code in cell.dimensions) or "total"
        truth = "not printed" if expected is None else f"{expected:g}"
        print(f"  [{kind}] {cell.indicator} ({dimensions}): read {cell.value:g}, truth {truth}")
    if len(wrong) > WRONG_VALUES_SHOWN:
        print(f"  ... and {len(wrong) - WRONG_VALUES_SHOWN} more")


def print_missed(editions, cells: list[list[TruthCell]]) -> None:
    """The truth cells no extraction read, by edition: what the review loop leaves."""
    missed = [(number, edition.kind, cell) for number, (edition, read) in enumerate(zip(editions, cells))
              for cell in sorted((edition.truth - Counter(read)).elements())]
    print(f"\ntruth cells missed after review: {len(missed)}")
    for number, kind, cell in missed[:WRONG_VALUES_SHOWN]:
        dimensions = ", ".join(f"{name}={code}" for name, code in cell.dimensions) or "total"
        print(f"  edition {number} [{kind}] {cell.indicator} ({dimensions}): {cell.value:g}")
    if len(missed) > WRONG_VALUES_SHOWN:
        print(f"  ... and {len(missed) - WRONG_VALUES_SHOWN} more")


def _corpus_base(text: Path, expected: Path | None) -> Edition:
    expected = expected or Path(__file__).resolve().parents[1] / "tests" / "expected" / f"{text.stem}.yaml"
    return corpus_edition(text.read_text(encoding="utf-8"), yaml.safe_load(expected.read_text(encoding="utf-8")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=50, help="drifted editions (default 50)")
    parser.add_argument("--seed", type=int, default=1, help="drift seed (default 1)")
    parser.add_argument("--pdf", action="store_true", help="render PDFs instead of text layers")
    parser.add_argument("--corpus", type=Path, metavar="TEXT",
                        help="drift this real text layer instead of the sample, e.g. "
                             "../shared/corpus/ml_mno_rapport_activite_2023.txt")
    parser.add_argument("--expected", type=Path, metavar="YAML",
                        help="its expected facts (default: tests/expected/<same name>.yaml)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    base = _corpus_base(args.corpus, args.expected) if args.corpus else None
    editions = drifted_editions(args.n, args.seed, base)
    with tempfile.TemporaryDirectory(prefix="mlw-drift-") as tmp:
        suffix = ".pdf" if args.pdf else ".txt"
        paths = [write_drifted(edition, Path(tmp) / f"drift_{number:03d}_{edition.kind}{suffix}")
                 for number, edition in enumerate(editions)]
        rendered = time.perf_counter()
        os.environ["MLW_CURATION"] = str(Path(tmp) / "no-decisions")  # none of the user's
        before, items = extract_cells(paths)
        extracted = time.perf_counter()
        year = base.year if base else BASE_YEAR
        accepted, left_open = accept_suggestions([i for found in items for i in found], year,
                                                 Path(tmp) / "curation")
        after, still_open = in_a_fresh_process(extract_after_review, paths, str(Path(tmp) / "curation"))
        finished = time.perf_counter()
    print(f"drift benchmark: {args.n} editions of {args.corpus or f'the {year} sample'}, seed {args.seed}, "
          f"{'PDF' if args.pdf else 'text layer'}")
    before_scores = scores_by_kind(editions, before)
    print_scores("before review (extraction as is)", before_scores, editions)
    print_wrong_values("before review", before_scores)
    print(f"\nreview: {accepted} suggested decisions accepted; items not accepted, by kind: "
          f"{sum(left_open.values())}" + "".join(f"\n  {kind}: {count}" for kind, count in left_open.most_common()))
    print(f"items open after the decisions, by kind: {sum(still_open.values())}"
          + "".join(f"\n  {kind}: {count}" for kind, count in still_open.most_common()))
    after_scores = scores_by_kind(editions, after)
    print_scores("after accepting the suggested decisions", after_scores, editions)
    print_wrong_values("after review", after_scores)
    print_missed(editions, after)
    print(f"\nruntime: {finished - started:.1f} s (render {rendered - started:.1f} s, "
          f"extract {extracted - rendered:.1f} s, accept + extract again {finished - extracted:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
