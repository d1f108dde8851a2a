"""Horizontal profile blocks and cross-tabs ("caractéristiques" sections) of an activity report.

The real 2023 ML MNO report is checked against figures typed by hand from the report; small
synthetic documents check the layouts and failures the real report does not show
(test_profile_blocks_synthetic.py).
"""

from __future__ import annotations

import pytest

from extractors.activity_report.profile_blocks import profile_block_mappings
from extractors.extract import extract_path

from profile_block_helpers import RESOLVED, STRUCTURE, _extract

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


@pytest.mark.parametrize("after, running", [
    # the qualification x age cross-tab, broken after its second row
    ("18 - 21 ans 19 165 29 140\n", "\n4\n I.   Les nouveaux accueils\nb.  Les caractéristiques\n\n"),
    # the two-column commune list of the mentoring action, broken after its second line
    ("Lambersart 11 Quesnoy-sur-Deûle 5\n", "\n17\nRapport d'activité 2023 - ML MNO\n\n"),
])
def test_a_block_split_by_a_page_break_is_read_as_one(mno_2023, tmp_path, after, running):
    text = mno_2023.read_text(encoding="utf-8")
    assert text.count(after) == 1
    path = tmp_path / "report.txt"
    path.write_text(text.replace(after, after + running), encoding="utf-8")

    def values(facts):
        return sorted((f.indicator, tuple(sorted(f.dimensions.items())), f.value, f.is_total,
                       f.flags) for f in facts)

    facts, issues = _extract(path)
    assert issues == []
    assert values(facts) == values(_extract(mno_2023)[0])
