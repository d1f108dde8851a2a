"""Property-based checks (Hypothesis, bounded: a few dozen examples each, no deadline) that
bad inputs never land a wrong value: the number reader, the commune-table reader, the I-MILO
export ingestion and the PDF reader, on generated inputs (sample_inputs) under tmp_path."""

from __future__ import annotations

import dataclasses
import re
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imilo_export_rows import KEY, export_files, write_export

from extractors.extract import extract_path
from extractors.imilo import ingest_export
from extractors.numbers import readings, resolve_table, split_cells
from sample_inputs.report_figures import generate_figures
from sample_inputs.render import render_pdf, render_text

FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


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
