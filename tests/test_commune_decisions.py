"""Respelt communes of a new edition: a suggestion for the reviewer, and the decision applied.

Real input: the 2023 ML MNO report's text layer with communes respelt as a later edition
would print them, read by the real extractor before and after a decision is recorded in a
curation folder (extractors/curation.py, as `mlw review accept` writes it).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import curation
from extractors.activity_report.commune_names import closest_commune
from extractors.extract import extract_path

YEAR = 2023


@pytest.fixture
def curation_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "curation"
    monkeypatch.setenv("MLW_CURATION", str(folder))
    return folder


def _respelt(tmp_path: Path, mno_2023: Path) -> Path:
    text = mno_2023.read_text(encoding="utf-8")
    text = text.replace("La Madeleine", "Madeleine (La)").replace("Saint-André-lez-Lille",
                                                                   "St-André-lès-Lille")
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _cells(result, insee: str) -> dict[str, float]:
    return {f.indicator: f.value for f in result.facts
            if f.dimensions.get("commune_insee") == insee and not f.is_total}


def test_a_respelt_commune_gets_a_suggestion_then_the_decision_is_read(tmp_path, mno_2023,
                                                                       curation_folder):
    """Before: the rows are kept unmapped with an unknown_label item suggesting the INSEE code
    (the article put back in front, "St" and "lès" folded). After recording the suggestion, the
    next extraction reads the rows as that commune, with the figures the original prints."""
    original = extract_path(mno_2023)
    path = _respelt(tmp_path, mno_2023)
    before = extract_path(path)
    items = [i for i in before.review_items if i.kind == "unknown_label" and i.dimension == "commune"]
    suggestions = {i.label: i.suggestion for i in items}
    assert suggestions == {"Madeleine (La)": "59368", "St-André-lès-Lille": "59527"}
    assert not _cells(before, "59368")
    for item in items:
        curation.record_label(item.dimension, item.label, item.suggestion, YEAR, curation_folder)
    after = extract_path(path)
    for insee in ("59368", "59527"):
        assert _cells(after, insee) == _cells(original, insee) != {}
    assert not [i for i in after.review_items if i.kind == "unknown_label" and i.dimension == "commune"]


def test_no_suggestion_is_a_mapping():
    """Labels no commune is clearly closest to get no suggestion; without a decision nothing
    is read as a commune."""
    assert closest_commune("Hors territoire") is None
    assert closest_commune("Autres communes") is None
    assert closest_commune("Madeleine (La)").insee == "59368"
