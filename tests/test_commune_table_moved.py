"""A commune table a later edition prints in another section than its mapping names.

Real input: the 2023 sample report rendered as a text layer (sample_inputs), one table moved
to the end of another section by the drift generator. Headers that only one mapping prints
(e.g. "Nombre de dossiers | Montant") are read with it and reported; headers several aids
share ("Nombre de jeunes | Montant") leave the table to review; nothing is ever wrong.
"""

from __future__ import annotations

import pytest

from extractors.extract import extract_path
from sample_inputs import generate_figures
from sample_inputs.drift import drift_edition, write_drifted
from sample_inputs.drift.score import score_cells
from sample_inputs.drift.truth import fact_cell


def _extract(tmp_path, seed: int):
    edition = drift_edition(generate_figures(2023), "table_moved", seed)
    result = extract_path(write_drifted(edition, tmp_path / "report.txt"))
    return result, score_cells(edition.truth, [fact_cell(fact) for fact in result.facts])


@pytest.mark.parametrize("seed", [12, 15])  # a table whose headers one mapping alone prints
def test_a_moved_table_with_headers_of_one_mapping_is_read_and_reported(tmp_path, seed):
    result, score = _extract(tmp_path, seed)
    assert score.wrong == [] and score.recall == 1.0
    assert [i.kind for i in result.review_items if "not the section" in i.reason] == ["drifted_wording"]


@pytest.mark.parametrize("seed", [4, 7])  # "Nombre de jeunes | Montant": several aids print it
def test_a_moved_table_whose_headers_several_mappings_share_goes_to_review(tmp_path, seed):
    result, score = _extract(tmp_path, seed)
    assert score.wrong == [] and score.recall < 1.0
    assert any(i.kind == "unrecognised_table" for i in result.review_items)
