"""A commune table that prints some of its mapping's columns only, as a later edition may.

Real input: the 2023 ML MNO report's text layer (sample_inputs.drift.corpus), one detail column
of a commune table dropped; the real extractor reads the columns left by their headers, every
cell exact, and asks a reviewer to record the new layout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractors.extract import extract_path
from sample_inputs.drift import drift, write_drifted
from sample_inputs.drift.corpus import corpus_edition
from sample_inputs.drift.score import score_cells
from sample_inputs.drift.truth import fact_cell

EXPECTED = Path(__file__).with_name("expected") / "ml_mno_rapport_activite_2023.yaml"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_columns_left_are_read_by_their_headers(tmp_path, mno_2023, seed):
    base = corpus_edition(mno_2023.read_text(encoding="utf-8"),
                          yaml.safe_load(EXPECTED.read_text(encoding="utf-8")))
    edition = drift(base, "columns_removed", seed)
    result = extract_path(write_drifted(edition, tmp_path / "report.txt"))
    score = score_cells(edition.truth, [fact_cell(fact) for fact in result.facts])
    assert score.wrong == [] and score.recall == 1.0
    drifted = [i for i in result.review_items if i.kind == "drifted_wording"]
    assert len(drifted) == 1 and "without" in drifted[0].reason
