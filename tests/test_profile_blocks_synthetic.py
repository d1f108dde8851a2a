"""Horizontal profile blocks and cross-tabs of an activity report, split from
test_profile_blocks.py: small synthetic documents for the layouts and failures the real 2023
ML MNO report does not show.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from extractors import wording_rules
from extractors.activity_report.profile_blocks import profile_block_mappings

from profile_block_helpers import MISMATCH, RESOLVED, _extract, _extract_reviewed


# --- Synthetic documents -------------------------------------------------------------------

def _write(tmp_path, body: str, name="report.txt"):
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


INTERVIEWED = " 1) Le Public\n II.  Les jeunes accompagnés\nb.  Les caractéristiques\n\n"


def test_wrapped_header_and_figures_chosen_by_the_stated_total(tmp_path):
    path = _write(tmp_path, INTERVIEWED + (
        "Niveau de qualification (validé)\n\nSupérieur\nau BAC BAC BEP/\nCAP Aucun \n\n"
        "diplôme\n1 146 515 157 816\n\nTotal : 2 634 jeunes reçus en entretien\n"))
    facts, issues = _extract(path)
    assert issues == []
    values = {f.dimensions.get("qualification_level"): (f.value, f.is_total, f.flags) for f in facts}
    assert values == {
        "above_bac": (1146, False, RESOLVED), "bac": (515, False, RESOLVED),
        "cap_bep": (157, False, RESOLVED), "no_diploma": (816, False, RESOLVED),
        None: (2634, True, ()),
    }
    assert {f.source.line for f in facts if not f.is_total} == {12}
    assert {f.table for f in facts} == {"youths_interviewed_profile@l7"}


def test_ambiguous_figure_line_gives_an_issue_with_candidates_and_no_facts(tmp_path):
    path = _write(tmp_path, INTERVIEWED + "Sexe\n\nFemmes Hommes\n\n1 234 567\n")
    facts, [issue] = _extract(path)
    assert facts == []
    assert issue.severity == "error" and issue.path == str(path) and issue.line == 7
    assert "ambiguous" in issue.reason and "youths_interviewed_profile" in issue.reason
    assert issue.candidates == ("line 9: 1 / 234 567 | 1 234 / 567",)


def test_stated_total_that_does_not_add_up_is_kept_and_flagged(tmp_path):
    path = _write(tmp_path, INTERVIEWED + "Femmes Hommes Total :\n\n10 20 31\n")
    facts, issues = _extract(path)
    assert issues == []
    values = {(tuple(f.dimensions.items()), f.is_total): (f.value, f.flags) for f in facts}
    assert values == {
        ((("sex", "female"),), False): (10, ()),
        ((("sex", "male"),), False): (20, ()),
        ((), True): (31, MISMATCH),
    }


def test_crosstab_column_total_that_does_not_add_up_is_flagged(tmp_path):
    path = _write(tmp_path, " 1) Le Public\n I. Les nouveaux accueils\n\n"
                  "16 - 17 ans 18 - 21 ans 22 - 25 ans Total :\nFemmes 1 2 3 6\n"
                  "Hommes 4 5 6 15\nTotal 5 8 9 21\n")
    facts, issues = _extract(path)
    assert issues == []
    flagged = {tuple(sorted(f.dimensions.items())): f.flags for f in facts if f.flags}
    assert flagged == {(("age_band", "18_21"),): MISMATCH}
    total = next(f for f in facts if f.dimensions == {"age_band": "18_21"})
    assert total.value == 8 and total.is_total and total.source.line == 7
    assert len(facts) == 3 * 2 + 2 + 3 + 1


def test_header_whose_figures_cannot_be_read_names_file_and_line(tmp_path):
    path = _write(tmp_path, INTERVIEWED + "Femmes Hommes Total :\n\n765 869\n")
    facts, [issue] = _extract(path)
    assert facts == [] and issue.path == str(path) and issue.line == 7
    assert "cannot read 3 figure(s) from '765 869'" in issue.reason


CROSSTAB = (" 1) Le Public\n I. Les nouveaux accueils\n\n"
            "16 - 17 ans 18 - 21 ans 22 - 25 ans Total :\n{first} 1 2 3 6\n"
            "{second} 4 5 6 15\nTotal 5 7 9 21\n")


def test_unknown_label_in_a_crosstab_row_is_kept_unmapped_for_review(tmp_path):
    path = _write(tmp_path, CROSSTAB.format(first="Femmes", second="Filles"))
    facts, issues, [item] = _extract_reviewed(path)
    assert issues == []
    unmapped = [f for f in facts if "unmapped_label" in f.flags]
    assert {f.source.line for f in unmapped} == {6} and len(unmapped) == 4  # 3 cells + row total
    assert all(f.dimensions["sex"] == "unmapped" and f.dimensions["printed_label"] == "Filles"
               for f in unmapped)
    assert sorted(f.value for f in unmapped if not f.is_total) == [4, 5, 6]
    # the column totals still check every row, the unknown one included
    assert not any("source_total_mismatch" in f.flags for f in facts)
    assert (item.kind, item.dimension, item.label, item.source.line) == (
        "unknown_label", "sex", "Filles", 6)
    assert item.context == "Filles 4 5 6 15" and item.source.path == str(path)


def test_crosstab_whose_row_labels_are_all_unknown_is_a_clear_error(tmp_path):
    path = _write(tmp_path, CROSSTAB.format(first="Garçons", second="Filles"))
    facts, [issue] = _extract(path)
    assert facts == []
    assert issue.severity == "error" and issue.path == str(path) and issue.line == 5
    assert "unknown label 'Garçons' in a cross-tab row" in issue.reason
    assert "dimension_labels.yaml for 2023" in issue.reason


def test_block_in_an_unmapped_section_is_a_warning(tmp_path):
    path = _write(tmp_path, " 6) Le Service Civique\n\nFemmes Hommes\n12 13\n")
    facts, [issue], review_items = _extract_reviewed(path)
    assert facts == [] and issue.severity == "warning" and issue.line == 3
    assert "ml_activity_report_profile_blocks.yaml" in issue.reason
    # its header and figures are kept for review
    assert [(i.kind, i.source.line, i.label, i.value_text) for i in review_items] == [
        ("unrecognised_table", 3, "femmes | hommes", ""), ("unrecognised_table", 4, None, "12 13")]


@pytest.fixture
def drifted_mappings(tmp_path, monkeypatch):
    """A copy of the mapping files with a (made-up) 2019 edition's wording added."""
    directory = tmp_path / "mappings"
    shutil.copytree(wording_rules.MAPPINGS_DIR, directory)
    labels_file = directory / "dimension_labels.yaml"
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    labels["qualification_level"][2019] = {
        "Niveau IV et plus": "bac_or_above", "Niveau V": "cap_bep", "Infra V": "no_diploma"}
    labels_file.write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    blocks_file = directory / "ml_activity_report_profile_blocks.yaml"
    blocks = yaml.safe_load(blocks_file.read_text(encoding="utf-8"))
    for entry in blocks["profile_blocks"]:
        if entry["indicator"] == "youths_interviewed_profile":
            entry["section"][2019] = ["Les jeunes suivis"]
    blocks_file.write_text(yaml.safe_dump(blocks, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(wording_rules, "MAPPINGS_DIR", directory)
    caches = (wording_rules.dimension_labels, profile_block_mappings)
    for cached in caches:
        cached.cache_clear()
    yield directory
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_drifted_labels_of_another_edition_come_from_the_yaml(tmp_path, drifted_mappings):
    path = _write(tmp_path, " 1) Le Public\n II. Les jeunes suivis\n\n"
                  "Niveau IV et plus Niveau V Infra \nV\n120 35 80\nTotal : 235\n")
    facts, issues = _extract(path, year=2019)
    assert issues == []
    assert {(f.dimensions.get("qualification_level"), f.value, f.year) for f in facts} == {
        ("bac_or_above", 120, 2019), ("cap_bep", 35, 2019), ("no_diploma", 80, 2019),
        (None, 235, 2019)}
    # the 2023 edition knows neither the labels nor the heading
    assert _extract(path, year=2023) == ([], [])


def test_a_mapping_entry_outside_the_catalogue_breakdowns_is_refused(drifted_mappings):
    blocks_file = drifted_mappings / "ml_activity_report_profile_blocks.yaml"
    blocks = yaml.safe_load(blocks_file.read_text(encoding="utf-8"))
    blocks["profile_blocks"].append({"indicator": "mentoring_youths", "dimensions": ["age_band"],
                                     "section": {2023: ["Parrainage"]}})
    blocks_file.write_text(yaml.safe_dump(blocks, allow_unicode=True), encoding="utf-8")
    profile_block_mappings.cache_clear()
    with pytest.raises(ValueError, match="not one of its catalogue breakdowns"):
        profile_block_mappings()


def test_two_column_commune_list_with_an_unknown_commune(tmp_path):
    path = _write(tmp_path, " 8) Les dispositifs\n III. Le Réseau de Parrainage\n\n"
                  "La Madeleine 8 Pérenchies 4\nLambersart 11 Lilleville 5\n")
    facts, [issue] = _extract(path)
    assert facts == [] and issue.line == 5
    assert "unknown commune 'Lilleville'" in issue.reason


def test_a_page_number_inside_a_crosstab_or_between_header_and_figures_is_skipped(tmp_path):
    crosstab = _write(tmp_path, " 1) Le Public\n I. Les nouveaux accueils\nSupérieur\n"
                      "au BAC BAC BEP/CAP Aucun\ndiplôme\n16 - 17 ans / 4 9 146\n"
                      "18 - 21 ans 19 165 29 140\n\n7\n22 - 25 ans 47 55 10 55\n"
                      "Total 66 224 48 341\n", name="crosstab.txt")
    facts, issues = _extract(crosstab)
    assert issues == [] and len(facts) == 16  # 12 cells and 4 column totals
    assert {f.source.line for f in facts if f.dimensions.get("age_band") == "22_25"} == {10}
    split = _write(tmp_path, INTERVIEWED + "Femmes Hommes Total :\n7\n765 869 1 634\n",
                   name="split.txt")
    facts, issues = _extract(split)
    assert issues == []
    assert {f.dimensions.get("sex"): f.value for f in facts} == {"female": 765, "male": 869, None: 1634}


def test_a_crosstab_row_no_total_can_settle_goes_to_review_not_the_block(tmp_path):
    path = _write(tmp_path, " 1) Le Public\n I. Les nouveaux accueils\n\n"
                  "16 - 17 ans 18 - 21 ans 22 - 25 ans\nFemmes 1 234 567 8\nHommes 1 2 3\n")
    facts, issues, [item] = _extract_reviewed(path)
    assert issues == []
    assert sorted((f.dimensions["age_band"], f.value) for f in facts) == [
        ("16_17", 1), ("18_21", 2), ("22_25", 3)]
    assert {f.dimensions["sex"] for f in facts} == {"male"}
    assert (item.kind, item.source.line, item.value_text) == ("ambiguous_reading", 5,
                                                              "1 234 567 8")
    assert "1 234 / 567 / 8" in item.reason and "1 / 234 567 / 8" in item.reason
