"""Vertical "label | value" tables: the real 2023 ML MNO report, checked against figures typed by
hand, and small synthetic reports for the cases the real one does not show."""

from __future__ import annotations

import shutil

import pytest
import yaml

from extractors import wording_rules
from extractors.activity_report.label_tables import extract_label_tables
from extractors.activity_report.sections import section_contexts
from extractors.documents import read_document
from extractors.extract import extract_path

# Typed from the report: {indicator: [(dimension code, value, line), ...], total, total line}.
EXPECTED = {
    "contacts_by_nature": ("contact_nature", [
        ("individual_interview", 10500, 150), ("sms", 9990, 151), ("email", 9916, 152),
        ("group_session", 6209, 153), ("phone", 3620, 154), ("other", 2083, 155),
    ], 42318, 157),
    "propositions": ("proposition_theme", [
        ("employment", 7858, 188), ("training", 2152, 190), ("career_guidance", 7158, 192),
        ("social_inclusion", 10955, 194),  # label wrapped over lines 193-194
    ], 28123, 196),
    "training_actions": ("training_type", [
        ("other_training", 382, 272), ("regional_council", 192, 273),
        ("initial_training", 104, 274),
    ], 678, 276),
    "employment_contracts_by_type": ("contract_type", [
        ("fixed_term", 901, 313), ("temporary_seasonal", 662, 314), ("alternance", 130, 315),
        ("permanent", 184, 316), ("subsidised", 24, 317), ("self_employed", 14, 318),
    ], 1915, 320),
    "cej_contacts_by_nature": ("contact_nature", [
        ("interview", 12279, 678), ("phone_or_sms", 7710, 680), ("email", 5643, 682),
        ("other", 1498, 684),
    ], 27130, 686),
    "cej_measures": ("situation_type", [
        ("employment", 1091, 698), ("training", 389, 699), ("work_placement", 154, 700),
        ("alternance", 81, 701), ("civic_service", 29, 702), ("other", 25, 703),
    ], 1769, 704),
}
# Shares of the new registrations (percent lists, no stated total).
EXPECTED_SHARES = {
    "driving_licence": [("holder", 24, 54), ("not_holder", 76, 56)],
    "housing": [("with_parents", 58, 58), ("independent", 20, 60), ("precarious", 22, 62)],
}
LABEL_INDICATORS = set(EXPECTED) | {"new_registrations_share"}


def _label_tables(path, year=2023, structure="59386S00"):
    """Facts and issues (`_label_tables_reviewed` adds the review items)."""
    return _label_tables_reviewed(path, year, structure)[:2]


def _label_tables_reviewed(path, year=2023, structure="59386S00"):
    document = read_document(path)
    return extract_label_tables(document, year, structure, section_contexts(document.lines))


def test_every_label_table_of_the_2023_report(mno_2023):
    facts, issues = _label_tables(mno_2023)
    assert issues == []
    for indicator, (dimension, rows, total, total_line) in EXPECTED.items():
        got = [f for f in facts if f.indicator == indicator]
        assert [(f.dimensions, f.value, f.source.line, f.unit, f.flags)
                for f in got if not f.is_total] == [
            ({dimension: code}, value, line, "count", ()) for code, value, line in rows
        ], indicator
        [stated] = [f for f in got if f.is_total]
        assert (stated.dimensions, stated.value, stated.source.line, stated.flags) == (
            {}, total, total_line, ()), indicator
        assert {f.table for f in got} == {got[0].table}
        assert got[0].table.startswith(f"{indicator}@l")
    shares = [f for f in facts if f.indicator == "new_registrations_share"]
    for dimension, rows in EXPECTED_SHARES.items():
        got = [f for f in shares if dimension in f.dimensions]
        assert [(f.dimensions, f.value, f.source.line, f.unit, f.is_total) for f in got] == [
            ({dimension: code}, value, line, "percent", False) for code, value, line in rows]
    assert len(shares) == 5 and len({f.table for f in shares}) == 2
    assert len(facts) == sum(len(rows) + 1 for _, rows, _, _ in EXPECTED.values()) + 5


def test_wrapped_label_is_read_whole(mno_2023):
    facts, _ = _label_tables(mno_2023)
    social = next(f for f in facts if f.dimensions == {"proposition_theme": "social_inclusion"})
    assert social.source.line == 194 and social.source.text.endswith("justice, …) 10 955")


