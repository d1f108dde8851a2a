"""The commune tables of the real 2023 ML MNO report, checked against figures typed by hand."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from extractors.extract import extract_path

COMMUNES = ["La Madeleine", "Lambersart", "Lompret", "Marcq-en-Barœul", "Marquette-lez-Lille",
            "Pérenchies", "Quesnoy-sur-Deûle", "Saint-André-lez-Lille", "Verlinghem", "Wambrechies"]

# Typed from the report, in the communes' order above, then the stated total ("/" is 0).
EXPECTED = {
    "new_registrations": ([112, 132, 9, 148, 72, 52, 31, 62, 4, 57], 679),
    "new_registrations_qpv": ([0, 15, 0, 23, 0, 0, 0, 0, 0, 0], 38),
    "youths_in_contact": ([870, 610, 34, 525, 288, 171, 127, 255, 24, 183], 3087),
    "youths_interviewed": ([277, 356, 13, 390, 161, 101, 75, 141, 12, 108], 1634),
    "contacts": ([8646, 8108, 311, 11234, 3589, 2672, 2010, 3614, 329, 1805], 42318),
    "contacts_interviews": ([2944, 3347, 126, 5056, 1380, 926, 764, 1422, 111, 633], 16709),
    "pmsmp_periods": ([32, 59, 5, 33, 15, 22, 10, 21, 4, 9], 210),
    "training_entries": ([70, 97, 6, 105, 51, 23, 27, 41, 4, 44], 468),
    "employment_contracts": ([362, 350, 6, 508, 206, 120, 93, 168, 13, 89], 1915),
    "pec_contracts": ([4, 2, 0, 5, 2, 0, 0, 1, 0, 0], 14),
    "alternance_contracts": ([19, 40, 0, 22, 14, 14, 4, 12, 1, 4], 130),
    "civic_service_youths": ([21, 12, 2, 17, 8, 9, 4, 14, 2, 7], 96),
    "civic_service_starts": ([5, 4, 2, 7, 4, 3, 2, 9, 1, 4], 41),
    "cej_youths": ([187, 201, 5, 292, 87, 56, 48, 94, 7, 45], 1022),
    "cej_entrants": ([114, 120, 5, 191, 60, 36, 27, 54, 5, 33], 645),
}


def test_every_commune_table_is_extracted_as_printed(mno_2023):
    result = extract_path(mno_2023)
    assert (result.kind, result.year, result.structure) == ("ml_activity_report", 2023, "59386S00")
    assert not result.errors
    got: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for fact in result.facts:
        if fact.is_total:
            totals[fact.indicator] = fact.value
        else:
            got.setdefault(fact.indicator, {})[fact.dimensions["commune"]] = fact.value
    for indicator, (values, total) in EXPECTED.items():
        assert got[indicator] == dict(zip(COMMUNES, values)), indicator
        assert totals[indicator] == total, indicator
    assert set(got) == set(EXPECTED)
    # These tables all add up; two rows could be read two ways ("2 672 926") and the
    # table's constraints chose, which the flag records.
    flagged = {(f.indicator, f.dimensions.get("commune")): f.flags for f in result.facts if f.flags}
    assert flagged == {
        (indicator, commune): ("resolved_by_table_constraints",)
        for indicator in ("contacts", "contacts_interviews")
        for commune in ("Pérenchies", "Wambrechies")
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


def test_financial_tables_are_reported_not_extracted_yet(mno_2023):
    warnings = [i for i in extract_path(mno_2023).issues if i.severity == "warning"]
    assert any("Montant" in issue.reason for issue in warnings)
    assert all(issue.line for issue in warnings)


def test_identity_comes_from_content_not_file_name(mno_2023, tmp_path):
    renamed = tmp_path / "rapport_2019_ml_lille.txt"
    shutil.copy(mno_2023, renamed)
    result = extract_path(renamed)
    assert (result.year, result.structure) == (2023, "59386S00")


def test_cli_prints_json_lines(mno_2023):
    completed = subprocess.run([sys.executable, "-m", "extractors", str(mno_2023)],
                               capture_output=True, text=True, check=True)
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    assert len(records) == sum(len(values) + 1 for values, _ in EXPECTED.values())
    record = records[0]
    assert set(record) >= {"indicator", "dimensions", "value", "unit", "year", "structure",
                           "is_total", "flags", "source"}
    assert set(record["source"]) >= {"path", "sha256", "page", "line", "bbox", "text"}
    assert record["unit"] == "count" and record["year"] == 2023
