"""Bad inputs never land a wrong value (issue 13, input side): re-encoded reports, truncated
export lines, oversized or hostile documents, corrupt PDFs; and property-based checks
(Hypothesis) of the number reader, the commune-table reader, the export ingestion and the PDF
reader. Everything runs on real files under tmp_path and real DuckDB files."""

from __future__ import annotations

import dataclasses
import random
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_imilo_ingestion import KEY, export_files, write_export

from extractors.document_limits import MAX_LINE_CHARACTERS
from extractors.extract import extract_path
from extractors.imilo import ingest_export
from extractors.imilo import spec as s
from extractors.numbers import readings, resolve_table, split_cells
from sample_inputs.figures import generate_figures
from sample_inputs.render import render_pdf, render_text

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


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
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(_sample_pdf_bytes()[:2000])
    for path, reason in ((locked, "encrypted PDF"), (scanned, "no text layer"),
                         (truncated, "cannot open PDF")):
        [issue] = extract_path(path).issues
        assert issue.severity == "error" and reason in issue.reason, (path, issue)


# -- 4. properties (Hypothesis) ---------------------------------------------------------------

def _print_count(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _print_amount(value: Decimal) -> str:
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


@FUZZ
@given(st.integers(min_value=0, max_value=10**15), st.booleans())
def test_a_printed_count_reads_back_to_its_value(value, euro):
    printed = _print_count(value) + (" €" if euro else "")
    assert readings(split_cells(printed), 1) == [(value,)]


@FUZZ
@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_a_printed_amount_reads_back_to_its_value(value):
    assert readings(split_cells(_print_amount(value) + " €"), 1) == [(value,)]


@FUZZ
@given(st.text(alphabet="0123456789 ,/€abc%.-", max_size=16))
def test_any_tail_reads_as_numbers_or_is_refused(text):
    """Never an exception; a reading is made of the printed digits only."""
    cells = split_cells(text)
    if cells is None:
        return
    digits = "".join(ch for ch in text if ch.isdigit())
    for reading in readings(cells, 1):
        assert str(reading[0]).replace(".", "") in digits.lstrip("0") + "0" or reading[0] == 0


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 50_000), st.integers(0, 50_000)), min_size=1, max_size=8))
def test_a_table_resolves_to_the_printed_values_or_says_why(pairs):
    """Rows "a b" (b a "dont" part of a) with their stated total: every space may be a thousands
    separator or a column break; the reader gives the values printed or a problem, never others."""
    rows = [(max(a, b), min(a, b)) for a, b in pairs]
    total = (sum(a for a, _ in rows), sum(b for _, b in rows))

    def cells(row):
        return split_cells(" ".join(_print_count(v) if v else "/" for v in row))

    reading = resolve_table([readings(cells(row), 2) for row in rows], readings(cells(total), 2), {1})
    if reading.problem is None:
        assert reading.rows == rows and reading.total == total and not reading.mismatched_columns
    else:
        assert reading.problem and reading.rows is None


@cache
def _figures_2023():
    return generate_figures(2023)


@FUZZ
@given(st.data())
def test_a_generated_commune_table_reads_back_exactly_or_reports_an_issue(tmp_path, data):
    figures = _figures_2023()
    spec = data.draw(st.sampled_from([spec for spec in figures.table_specs
                                      if all(unit == "count" for unit in spec.units)]))
    main, *parts = spec.indicators
    tables = dict(figures.tables)
    tables[main] = {commune: data.draw(st.integers(0, 20_000)) for commune in figures.communes}
    for code in parts:
        tables[code] = {commune: data.draw(st.integers(0, value))
                        for commune, value in tables[main].items()}
    totals = {**figures.totals, **{code: sum(tables[code].values()) for code in spec.indicators}}
    off = data.draw(st.sampled_from([0, 0, 0, 1, -1, 1000]))  # a stated total that does not add up
    totals[main] = max(totals[main] + off, 0)
    path = tmp_path / "report.txt"
    path.write_text(render_text(dataclasses.replace(figures, tables=tables, totals=totals)),
                    encoding="utf-8")

    result = extract_path(path)
    read = {(fact.indicator, fact.dimensions.get("commune", "TOTAL")): fact
            for fact in result.facts if fact.indicator in spec.indicators}
    expected = {(code, commune): value for code in spec.indicators
                for commune, value in tables[code].items()}
    expected.update({(code, "TOTAL"): totals[code] for code in spec.indicators})
    for key, fact in read.items():
        assert fact.value == expected[key], key  # never a different value
    if set(read) != set(expected):
        assert result.errors, "a table not read must be reported"
    elif totals[main] != sum(tables[main].values()):
        assert "source_total_mismatch" in read[(main, "TOTAL")].flags


