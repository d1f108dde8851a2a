"""Horizontal profile blocks and cross-tabs ("caractéristiques" sections) of an activity report.

The real 2023 ML MNO report is checked against figures typed by hand from the report; small
synthetic documents check the layouts and failures the real report does not show.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from extractors import wording_rules
from extractors.activity_report.profile_blocks import extract_profile_blocks, profile_block_mappings
from extractors.activity_report.sections import section_contexts
from extractors.documents import read_document
from extractors.extract import extract_path

STRUCTURE = "59386S00"
RESOLVED = ("resolved_by_table_constraints",)
MISMATCH = ("source_total_mismatch",)

QUALIFICATIONS = ["above_bac", "bac", "cap_bep", "no_diploma"]
AGES = ["16_17", "18_21", "22_25"]


def _key(indicator: str, is_total: bool = False, **dimensions: str):
    return indicator, tuple(sorted(dimensions.items())), is_total


def _expected_2023() -> dict:
    """Typed from the report ("/" is 0); totals with the summed-over dimensions left out."""
    expected = {}
    # 1) Le Public, I. Les nouveaux accueils: age at first registration x qualification level.
    new_age_qualification = {
        "16_17": [0, 4, 9, 146],
        "18_21": [19, 165, 29, 140],
        "22_25": [47, 55, 10, 55],
    }
    for age, values in new_age_qualification.items():
        for qualification, value in zip(QUALIFICATIONS, values):
            expected[_key("new_registrations_profile", age_band=age,
                          qualification_level=qualification)] = value
    for qualification, value in zip(QUALIFICATIONS, [66, 224, 48, 341]):
        expected[_key("new_registrations_profile", True, qualification_level=qualification)] = value
    # ... sex x age, with a "Total :" column and a "Total" row.
    for sex, values, total in (("female", [67, 179, 89], 335), ("male", [92, 174, 78], 344)):
        for age, value in zip(AGES, values):
            expected[_key("new_registrations_profile", sex=sex, age_band=age)] = value
        expected[_key("new_registrations_profile", True, sex=sex)] = total
    for age, value in zip(AGES, [159, 353, 167]):
        expected[_key("new_registrations_profile", True, age_band=age)] = value
    expected[_key("new_registrations_profile", True)] = 679
    # II. Les jeunes accompagnés: qualification ("Total : 1 634 jeunes reçus en entretien"),
    # age percents, sex.
    for qualification, value in zip(QUALIFICATIONS, [146, 515, 157, 816]):
        expected[_key("youths_interviewed_profile", qualification_level=qualification)] = value
    for age, value in zip(AGES + ["26_plus"], [9, 49, 38, 4]):
        expected[_key("youths_interviewed_share", age_band=age)] = value
    expected[_key("youths_interviewed_profile", sex="female")] = 765
    expected[_key("youths_interviewed_profile", sex="male")] = 869
    # two stated totals of 1 634: the qualification block's and the sex block's (other lines)
    # 3) La Formation: "BAC et plus" is one printed category; no total under it.
    for qualification, value in (("bac_or_above", 179), ("cap_bep", 36), ("no_diploma", 253)):
        expected[_key("training_entrants_profile", qualification_level=qualification)] = value
    expected[_key("training_entrants_profile", sex="female")] = 219
    expected[_key("training_entrants_profile", sex="male")] = 249
    expected[_key("training_entrants_profile", True)] = 468
    # 4) L'emploi, b. Les caractéristiques des jeunes accédant à l'emploi.
    for qualification, value in zip(QUALIFICATIONS, [70, 316, 98, 375]):
        expected[_key("employment_youths_profile", qualification_level=qualification)] = value
    expected[_key("employment_youths_profile", True)] = 859
    # 8) I. Le Contrat d'Engagement Jeune, e. Les caractéristiques.
    for qualification, value in zip(QUALIFICATIONS, [43, 201, 51, 350]):
        expected[_key("cej_entrants_profile", qualification_level=qualification)] = value
    expected[_key("cej_entrants_profile", True)] = 645
    # 8) III. Le Réseau de Parrainage: qualification, sex, two-column commune list; no totals.
    for qualification, value in (("bac_or_above", 24), ("cap_bep", 7), ("no_diploma", 27)):
        expected[_key("mentoring_youths", qualification_level=qualification)] = value
    expected[_key("mentoring_youths", sex="male")] = 29
    expected[_key("mentoring_youths", sex="female")] = 29
    communes = {
        ("La Madeleine", "59368"): 8, ("Pérenchies", "59457"): 4,
        ("Lambersart", "59328"): 11, ("Quesnoy-sur-Deûle", "59482"): 5,
        ("Lompret", "59356"): 1, ("Saint-André-lez-Lille", "59527"): 4,
        ("Marcq-en-Barœul", "59378"): 24, ("Verlinghem", "59611"): 0,
        ("Marquette-lez-Lille", "59386"): 0, ("Wambrechies", "59636"): 1,
    }
    for (name, insee), value in communes.items():
        expected[_key("mentoring_youths", commune=name, commune_insee=insee)] = value
    return expected


def _extract(path, year=2023):
    """Facts and issues (`_extract_reviewed` adds the review items)."""
    return _extract_reviewed(path, year)[:2]


def _extract_reviewed(path, year=2023):
    document = read_document(path)
    return extract_profile_blocks(document, year, STRUCTURE, section_contexts(document.lines))


def test_every_profile_block_of_the_2023_report_is_extracted_as_printed(mno_2023):
    facts, issues = _extract(mno_2023)
    assert issues == []
    got: dict = {}
    for fact in facts:
        key = _key(fact.indicator, fact.is_total, **fact.dimensions)
        got.setdefault(key, []).append(fact.value)
    expected = {key: [value] for key, value in _expected_2023().items()}
    expected[_key("youths_interviewed_profile", True)] = [1634, 1634]
    assert got == expected
    assert len(facts) == 71


def test_2023_units_sources_tables_and_flags(mno_2023):
    facts, _ = _extract(mno_2023)
    lines = mno_2023.read_text(encoding="utf-8").splitlines()
    for fact in facts:
        assert fact.year == 2023 and fact.structure == STRUCTURE
        assert fact.unit == ("percent" if fact.indicator == "youths_interviewed_share" else "count")
        assert lines[fact.source.line - 1] == fact.source.text
        assert fact.table.startswith(f"{fact.indicator}@l")

    def source(indicator, is_total=False, **dimensions):
        [fact] = [f for f in facts if (f.indicator, f.is_total, f.dimensions)
                  == (indicator, is_total, dimensions)]
        return fact.source.text.strip()

    # each value comes from the line it is printed on
    assert source("new_registrations_profile", age_band="16_17",
                  qualification_level="bac") == "16 - 17 ans / 4 9 146"
    assert source("new_registrations_profile", True, qualification_level="bac") == "Total 66 224 48 341"
    assert source("new_registrations_profile", True, sex="male") == "Hommes 92 174 78 344"
    assert source("new_registrations_profile", True) == "Total 159 353 167 679"
    assert source("cej_entrants_profile", True) == "Total : 645"
    assert source("mentoring_youths", commune="Verlinghem", commune_insee="59611") == \
        "Marcq-en-Barœul 24 Verlinghem /"
    youths_totals = sorted(f.source.text.strip() for f in facts
                           if f.indicator == "youths_interviewed_profile" and f.is_total)
    assert youths_totals == ["765 869 1 634", "Total : 1 634 jeunes reçus en entretien"]
    # one table per block
    assert len({f.table for f in facts}) == 12
    # "765 869 1 634" is also 765 869 / 1 / 634: only the block's own total chose; nothing
    # else needed the totals, and every stated total adds up.
    flagged = {(f.indicator, tuple(sorted(f.dimensions.items())), f.is_total): f.flags
               for f in facts if f.flags}
    assert flagged == {
        ("youths_interviewed_profile", (("sex", "female"),), False): RESOLVED,
        ("youths_interviewed_profile", (("sex", "male"),), False): RESOLVED,
        ("youths_interviewed_profile", (), True): RESOLVED,
    }


def test_profile_blocks_are_wired_into_the_report_extraction(mno_2023):
    result = extract_path(mno_2023)
    indicators = {fact.indicator for fact in result.facts}
    assert {"new_registrations_profile", "youths_interviewed_profile", "youths_interviewed_share",
            "training_entrants_profile", "employment_youths_profile", "cej_entrants_profile",
            "mentoring_youths"} <= indicators
    assert "new_registrations" in indicators  # the commune tables are still there
    assert not result.errors


def test_mapping_file_loads_and_checks_against_the_catalogue():
    entries = profile_block_mappings()
    assert {entry.indicator for entry in entries} == {
        "new_registrations_profile", "youths_interviewed_profile", "youths_interviewed_share",
        "training_entrants_profile", "employment_youths_profile", "cej_entrants_profile",
        "mentoring_youths"}


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
