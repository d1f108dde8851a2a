"""Vertical "label | value" tables, split from test_label_tables.py: small synthetic reports
for the cases the real 2023 ML MNO report does not show."""

from __future__ import annotations

from label_table_helpers import _label_tables, _label_tables_reviewed, _write


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


def test_a_drifted_section_never_takes_the_entry_of_a_table_under_its_own_heading(tmp_path):
    """Two propositions tables: the first under an unknown heading, the second under the
    entry's own heading. The second is the entry's; the first is not read by drift (it would
    take the entry first and the real one would be refused): its cells are kept for review."""
    report = _write(tmp_path, """\
 2) L'offre de services
I. Les propositions faites aux jeunes

Accès à l'emploi 100
Formation 20
Total : 120
 1) Le Public
II. Les jeunes en contact

Accès à l'emploi 300
Formation 40
Total : 340
""")
    facts, issues, review_items = _label_tables_reviewed(report, year=2023)
    assert [(f.value, f.source.line) for f in facts] == [(300, 10), (40, 11), (340, 12)]
    assert [(i.severity, i.line, "matches no entry" in i.reason) for i in issues] == [
        ("warning", 4, True)]
    assert [(i.kind, i.source.line) for i in review_items] == [
        ("unrecognised_table", 4), ("unrecognised_table", 5)]
