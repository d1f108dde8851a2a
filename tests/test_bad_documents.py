"""Bad input: clear errors that name the file, the place and the reason; nothing guessed."""

from __future__ import annotations

import subprocess
import sys

from extractors.extract import extract_path


def _corrupt(source, tmp_path, old: str, new: str):
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_unknown_commune_is_kept_for_review_naming_file_and_line(mno_2023, tmp_path):
    path = _corrupt(mno_2023, tmp_path, "Lambersart 132 15", "Lambersartt 132 15")
    result = extract_path(path)
    assert result.errors == []
    # The row stays in its table, as printed: the stated total still checks every row.
    row = {f.indicator: f for f in result.facts if f.dimensions.get("commune") == "Lambersartt"}
    assert {indicator: f.value for indicator, f in row.items()} == {
        "new_registrations": 132, "new_registrations_qpv": 15}
    assert all(f.dimensions["commune_insee"] == "unmapped" and "unmapped_label" in f.flags
               for f in row.values())
    total = next(f for f in result.facts if f.indicator == "new_registrations" and f.is_total)
    assert total.value == 679 and total.flags == ()
    [item] = [i for i in result.review_items if i.label == "Lambersartt"]
    assert (item.kind, item.dimension, item.suggestion) == ("unknown_label", "commune", "59328")
    assert item.value_text == "132 / 15" and item.source.path == str(path)
    assert path.read_text(encoding="utf-8").splitlines()[item.source.line - 1] == "Lambersartt 132 15"


def test_total_that_does_not_add_up_is_kept_and_flagged(mno_2023, tmp_path):
    path = _corrupt(mno_2023, tmp_path, "Total général : 679 38", "Total général : 680 38")
    result = extract_path(path)
    assert not result.errors
    total = next(f for f in result.facts if f.indicator == "new_registrations" and f.is_total)
    assert total.value == 680 and total.flags == ("source_total_mismatch",)
    qpv = next(f for f in result.facts if f.indicator == "new_registrations_qpv" and f.is_total)
    assert qpv.flags == ()


def test_thousands_resolved_by_the_stated_total(mno_2023, tmp_path):
    # "1 168 436" alone is 1 168 and 436 or 1 and 168 436; a "dont" column cannot exceed
    # its main column, and the totals agree.
    path = _corrupt(mno_2023, tmp_path, "Lambersart 132 15", "Lambersart 1 168 436")
    text = path.read_text(encoding="utf-8").replace("Total général : 679 38",
                                                     "Total général : 1 715 459", 1)
    path.write_text(text, encoding="utf-8")
    result = extract_path(path)
    assert not result.errors
    row = {f.indicator: f for f in result.facts if f.dimensions.get("commune") == "Lambersart"
           and f.indicator.startswith("new_registrations")}
    assert row["new_registrations"].value == 1168 and row["new_registrations_qpv"].value == 436
    assert row["new_registrations"].flags == ("resolved_by_table_constraints",)


def test_not_an_activity_report(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Compte rendu de réunion du 3 mars.\nRien à signaler.\n", encoding="utf-8")
    result = extract_path(path)
    [error] = result.errors
    assert "not a Mission Locale activity report" in error.reason and error.year is None
    assert not result.facts


def test_unreadable_files(tmp_path):
    binary = tmp_path / "report.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    assert "not a text file" in extract_path(binary).errors[0].reason
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Marcq-en-Barœul 148 23".encode("cp1252"))
    assert "not valid UTF-8" in extract_path(latin1).errors[0].reason
    assert "file not found" in extract_path(tmp_path / "missing.txt").errors[0].reason
    (tmp_path / "x.docx").write_bytes(b"PK")
    assert "unsupported file type" in extract_path(tmp_path / "x.docx").errors[0].reason


def test_cli_exit_status_names_the_problem(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("rien\n", encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "extractors", str(path)],
                               capture_output=True, text=True)
    assert completed.returncode == 1
    assert str(path) in completed.stderr and "not a Mission Locale activity report" in completed.stderr
