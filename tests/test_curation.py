"""The curation folder: reviewers' decisions laid over the mapping files, outside the package.

Real components: a sample report rendered by sample_inputs, whose printed label of one category
is reworded as a new edition would, read by the real extractor before and after a decision.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from review_helpers import CODE, DIMENSION, NEW_LABEL, YEAR, housing_cells, write_reworded_report

from extractors import curation
from extractors import wording_rules as mappings
from orchestration.extraction_cache import extractor_fingerprint
from sample_inputs import generate_figures, write_edition


@pytest.fixture
def curation_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "curation"
    monkeypatch.setenv("MLW_CURATION", str(folder))
    return folder


@pytest.fixture
def reworded_report(tmp_path) -> Path:
    return write_reworded_report(tmp_path / "report.txt")


def test_without_decisions_the_digest_says_none_and_the_mapping_is_as_in_the_package(curation_folder):
    assert curation.digest() == curation.NO_CURATION
    assert curation.curated("dimension_labels", {"sex": {YEAR: {"F": "female"}}}) == {"sex": {YEAR: {"F": "female"}}}


def test_a_decision_for_an_unlisted_edition_keeps_every_listed_label(curation_folder):
    data = {"housing": {2022: {"Chez les parents": "with_parents"}, 2023: {"Logement parents": "with_parents"}}}
    curation.record_label("housing", NEW_LABEL, CODE, 2025)
    merged = curation.overlay("dimension_labels", 2025, data)
    assert merged["housing"][2025] == {"Chez les parents": "with_parents", "Logement parents": "with_parents",
                                       NEW_LABEL: CODE}
    assert data["housing"].keys() == {2022, 2023}  # the package's content is not changed


def test_a_new_category_of_a_new_dimension_is_added_the_same_way(curation_folder):
    curation.record_label("household", "Famille monoparentale", "single_parent", YEAR)
    assert curation.overlay("dimension_labels", YEAR, {})["household"][YEAR] == {
        "Famille monoparentale": "single_parent"}


def test_a_second_decision_on_the_same_label_replaces_the_first(curation_folder):
    curation.record_label(DIMENSION, NEW_LABEL, "independent", YEAR)
    path = curation.record_label(DIMENSION, NEW_LABEL.upper(), CODE, YEAR)
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL.upper(): CODE}}
    assert path == curation_folder / str(YEAR) / "dimension_labels.yaml"


def test_a_decision_reextracts_the_reworded_cell_with_the_accepted_code(curation_folder, reworded_report):
    expected = housing_cells(write_edition(generate_figures(YEAR), reworded_report.with_name("as_printed.txt")))
    assert CODE in expected
    before = housing_cells(reworded_report)
    assert CODE not in before
    fingerprint = extractor_fingerprint()

    curation.record_label(DIMENSION, NEW_LABEL, CODE, YEAR)

    assert curation.digest() != curation.NO_CURATION
    assert extractor_fingerprint() != fingerprint  # the cached extraction is not reused
    assert housing_cells(reworded_report) == expected
    assert not any(NEW_LABEL in line for line in Path(mappings.MAPPINGS_DIR, "dimension_labels.yaml")
                   .read_text(encoding="utf-8").splitlines())  # no file of the package changed
