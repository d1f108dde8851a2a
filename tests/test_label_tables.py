"""Vertical "label | value" tables: the real 2023 ML MNO report, checked against figures typed by
hand. Small synthetic reports for the cases the real one does not show are in
test_label_tables_synthetic.py, edited mappings in test_label_tables_mappings.py."""

from __future__ import annotations

from extractors.extract import extract_path

from label_table_helpers import _label_tables

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