_AMOUNT = r"-?[0-9]{1,10}(,[0-9]{1,2})?"
_JUNK = st.one_of(st.sampled_from(["", "27", "abc", "1 234,56", "12.50", "99999999999", "2,5",
                                   "-3,00", "0", "05/05/2023", "CEJ"]),
                  st.text(alphabet="0123456789,.- /abcE", max_size=12))


@FUZZ
@given(st.lists(st.tuples(st.integers(1, 4), st.integers(0, 5), _JUNK), max_size=4),
       st.one_of(st.none(), st.integers(1, 60)))
def test_a_corrupted_export_never_lands_a_value_it_does_not_hold(tmp_path_factory, cuts, trim):
    """Cells of allocations.csv replaced by junk, and maybe its end cut off: every row is landed
    with exactly its values, or quarantined with a reason, or its file is rejected."""
    import re

    files = export_files()
    rows = files["allocations.csv"]
    for row, column, junk in cuts:
        rows[row][column] = junk
    folder = write_export(tmp_path_factory.mktemp("fuzz") / "imilo_2023", files)
    path = folder / "allocations.csv"
    if trim is not None:
        path.write_bytes(path.read_bytes()[:-trim])
    present = path.read_bytes().count(b"\n") + (0 if path.read_bytes().endswith(b"\n") else 1)
    warehouse = folder.parent / "warehouse.duckdb"

    report = ingest_export(folder, warehouse, KEY, year=2023)

    landed = _query(warehouse, "select export_line, allowance_id, aid_code, paid_on, amount_eur "
                               "from raw.imilo_allowances")
    quarantined = {line: reason for line, reason in _query(
        warehouse, "select export_line, reason from raw.imilo_quarantine where export_file = ?",
        ["imilo_2023/allocations.csv"])}
    rejected = [error for error in report.file_errors if error.file.endswith("allocations.csv")]
    if rejected:
        assert not landed and rejected[0].message
        return
    for line, allowance_id, aid_code, paid_on, amount in landed:
        source = rows[line - 1]
        assert line not in quarantined
        assert str(allowance_id) == source[0].strip() and aid_code == source[3].strip()
        assert paid_on.strftime("%d/%m/%Y") == source[4].strip()
        assert re.fullmatch(_AMOUNT, source[5].strip())
        assert amount == Decimal(source[5].strip().replace(",", "."))
    for line in range(2, present + 1):
        assert (line in quarantined) != any(row[0] == line for row in landed), line
        assert quarantined.get(line, "landed")


@cache
def _sample_pdf_bytes() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        return render_pdf(_figures_2023(), Path(scratch) / "sample.pdf").read_bytes()


@FUZZ
@given(st.one_of(st.integers(0, 100_000).map(lambda cut: ("cut", cut)),
                 st.binary(max_size=2000).map(lambda junk: ("junk", junk))))
def test_random_or_truncated_pdfs_give_an_issue_never_an_exception(tmp_path, damage):
    kind, value = damage
    whole = _sample_pdf_bytes()
    content = whole[:value % len(whole)] if kind == "cut" else b"%PDF-1.4\n" + value
    path = tmp_path / "damaged.pdf"
    path.write_bytes(content)
    result = extract_path(path)  # never raises
    if not result.facts:
        assert result.errors and all(error.reason for error in result.errors)


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
