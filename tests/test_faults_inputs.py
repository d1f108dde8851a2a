"""Bad inputs never land a wrong value (issue 13, input side): re-encoded reports, truncated
export lines, oversized or hostile documents, corrupt PDFs. Everything runs on real files under
tmp_path and real DuckDB files; the property-based checks are in tests/test_fuzz_inputs.py."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from imilo_export_rows import KEY, export_files, write_export

from extractors.document_limits import MAX_LINE_CHARACTERS
from extractors.extract import extract_path
from extractors.imilo import ingest_export
from extractors.imilo import spec as s


def _facts(result) -> list[dict]:
    """Facts without what names the file (path, SHA-256): what was read, where in the text."""
    records = []
    for fact in result.facts:
        record = fact.to_json()
        record["source"] = {k: v for k, v in record["source"].items() if k not in ("path", "sha256")}
        records.append(record)
    return records


# -- 1. encoding ------------------------------------------------------------------------------

def test_cp1252_report_gives_the_same_facts_as_utf8_with_a_warning(mno_2023, tmp_path):
    path = tmp_path / "mno_2023_cp1252.txt"
    path.write_bytes(mno_2023.read_text(encoding="utf-8").encode("cp1252"))
    original, reencoded = extract_path(mno_2023), extract_path(path)

    assert not reencoded.errors and len(original.facts) > 300
    assert _facts(reencoded) == _facts(original)
    assert [c.to_json()["sentence"] for c in reencoded.claims] == \
        [c.to_json()["sentence"] for c in original.claims]
    [warning] = [issue for issue in reencoded.issues if "UTF-8" in issue.reason]
    assert warning.severity == "warning" and warning.path == str(path)
    assert "cp1252" in warning.reason and str(path) in str(warning)


@pytest.mark.parametrize("content, expected", [
    # Too short to tell cp1252 from cp1250 ("Barśul"): refused rather than guessed.
    ("Marcq-en-Barœul 148 23".encode("cp1252"), "refusing to guess"),
    (bytes(byte or 1 for byte in random.Random(7).randbytes(4000)), "no encoding reads it"),
])
def test_text_no_encoding_reads_with_confidence_is_refused(tmp_path, content, expected):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    [error] = extract_path(path).errors
    assert expected in error.reason and "not valid UTF-8" in error.reason
    assert not extract_path(path).facts


# -- 2. a truncated last line of an export ----------------------------------------------------

def _query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


def test_export_last_line_cut_inside_its_last_field_is_quarantined_not_landed(tmp_path):
    files = export_files()
    files["allocations.csv"][-1][-1] = "279,00"
    folder = write_export(tmp_path / "imilo_2023", files)
    path = folder / "allocations.csv"
    data = path.read_bytes()
    assert data.endswith(b";279,00\n")
    path.write_bytes(data[:-len(b"9,00\n")])  # "279,00" cut to "27", no final newline
    warehouse = tmp_path / "warehouse.duckdb"

    report = ingest_export(folder, warehouse, KEY)

    amounts = _query(warehouse, "select export_line, amount_eur from raw.imilo_allowances order by 1")
    assert amounts == [(2, Decimal("528.00")), (3, Decimal("528.00")), (4, Decimal("150.50"))]
    assert _query(warehouse, "select export_file, export_line, column_name, reason "
                             "from raw.imilo_quarantine") == \
        [("imilo_2023/allocations.csv", 5, "montant", s.UNTERMINATED_LAST_LINE)]
    assert report.rows_quarantined["allocations.csv"] == 1
    assert any("allocations.csv: no newline after the last line (line 5)" in warning
               for warning in report.warnings)


# -- 3. large or hostile documents ------------------------------------------------------------

def test_document_over_the_size_limit_is_refused_naming_file_size_and_limit(tmp_path):
    path = tmp_path / "dump.txt"
    with path.open("wb") as stream:  # 21 MiB, over the default 20 MiB
        stream.write(b"Lambersart 1 168 436\n" * (21 * 1024 * 1024 // 21 + 1))
    size = path.stat().st_size
    completed = subprocess.run([sys.executable, "-m", "extractors", str(path)],
                               capture_output=True, text=True)
    assert completed.returncode == 1 and completed.stdout == ""
    assert str(path) in completed.stderr and "file too large" in completed.stderr
    assert f"{size:,} bytes" in completed.stderr and "20,971,520 bytes" in completed.stderr
    assert "MLW_MAX_DOCUMENT_BYTES" in completed.stderr


def test_size_and_line_limits_are_configurable(mno_2023, tmp_path, monkeypatch):
    monkeypatch.setenv("MLW_MAX_DOCUMENT_BYTES", "10000")
    [error] = extract_path(mno_2023).errors
    assert "file too large" in error.reason and "10,000 bytes" in error.reason
    monkeypatch.setenv("MLW_MAX_DOCUMENT_BYTES", "1000000")
    monkeypatch.setenv("MLW_MAX_DOCUMENT_LINES", "500")  # the report has 1,069 lines
    [error] = extract_path(mno_2023).errors
    assert "too many lines" in error.reason and "MLW_MAX_DOCUMENT_LINES" in error.reason
    monkeypatch.setenv("MLW_MAX_DOCUMENT_LINES", "2000")
    assert not extract_path(mno_2023).errors
    monkeypatch.setenv("MLW_MAX_DOCUMENT_LINES", "many")
    with pytest.raises(ValueError, match="MLW_MAX_DOCUMENT_LINES='many'"):
        extract_path(mno_2023)


def test_hostile_lines_are_refused_or_read_without_crashing(mno_2023, tmp_path):
    report = mno_2023.read_text(encoding="utf-8")
    long_line = tmp_path / "long_line.txt"
    long_line.write_text(report + "Lambersart " + "1 " * MAX_LINE_CHARACTERS + "\n", encoding="utf-8")
    [error] = extract_path(long_line).errors
    assert error.reason.startswith(f"line {report.count(chr(10)) + 1}: line of ")
    assert "not the text layer of a report" in error.reason
    # Under the limits: thousands of "123" groups (once read as one 6,000-digit number, past
    # Python's int limit: ValueError), long digit runs (exponential regular expression), a
    # commune row with a thousand figures. Each is a table or sentence nothing can be read from.
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(report.replace("Lambersart 132 15", "Lambersart " + "123 " * 2000, 1)
                       + "Total " + "123 " * 2000 + "\nLa Madeleine 1234567890123456789012345 x\n"
                       + ("Lille " + "1 " * 3000 + "\n") * 20, encoding="utf-8")
    result = extract_path(hostile)
    assert any("Lambersart" in (issue.text or "") or issue.line == 11 for issue in result.errors)
    assert not [fact for fact in result.facts
                if fact.dimensions.get("commune") == "Lambersart" and fact.source.line == 11]


@pytest.mark.parametrize("name, content, reason", [
    ("empty.pdf", b"", "the file is empty"),
    ("junk.pdf", bytes(range(256)) * 8, "not a PDF file"),
    ("fake.pdf", b"%PDF-1.4\nthis is not really a PDF\n", "cannot open PDF"),
])
def test_corrupt_documents_give_an_error_issue_with_the_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    [issue] = extract_path(path).issues
    assert issue.severity == "error" and reason in issue.reason and issue.path == str(path)


def test_truncated_encrypted_and_scanned_pdfs_give_error_issues(tmp_path):
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    locked, scanned = tmp_path / "locked.pdf", tmp_path / "scanned.pdf"
    pdf = canvas.Canvas(str(locked), pagesize=A4, encrypt="secret")
    pdf.drawString(56, 700, "Rapport d'activité 2023")
    pdf.showPage()
    pdf.save()
    pdf = canvas.Canvas(str(scanned), pagesize=A4)
    pdf.drawImage(ImageReader(Image.new("RGB", (200, 100), "white")), 56, 500, width=400, height=200)
    pdf.showPage()
    pdf.save()
    whole = tmp_path / "whole.pdf"
    pdf = canvas.Canvas(str(whole), pagesize=A4)
    for page in range(3):
        pdf.drawString(56, 700, f"Rapport d'activité 2023, page {page + 1}")
        pdf.showPage()
    pdf.save()
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(whole.read_bytes()[:len(whole.read_bytes()) // 2])
    for path, reason in ((locked, "encrypted PDF"), (scanned, "no text layer"),
                         (truncated, "cannot open PDF")):
        [issue] = extract_path(path).issues
        assert issue.severity == "error" and reason in issue.reason, (path, issue)


def test_a_document_refused_by_a_limit_is_extracted_once_the_limit_is_raised(
        mno_2023, tmp_path, monkeypatch):
    from orchestration.extraction_cache import extract_cached

    monkeypatch.setenv("MLW_MAX_DOCUMENT_BYTES", "10000")
    refused, cached = extract_cached(mno_2023, tmp_path)
    assert not cached and "file too large" in refused.errors[0].reason
    monkeypatch.delenv("MLW_MAX_DOCUMENT_BYTES")
    result, cached = extract_cached(mno_2023, tmp_path)
    assert not cached and not result.errors and len(result.facts) > 300
    assert extract_cached(mno_2023, tmp_path)[1]  # the same limits: from the cache
