"""Edition drift: a seeded generator of the changes a later report edition makes, with its truth.

`drift_edition(figures, kind, seed)` renders the sample edition of `figures` (sample_inputs),
applies one kind of drift (DRIFT_KINDS: reworded headers and headings, new and renamed labels,
rows and columns added, removed or reordered, placeholder cells, thousands separators, footnote
markers, a page break inside a table, a table moved to another section) and returns the drifted
text layer with its truth: the cells it prints, keyed on what they mean (truth.py).
`write_drifted` writes it as text or as a PDF (one PDF line per text line, text_layout.py).
`corpus.corpus_edition` gives a real report's text layer, with its hand-typed expected facts,
as a base edition to drift instead of the sample.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sample_inputs.drift import cells, columns, layout, rows, wording
from sample_inputs.drift.model import Edition, parse_edition
from sample_inputs.drift.model import edition_truth
from sample_inputs.drift.truth import TruthCell, fact_cell
from sample_inputs.report_figures import DEFAULT_SEED, ReportFigures, generate_figures
from sample_inputs.render import render_text
from sample_inputs.text_layout import render_text_layer_pdf

DRIFT_KINDS: dict[str, Callable[[Edition, random.Random], None]] = {
    "reworded_headers": wording.reworded_headers,
    "reworded_headings": wording.reworded_headings,
    "new_labels": wording.new_labels,
    "renamed_labels": wording.renamed_labels,
    "rows_added": rows.rows_added,
    "rows_removed": rows.rows_removed,
    "rows_reordered": rows.rows_reordered,
    "columns_added": columns.columns_added,
    "columns_removed": columns.columns_removed,
    "columns_reordered": columns.columns_reordered,
    "placeholder_cells": cells.placeholder_cells,
    "thousands": cells.thousands,
    "footnote_markers": cells.footnote_markers,
    "page_split": layout.page_split,
    "table_moved": layout.table_moved,
}
BASE_YEAR = 2023  # the edition drifted: the 2023 ML MNO report's sample


@dataclass(frozen=True)
class DriftedEdition:
    kind: str
    seed: int
    text: str  # the drifted text layer
    truth: Counter[TruthCell]  # every cell it prints, by meaning


def drift(base: Edition, kind: str, seed: int) -> DriftedEdition:
    """`base` (left unchanged) with one drift of `kind`; same arguments, same edition."""
    edition = copy.deepcopy(base)
    DRIFT_KINDS[kind](edition, random.Random(f"drift:{kind}:{seed}"))
    return DriftedEdition(kind, seed, edition.text(), edition_truth(edition))


def drift_edition(figures: ReportFigures, kind: str, seed: int) -> DriftedEdition:
    """The sample edition of `figures` with one drift of `kind`."""
    return drift(base_edition(figures), kind, seed)


def base_edition(figures: ReportFigures) -> Edition:
    """The undrifted sample edition, parsed into lines and tables."""
    return parse_edition(render_text(figures), figures)


def drifted_editions(count: int, seed: int = DEFAULT_SEED,
                     base: Edition | None = None) -> list[DriftedEdition]:
    """`count` drifted editions of `base` (default: the 2023 sample), cycling through the kinds."""
    base = base or base_edition(generate_figures(BASE_YEAR, DEFAULT_SEED))
    kinds = list(DRIFT_KINDS)
    return [drift(base, kinds[number % len(kinds)], seed * 10_000 + number)
            for number in range(count)]


def write_drifted(edition: DriftedEdition, path: str | Path) -> Path:
    """Write the edition as text (.txt) or as a PDF (.pdf)."""
    path = Path(path)
    if path.suffix == ".pdf":
        return render_text_layer_pdf(edition.text, path)
    path.write_text(edition.text, encoding="utf-8")
    return path


__all__ = ["BASE_YEAR", "DRIFT_KINDS", "DriftedEdition", "TruthCell", "base_edition", "drift",
           "drift_edition", "drifted_editions", "edition_truth", "fact_cell", "write_drifted"]
