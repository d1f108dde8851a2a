"""Sample editions driven by the mapping files: a new mapping entry, or an edition's own labels
and headings, is printed by the generator and read back by the extractors."""

from __future__ import annotations

import shutil

import pytest
import yaml

from extractors import catalogue, wording_rules
from extractors.catalogue import load_catalogue
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.extract import extract_path
from sample_breakdown_helpers import SEED, _breakdown_facts
from sample_inputs import generate_figures, render_text, write_edition
from sample_inputs.breakdowns import LABEL_TABLE, PROFILE_LINE


@pytest.fixture
def extended_mappings(tmp_path, monkeypatch):
    """Copies of the catalogue and mapping files with a made-up indicator printed by sex (a
    profile line) and by housing (a vertical label table), and 2019 wording for a profile."""
    directory = tmp_path / "mappings"
    shutil.copytree(wording_rules.MAPPINGS_DIR, directory)
    catalogue_file = tmp_path / "indicators.yaml"
    data = yaml.safe_load(catalogue.CATALOGUE_FILE.read_text(encoding="utf-8"))
    data["indicators"]["civic_service_profile"] = {
        "label": "Volontaires en Service Civique par profil", "unit": "count",
        "grain": "breakdown", "breakdowns": [["sex"], ["housing"]],
        "definition": "Test only.", "reports": ["ml_activity_report"], "first_year": 2019,
        "last_year": None}
    catalogue_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def edit(name: str, change) -> None:
        path = directory / name
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(content)
        path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")

    edit("ml_activity_report_profile_blocks.yaml", lambda content: content["profile_blocks"].append(
        {"indicator": "civic_service_profile", "dimensions": ["sex"],
         "section": {2023: "Le Service Civique"}}))
    edit("ml_activity_report_label_tables.yaml", lambda content: content["label_tables"].append(
        {"indicator": "civic_service_profile", "dimension": "housing",
         "section": {2023: "Le Service Civique"}, "header": {2023: "Logement Nombre de jeunes"}}))

    def drift(content) -> None:
        for entry in content["profile_blocks"]:
            if entry["indicator"] == "youths_interviewed_profile":
                entry["section"][2019] = ["Les jeunes suivis"]
    edit("ml_activity_report_profile_blocks.yaml", drift)
    edit("dimension_labels.yaml", lambda content: content["qualification_level"].update(
        {2019: {"Niveau IV et plus": "bac_or_above", "Niveau V": "cap_bep",
                "Infra V": "no_diploma"}}))

    monkeypatch.setattr(wording_rules, "MAPPINGS_DIR", directory)
    monkeypatch.setattr(catalogue, "CATALOGUE_FILE", catalogue_file)
    caches = (load_catalogue, wording_rules.dimension_labels, profile_block_mappings)
    for cached in caches:
        cached.cache_clear()
    yield directory
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_a_new_mapping_entry_is_printed_and_read_back(tmp_path, extended_mappings):
    edition = generate_figures(2023, SEED)
    new = [t for t in edition.breakdown_tables if t.spec.indicator == "civic_service_profile"]
    assert {t.spec.kind for t in new} == {PROFILE_LINE, LABEL_TABLE}
    assert new[0].total == new[1].total
    for suffix in (".txt", ".pdf"):
        result = extract_path(write_edition(edition, tmp_path / f"extended{suffix}"))
        assert not result.issues, [str(issue) for issue in result.issues]
        assert _breakdown_facts(result) == edition.breakdown_facts()
        assert "civic_service_profile" in {fact.indicator for fact in result.facts}


def test_an_editions_own_labels_and_headings_are_printed(tmp_path, extended_mappings):
    edition = generate_figures(2019, SEED)
    text = render_text(edition)
    assert "Infra V" in text and "I. Les jeunes suivis" in text
    assert "Supérieur au BAC" not in text  # 2019 labels only the coarse category
    path = tmp_path / "sample_2019.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_path(path)
    assert not result.issues, [str(issue) for issue in result.issues]
    assert _breakdown_facts(result) == edition.breakdown_facts()
