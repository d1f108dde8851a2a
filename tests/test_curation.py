"""The curation folder: reviewers' decisions laid over the mapping files, outside the package.

Real components: a sample report rendered by sample_inputs, whose printed label of one category
is reworded as a new edition would, read by the real extractor before and after a decision.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors import curation, mappings
from extractors.extract import extract_path
from extractors.reference import normalise_label
from orchestration.extraction_cache import extractor_fingerprint
from sample_inputs import generate_figures, write_edition

YEAR = 2023
DIMENSION, CODE = "housing", "precarious"
NEW_LABEL = "Hébergement instable"


@pytest.fixture
def curation_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "curation"
    monkeypatch.setenv("MLW_CURATION", str(folder))
    return folder


def printed_label(dimension: str, code: str, year: int) -> str:
    """The label the edition prints for `code`, as the mapping file knows it (normalised)."""
    labels = mappings.dimension_labels()[dimension][year]
    return next(label for label, mapped in labels.items() if mapped == code)


@pytest.fixture
def reworded_report(tmp_path) -> Path:
    """A 2023 sample report whose label of `precarious` housing is printed in new words."""
    report = write_edition(generate_figures(YEAR), tmp_path / "report.txt")
    text = report.read_text(encoding="utf-8")
    label = printed_label(DIMENSION, CODE, YEAR)
    rows = [re.match(r"(?P<label>\D+?)\s+(?P<figures>\d.*)$", line) for line in text.splitlines()]
    row = next(row for row in rows if row and normalise_label(row["label"]) == label)
    report.write_text(text.replace(row[0], f"{NEW_LABEL} {row['figures']}", 1), encoding="utf-8")
    return report


def housing_cells(path: Path) -> dict[str, float]:
    return {fact.dimensions[DIMENSION]: fact.value for fact in extract_path(path).facts
            if set(fact.dimensions) == {DIMENSION}}


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
