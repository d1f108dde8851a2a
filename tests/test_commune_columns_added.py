"""A commune table that prints one more detail column than its mapping knows.

Real input: the 2023 sample report rendered as a text layer (sample_inputs), one "Dont ..."
column added to a commune table by the drift generator; and the 2023 ML MNO report's own
text layer. Known columns printed whole are read by their headers, the new column's cells are
review items, never facts; when a header interleaves with the new one, the table goes to
review; nothing is ever wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from extractors.extract import extract_path
from sample_inputs import generate_figures
from sample_inputs.drift import drift, drift_edition, write_drifted
from sample_inputs.drift.corpus import corpus_edition
from sample_inputs.drift.score import score_cells
from sample_inputs.drift.truth import fact_cell

EXPECTED = Path(__file__).with_name("expected") / "ml_mno_rapport_activite_2023.yaml"


def _score(edition, path: Path):
    result = extract_path(write_drifted(edition, path))
    return result, score_cells(edition.truth, [fact_cell(fact) for fact in result.facts])


@pytest.mark.parametrize("seed", [4, 7, 10])  # editions whose headers print each label whole
def test_known_columns_read_and_the_new_one_kept_for_review(tmp_path, seed):
    edition = drift_edition(generate_figures(2023), "columns_added", seed)
    result, score = _score(edition, tmp_path / "report.txt")
    assert score.wrong == [] and score.recall == 1.0
    kept = [i for i in result.review_items if i.reason == "cell of a column no mapping knows"]
    assert kept and all(i.value is not None for i in kept)
    assert any(i.kind == "drifted_wording" and "no mapping knows" in i.reason
               for i in result.review_items)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_on_the_real_report_no_added_column_is_read_as_a_figure(tmp_path, mno_2023, seed):
    base = corpus_edition(mno_2023.read_text(encoding="utf-8"),
                          yaml.safe_load(EXPECTED.read_text(encoding="utf-8")))
    _, score = _score(drift(base, "columns_added", seed), tmp_path / "report.txt")
    assert score.wrong == []


@pytest.mark.parametrize("seed", [1, 2, 3])  # the new header interleaved with a known one
def test_a_new_column_whose_place_is_unclear_leaves_the_table_to_review(tmp_path, seed):
    edition = drift_edition(generate_figures(2023), "columns_added", seed)
    result, score = _score(edition, tmp_path / "report.txt")
    assert score.wrong == [] and score.recall < 1.0
    assert any(i.kind == "unrecognised_table" and "not extracted" in i.reason
               for i in result.review_items)
