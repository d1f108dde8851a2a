"""A new MELT edition rewords a key figure: the figure is kept for review with its clause, the
suggestion is the indicator whose wording read nothing, and accepting it (the code `mlw review
accept` runs) writes the clause as a wording into the curation folder; the next extraction
publishes the figure, and the package's mapping file is unchanged. Real extractor, synthetic
texts in the report's layout."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extractors.extract import extract_path
from extractors.melt_report.report_mapping import MAPPING_FILE
from extractors.result import ExtractionResult
from orchestration.review.decisions import NotSettledByAccept, accept
from orchestration.review.items import OpenItem

HEADER = """Rapport d’activité de la Mission Emploi Lys-Tourcoing (MELT)
En {year}, la MELT a accompagné les jeunes de son territoire.

L’accueil
Chiffres clés
"""
# "appels entrants" of the 2023 wording, printed "appels reçus au standard" by the new edition
REWORDED = "\n13 740 appels reçus au standard\n\n987 nouveaux inscrits\n"


@pytest.fixture
def curation_folder(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "curation"
    monkeypatch.setenv("MLW_CURATION", str(folder))
    return folder


def _extract(tmp_path: Path, year: int) -> ExtractionResult:
    path = tmp_path / f"melt_{year}.txt"
    path.write_text(HEADER.format(year=year) + REWORDED, encoding="utf-8")
    return extract_path(path)


def _open_item(result: ExtractionResult, value_text: str) -> OpenItem:
    """The item as `mlw review` reads it back from raw.review_items."""
    item = next(item for item in result.review_items if item.value_text == value_text)
    return OpenItem(item.review_id, item.kind, item.year, item.source.path, item.source.line,
                    item.value_text, item.reason, item.dimension, item.label, item.indicator,
                    item.suggestion, item.table)


@pytest.mark.parametrize("year", [2023, 2025])  # 2025: an edition the mapping does not list
def test_a_reworded_key_figure_is_suggested_accepted_and_read(tmp_path, curation_folder, year):
    package_mapping = hashlib.sha256(MAPPING_FILE.read_bytes()).hexdigest()
    before = _extract(tmp_path, year)
    assert [(fact.indicator, fact.value) for fact in before.facts] == [("key_new_registrations", 987)]
    item = _open_item(before, "13 740")
    assert (item.label, item.table, item.suggestion) == (
        "13 740 appels reçus au standard", "key_figures@reception", "incoming_calls")

    written = accept(item)
    assert written == curation_folder / str(year) / "melt_activity_report.yaml"
    after = _extract(tmp_path, year)
    assert sorted((fact.indicator, fact.value) for fact in after.facts) == [
        ("incoming_calls", 13740), ("key_new_registrations", 987)]  # the other wordings still read
    assert not [review for review in after.review_items if review.value_text == "13 740"]
    assert hashlib.sha256(MAPPING_FILE.read_bytes()).hexdigest() == package_mapping


def test_no_suggestion_when_every_wording_of_the_section_read_its_figure(tmp_path, curation_folder):
    path = tmp_path / "melt.txt"
    path.write_text(HEADER.format(year=2023) + "\n13 740 appels entrants\n\n12 visites d’entreprises\n",
                    encoding="utf-8")
    item = _open_item(extract_path(path), "12")
    assert item.label == "12 visites d’entreprises" and item.suggestion is None
    with pytest.raises(NotSettledByAccept, match="give the indicator with --as CODE"):
        accept(item)
    with pytest.raises(NotSettledByAccept, match="not an indicator of the catalogue"):
        accept(item, "company_visits")
    assert not curation_folder.exists()