def test_contract_table_and_chart_residue(mno_2023):
    result = extract_path(mno_2023)
    contracts = [f for f in result.facts if f.indicator == "employment_contracts_by_type"]
    assert len(contracts) == 7 and sum(f.is_total for f in contracts) == 1
    # Lines 321-355: "Graph1", "Feuil1", "Ventes", "Santé / Social 43", ... then the next page.
    assert not [f for f in result.facts if 321 <= f.source.line <= 355]
    assert not [i for i in result.issues if i.line is not None and 310 <= i.line <= 356]


def test_cej_contacts_are_told_apart_by_their_section(mno_2023):
    facts, _ = _label_tables(mno_2023)
    by_line = {f.source.line: f.indicator for f in facts}
    assert {by_line[line] for line in (678, 680, 682, 684, 686)} == {"cej_contacts_by_nature"}
    assert {line for line, indicator in by_line.items()
            if indicator == "contacts_by_nature"} == {150, 151, 152, 153, 154, 155, 157}


def test_whole_report_extraction_includes_label_tables(mno_2023):
    result = extract_path(mno_2023)
    assert not result.errors
    assert {f.indicator for f in result.facts} >= LABEL_INDICATORS
    label_issues = [i for i in result.issues if i.line is not None and any(
        i.line == f.source.line for f in result.facts if f.indicator in LABEL_INDICATORS)]
    assert label_issues == []


def test_unknown_label_in_the_real_report(mno_2023, tmp_path):
    text = mno_2023.read_text(encoding="utf-8")
    assert "\nSMS 9 990\n" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\nSMS 9 990\n", "\nTexto 9 990\n", 1), encoding="utf-8")
    result = extract_path(path)
    assert result.errors == []
    # The row is kept, as printed, under the "unmapped" code; the table's total still checks it.
    [unmapped] = [f for f in result.facts if "unmapped_label" in f.flags]
    assert (unmapped.indicator, unmapped.value, unmapped.source.line) == ("contacts_by_nature", 9990, 151)
    assert unmapped.dimensions == {"contact_nature": "unmapped", "printed_label": "Texto"}
    table = [f for f in result.facts if f.table == unmapped.table]
    total = next(f for f in table if f.is_total)
    assert total.flags == () and sum(f.value for f in table if not f.is_total) == total.value
    [item] = [i for i in result.review_items if i.kind == "unknown_label"]
    assert (item.label, item.dimension, item.indicator, item.value) == (
        "Texto", "contact_nature", "contacts_by_nature", 9990)
    assert item.source.line == 151 and item.table == unmapped.table and item.year == 2023
    assert {"propositions", "cej_contacts_by_nature", "contacts"} <= {f.indicator for f in result.facts}


# --- synthetic reports --------------------------------------------------------------------------

CONTACTS_2023 = """\
 1) Le Public
 II. Les jeunes en contact
c. Les contacts

Nature Nombre de contacts

Entretien individuel {individual}
SMS 950

Information Collective / Atelier 1 000
Total : {total}
"""


