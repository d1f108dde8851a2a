"""The commune tables of the real 2023 ML MNO report, checked against figures typed by hand."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from extractors.extract import extract_path
from mno_2023_commune_figures import COMMUNES, EXPECTED


def test_every_commune_table_is_extracted_as_printed(mno_2023):
    result = extract_path(mno_2023)
    assert (result.kind, result.year, result.structure) == ("ml_activity_report", 2023, "59386S00")
    assert not result.errors
    got: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    commune_facts = [fact for fact in result.facts if fact.indicator in EXPECTED]
    for fact in commune_facts:
        if fact.is_total:
            totals[fact.indicator] = fact.value
        else:
            got.setdefault(fact.indicator, {})[fact.dimensions["commune"]] = fact.value
    for indicator, (values, total) in EXPECTED.items():
        assert got[indicator] == dict(zip(COMMUNES, values)), indicator
        assert totals[indicator] == total, indicator
    assert set(got) == set(EXPECTED)
    # Rows that could be read two ways ("2 672 926", "164 358 644 €") were chosen by the
    # table's totals, which the flag records; one total does not add up.
    flagged = {(f.indicator, f.dimensions.get("commune")): f.flags for f in commune_facts if f.flags}
    resolved = ("resolved_by_table_constraints",)
    assert flagged == {
        **{(indicator, commune): resolved
           for indicator in ("contacts", "contacts_interviews")
           for commune in ("Pérenchies", "Wambrechies")},
        **{(indicator, commune): resolved
           for indicator in ("cej_allowance_beneficiaries", "cej_allowance_amount")
           for commune in ("La Madeleine", "Lambersart", "Marcq-en-Barœul", "Marquette-lez-Lille",
                           "Saint-André-lez-Lille")},
        ("ml_fund_direct_aid_amount", None): ("source_total_mismatch",),
    }


def test_facts_carry_their_provenance(mno_2023):
    result = extract_path(mno_2023)
    fact = next(f for f in result.facts
                if f.indicator == "new_registrations" and f.dimensions.get("commune") == "Lambersart")
    assert fact.value == 132
    assert fact.dimensions["commune_insee"] == "59328"
    assert fact.source.text.strip() == "Lambersart 132 15"
    assert fact.source.page is None and fact.source.bbox is None
    printed_line = mno_2023.read_text(encoding="utf-8").splitlines()[fact.source.line - 1]
    assert printed_line == fact.source.text


def test_a_footnote_that_states_the_whole_difference_explains_the_total(tmp_path, mno_2023):
    text = mno_2023.read_text(encoding="utf-8").replace(
        "(dont 29 € de frais de gestion)", "(dont 34 € de frais de gestion)")
    edited = tmp_path / "report.txt"
    edited.write_text(text, encoding="utf-8")
    total = next(f for f in extract_path(edited).facts
                 if f.indicator == "ml_fund_direct_aid_amount" and f.is_total)
    assert total.value == 10029 and total.flags == ("explained_by_footnote",)


def test_amounts_with_a_decimal_comma_keep_their_cents(tmp_path, mno_2023):
    text = mno_2023.read_text(encoding="utf-8").replace("Lompret 2 3 904 €", "Lompret 2 3 904,50 €")
    text = text.replace("Total : 183 114 049 €", "Total : 183 114 049,50 €")
    edited = tmp_path / "report.txt"
    edited.write_text(text, encoding="utf-8")
    facts = {(f.dimensions.get("commune"), f.is_total): f for f in extract_path(edited).facts
             if f.indicator == "pacea_allowance_amount"}
    assert facts[("Lompret", False)].value == 3904.5
    assert facts[(None, True)].value == 114049.5 and not facts[(None, True)].flags


def test_identity_comes_from_content_not_file_name(mno_2023, tmp_path):
    renamed = tmp_path / "rapport_2019_ml_lille.txt"
    shutil.copy(mno_2023, renamed)
    result = extract_path(renamed)
    assert (result.year, result.structure) == (2023, "59386S00")


def test_cli_prints_json_lines(mno_2023):
    completed = subprocess.run([sys.executable, "-m", "extractors", str(mno_2023)],
                               capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    commune_records = [record for record in records if record["indicator"] in EXPECTED]
    assert len(commune_records) == sum(len(values) + 1 for values, _ in EXPECTED.values())
    record = records[0]
    assert set(record) >= {"indicator", "dimensions", "value", "unit", "year", "structure",
                           "is_total", "flags", "source"}
    assert set(record["source"]) >= {"path", "sha256", "page", "line", "bbox", "text"}
    assert record["unit"] == "count" and record["year"] == 2023
