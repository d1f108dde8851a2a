"""Field counts are enforced by DuckDB's CSV reader (store_rejects), not by hand-written checks:
a record with too few or too many fields is quarantined at its physical line, and the records
after it keep their own physical line as export_line."""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.imilo import ingest_export
from extractors.imilo import spec as s
from extractors.imilo.files import inspect_file
from extractors.imilo.rejects import merge_rejects
from extractors.imilo.sql import rejects_tables, staging_sql
from imilo_export_rows import KEY, quarantine, query, write_export


def _evenements(folder: Path, body: bytes) -> Path:
    folder = write_export(folder)
    (folder / "evenements.csv").write_bytes(
        b"idEvenement;idDossier;codeStructure;dateEvenement;nature\n" + body)
    return folder


def test_short_and_long_records_are_quarantined_and_the_next_rows_keep_their_line(tmp_path):
    folder = _evenements(tmp_path / "imilo_2023", (
        b"1;101;59350S00;05/01/2023;SMS\n"                   # line 2
        b"2;101;59350S00\n"                                  # line 3: too few fields
        b"3;102;59512S00;20/09/2023;MAIL\n"                  # line 4
        b"\n"                                                # line 5: blank
        b"4;103;59350S00;03/03/2023;SMS;extra;more\n"        # line 6: too many fields
        b"5;104;59017S00;04/04/2023;\"TELEPHONE\"\r\n"       # line 7 (CRLF in an LF file)
        b"6;104;59017S00;05/04/2023;AUTRE\n"))               # line 8
    warehouse = tmp_path / "warehouse.duckdb"
    report = ingest_export(folder, warehouse, KEY)

    assert report.ok
    assert query(warehouse, "select contact_id, export_line from raw.imilo_contacts order by 1") == [
        (1, 2), (3, 4), (5, 7), (6, 8)]
    e = "imilo_2023/evenements.csv"
    assert {row for row in quarantine(warehouse) if row[0] == e} == {
        (e, 3, None, s.TOO_FEW_FIELDS), (e, 6, None, s.TOO_MANY_FIELDS)}
    # A rejected record keeps the structure it names, for the quarantine share per structure.
    assert query(warehouse, "select export_line, structure_code from raw.imilo_quarantine "
                            "where export_file = ? order by 1", [e]) == [(3, "59350S00"),
                                                                         (6, "59350S00")]
    assert report.rows_read["evenements.csv"] == 6
    # DuckDB's rejects tables quote whole lines (personal data): temporary, never in the warehouse.
    assert query(warehouse, "select count(*) from duckdb_tables() where table_name like '%reject%'"
                 ) == [(0,)]
    assert report.rows_quarantined["evenements.csv"] == 2


def test_the_rejected_records_come_from_duckdbs_rejects_table(tmp_path):
    """The staging read itself leaves the short record out and DuckDB's rejects table holds it
    (one row per missing field); merge_rejects turns it into one staging row at its line."""
    folder = _evenements(tmp_path / "imilo_2023", b"1;101;59350S00;05/01/2023;SMS\n"
                                                  b"2;101\n"
                                                  b"3;102;59512S00;20/09/2023;MAIL\n")
    check = inspect_file(folder / "evenements.csv", s.EVENEMENTS, tmp_path / "copy.csv")
    table = "_stage_test"
    with duckdb.connect() as connection:
        for name, path in (("_imilo_ref_structures", "59350S00 59512S00"),
                           ("_imilo_ref_communes", "59350")):
            connection.execute(f"create temp table {name} as select unnest(string_split(?, ' ')) "
                               f"as code", [path])
        connection.execute(staging_sql(s.EVENEMENTS, check.positions, len(check.header), table),
                           {"path": str(check.path), "key": KEY})
        assert connection.execute(f"select count(*) from {table}").fetchone()[0] == 2
        rejects, _ = rejects_tables(table)
        assert connection.execute(f"select distinct line, error_type from {rejects}").fetchall() == [
            (3, "MISSING COLUMNS")]
        assert merge_rejects(connection, s.EVENEMENTS, check, table) == 1
        assert connection.execute(
            f"select export_line, contact_id, problems from {table} order by 1").fetchall() == [
            (2, 1, []), (3, None, [{"column_name": None, "reason": s.TOO_FEW_FIELDS}]),
            (4, 3, [])]


def test_many_rejected_records_map_every_landed_row_to_its_line(tmp_path):
    """Every 7th record short, every 11th long, a blank line every 13th: the contact id of each
    landed row is its physical line, so export_line must equal it throughout."""
    lines, expected_rejects = [], {}
    for line in range(2, 3002):
        if line % 13 == 0:
            lines.append(b"")
        elif line % 7 == 0:
            lines.append(f"{line};101".encode())
            expected_rejects[line] = s.TOO_FEW_FIELDS
        elif line % 11 == 0:
            lines.append(f"{line};101;59350S00;05/01/2023;SMS;x".encode())
            expected_rejects[line] = s.TOO_MANY_FIELDS
        else:
            lines.append(f"{line};101;59350S00;05/01/2023;SMS".encode())
    folder = _evenements(tmp_path / "imilo_2023", b"\n".join(lines) + b"\n")
    warehouse = tmp_path / "warehouse.duckdb"
    report = ingest_export(folder, warehouse, KEY)

    assert report.ok
    landed = query(warehouse, "select contact_id, export_line from raw.imilo_contacts")
    assert landed and all(contact == line for contact, line in landed)
    assert len(landed) == 3000 - sum(1 for line in range(2, 3002) if line % 13 == 0) \
        - len(expected_rejects)
    e = "imilo_2023/evenements.csv"
    assert {(line, reason) for file, line, _, reason in quarantine(warehouse) if file == e} == \
        set(expected_rejects.items())