def _write(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_synthetic_table_reads_labels_with_a_slash(tmp_path):
    path = _write(tmp_path, CONTACTS_2023.format(individual="1 200", total="3 150"))
    facts, issues = _label_tables(path)
    assert issues == []
    assert [(f.dimensions, f.value, f.source.line, f.is_total) for f in facts] == [
        ({"contact_nature": "individual_interview"}, 1200, 7, False),
        ({"contact_nature": "sms"}, 950, 8, False),
        ({"contact_nature": "group_session"}, 1000, 10, False),
        ({}, 3150, 11, True),
    ]
    assert {f.table for f in facts} == {"contacts_by_nature@l5"}


def test_unknown_label_is_kept_unmapped_for_review_naming_file_and_line(tmp_path):
    text = CONTACTS_2023.format(individual="1 200", total="3 150").replace(
        "Entretien individuel", "Entretien individuell")
    path = _write(tmp_path, text)
    facts, issues, review_items = _label_tables_reviewed(path)
    assert issues == []
    [unmapped] = [f for f in facts if "unmapped_label" in f.flags]
    assert unmapped.value == 1200 and unmapped.source.line == 7
    assert unmapped.dimensions == {"contact_nature": "unmapped",
                                   "printed_label": "Entretien individuell"}
    [item] = review_items
    assert (item.kind, item.source.path, item.source.line) == ("unknown_label", str(path), 7)
    assert item.context == "Entretien individuell 1 200"
    assert (item.label, item.suggestion) == ("Entretien individuell", "individual_interview")
    assert "closest known label 'entretien individuel'" in item.reason


def test_total_that_does_not_add_up_is_kept_and_flagged(tmp_path):
    path = _write(tmp_path, CONTACTS_2023.format(individual="1 200", total="3 151"))
    facts, issues = _label_tables(path)
    assert issues == []
    total = next(f for f in facts if f.is_total)
    assert total.value == 3151 and total.flags == ("source_total_mismatch",)
    assert all(f.flags == () for f in facts if not f.is_total)


def test_two_tables_of_one_dimension_need_their_own_section(tmp_path):
    text = CONTACTS_2023.format(individual="1 200", total="3 150") + """\
 8) Les dispositifs d'accompagnement
I. Le Contrat d'Engagement Jeune
c. Le suivi des jeunes

Entretien (individuel, collectif, atelier) 300
Email 20
Total général : 320
 9) Autres actions
SMS 5
E-mail 5
Total : 10
"""
    facts, issues, review_items = _label_tables_reviewed(_write(tmp_path, text))
    assert {f.indicator for f in facts if f.source.line > 12} == {"cej_contacts_by_nature"}
    [warning] = issues  # the third table is in no mapped section: reported, not guessed
    assert warning.severity == "warning" and warning.line == 20
    assert "matches no entry" in warning.reason
    # ... and its cells are kept for review: nothing printed is lost
    assert [(i.kind, i.source.line, i.label, i.value_text) for i in review_items] == [
        ("unrecognised_table", 20, "SMS", "5"), ("unrecognised_table", 21, "E-mail", "5")]


@pytest.fixture
def mapping_dir(tmp_path, monkeypatch):
    """A copy of extractors/mappings that a test may edit; the extractors read it instead."""
    directory = tmp_path / "mappings"
    shutil.copytree(wording_rules.MAPPINGS_DIR, directory)
    monkeypatch.setattr(wording_rules, "MAPPINGS_DIR", directory)
    wording_rules.dimension_labels.cache_clear()
    yield directory
    wording_rules.dimension_labels.cache_clear()


def _add_labels(directory, dimension, year, labels):
    path = directory / "dimension_labels.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data[dimension][year] = labels
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


PROPOSITIONS_2021 = """\
 1) Le Public
 II. Les jeunes en contact
e. Les propositions

Thématiques Nombre de propositions

Accès à l'emploi 1 858
Formation {training}
Total : 2 058
"""


def test_ambiguous_rows_go_to_review_with_their_candidates(tmp_path, mapping_dir):
    # An edition that prints a footnote call "1" after two labels, written as printed in the
    # mapping: "Accès à l'emploi 1 858" is 1 858, or 858 after the label "Accès à l'emploi 1".
    _add_labels(mapping_dir, "proposition_theme", 2021, {
        "Accès à l'emploi": "employment", "Accès à l'emploi 1": "employment",
        "Formation": "training", "Formation 1": "training",
    })
    path = _write(tmp_path, PROPOSITIONS_2021.format(training="1 200"))
    facts, issues, review_items = _label_tables_reviewed(path, year=2021)
    # 1 858 + 200 and 858 + 1 200 both make 2 058: neither row is guessed, the total is kept
    assert issues == [] and [(f.value, f.is_total) for f in facts] == [(2058, True)]
    assert [(i.kind, i.source.line, i.indicator, i.source.path) for i in review_items] == [
        ("ambiguous_reading", 7, "propositions", str(path)),
        ("ambiguous_reading", 8, "propositions", str(path))]
    assert review_items[0].reason.endswith(
        "line 7: \"Accès à l'emploi\" 1 858 | \"Accès à l'emploi 1\" 858")
    assert review_items[1].reason.endswith("line 8: 'Formation' 1 200 | 'Formation 1' 200")

    # With only one consistent reading, the total chooses and the row is flagged.
    path = _write(tmp_path, PROPOSITIONS_2021.format(training="200"), "resolved.txt")
    facts, issues = _label_tables(path, year=2021)
    assert issues == []
    assert [(f.dimensions, f.value, f.flags) for f in facts] == [
        ({"proposition_theme": "employment"}, 1858, ("resolved_by_table_constraints",)),
        ({"proposition_theme": "training"}, 200, ()),
        ({}, 2058, ()),
    ]


CONTACTS_2022 = """\
 1) Le Public
 II. Les jeunes en contact
c. Les contacts

Nature Nombre de contacts

Entretiens individuels 1 200
SMS 950
Ateliers collectifs 1 000
Total : 3 150
"""


def test_drifted_label_maps_through_the_edition_yaml(tmp_path, mapping_dir):
    _add_labels(mapping_dir, "contact_nature", 2022, {
        "Entretiens individuels": "individual_interview", "SMS": "sms",
        "Ateliers collectifs": "group_session",
    })
    path = _write(tmp_path, CONTACTS_2022)
    facts, issues = _label_tables(path, year=2022)
    assert issues == []
    assert [(f.indicator, f.dimensions, f.value) for f in facts] == [
        ("contacts_by_nature", {"contact_nature": "individual_interview"}, 1200),
        ("contacts_by_nature", {"contact_nature": "sms"}, 950),
        ("contacts_by_nature", {"contact_nature": "group_session"}, 1000),
        ("contacts_by_nature", {}, 3150),
    ]
    # The 2023 edition lists its own labels: there, the 2022 wording is unknown, kept as
    # printed for review with the closest known label's code as the suggestion (none when no
    # known label is close).
    facts, issues, review_items = _label_tables_reviewed(path, year=2023)
    assert issues == []
    assert [(f.dimensions["contact_nature"], f.value) for f in facts if not f.is_total] == [
        ("unmapped", 1200), ("sms", 950), ("unmapped", 1000)]
    assert [(i.source.line, i.kind, i.label, i.suggestion) for i in review_items] == [
        (7, "unknown_label", "Entretiens individuels", "individual_interview"),
        (9, "unknown_label", "Ateliers collectifs", None)]


def test_drifted_section_heading_maps_through_the_label_tables_yaml(tmp_path, mapping_dir):
    path = mapping_dir / "ml_activity_report_label_tables.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    entry = next(e for e in data["label_tables"] if e["indicator"] == "cej_contacts_by_nature")
    entry["section"][2021] = "accompagnement renforcé"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = _write(tmp_path, """\
 8) Les dispositifs d'accompagnement
I. L'accompagnement renforcé
c. Le suivi des jeunes

Entretien (individuel, collectif, atelier) 300
Email 20
Total général : 320
""")
    facts, issues = _label_tables(report, year=2021)
    assert issues == [] and {f.indicator for f in facts} == {"cej_contacts_by_nature"}
    # Not a 2023 heading, and contact natures are printed in two kinds of tables: not guessed.
    facts, issues = _label_tables(report, year=2023)
    assert facts == [] and [i.severity for i in issues] == ["warning"]


def test_a_table_whose_labels_only_one_entry_prints_is_read_under_a_drifted_section(tmp_path):
    report = _write(tmp_path, """\
 2) L'offre de services
I. Les propositions faites aux jeunes

Accès à l'emploi 100
Formation 20
Total : 120
""")
    facts, issues, [item] = _label_tables_reviewed(report, year=2023)
    assert [(f.indicator, f.dimensions, f.value) for f in facts] == [
        ("propositions", {"proposition_theme": "employment"}, 100),
        ("propositions", {"proposition_theme": "training"}, 20),
        ("propositions", {}, 120),
    ]
    assert [(i.severity, i.line) for i in issues] == [("warning", 4)]
    assert "add this section's wording" in issues[0].reason
    # the reviewer is asked for the new heading's wording, with the indicator it was read as
    assert (item.kind, item.source.line, item.suggestion) == ("drifted_wording", 4, "propositions")
    assert "Les propositions faites aux jeunes" in item.label


def test_a_label_table_split_by_a_page_break_is_read_as_one(mno_2023, tmp_path):
    """The contacts table broken after its second row by a folio and the page's running
    headings (the same part and sub-part) and column headers: the facts of the whole table."""
    text = mno_2023.read_text(encoding="utf-8")
    assert "\nSMS 9 990\n" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\nSMS 9 990\n", "\nSMS 9 990\n\n7\n II.  Les jeunes en contact  \n"
                                 "c.  Les contacts\n\nNature Nombre de contacts\n\n", 1),
                    encoding="utf-8")

    def contacts(facts):
        return sorted((tuple(f.dimensions.items()), f.value, f.flags) for f in facts
                      if f.indicator == "contacts_by_nature")

    facts, issues = _label_tables(path)
    assert issues == []
    assert contacts(facts) == contacts(_label_tables(mno_2023)[0])
    assert len(contacts(facts)) == 7
