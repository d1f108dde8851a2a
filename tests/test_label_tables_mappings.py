"""Vertical "label | value" tables, split from test_label_tables.py: synthetic reports read
through an edited copy of the mappings (ambiguous rows, drifted labels and section headings)."""

from __future__ import annotations

import shutil

import pytest
import yaml

from extractors import wording_rules

from label_table_helpers import _label_tables, _label_tables_reviewed, _write


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
