"""Records that DuckDB's CSV reader rejects (too few or too many fields) become quarantine rows.

The structure of a file is declared once (its header, read by `staging_sql` as one VARCHAR
column per field in strict mode) and enforced by DuckDB, which stores each rejected record in a
rejects table (`store_rejects`) with its line and error type instead of padding or cutting it.
Rejected records drop out of the reader's numbering of the landed records, so both are placed
back into one numbering of all records, in set operations (no Python loop over rows):

- a rejected record's number is its line as DuckDB counts it (header and blank lines included,
  line breaks inside quoted fields not) minus the header and the blank lines before it;
- the landed records take the other numbers, in order (`generate_series` anti-joined with the
  rejected numbers, then `row_number()` matched to the landed record's rank: its rowid + 1, the
  staging query keeping the file's order). Without rejected records, the rank is the number
  (sql.line): nothing is written.

`ingest._number_lines` then turns record numbers into physical lines (line breaks inside fields,
skipped blank lines), the same for landed and rejected rows. A rejected record after a field over
several lines and a blank line may be numbered a line off (DuckDB does not count the breaks
inside fields): such files are warned about.
"""

from __future__ import annotations

import duckdb

from extractors.imilo import spec as s
from extractors.imilo.files import DELIMITER, MAX_BLANK_LINES, FileCheck, FileProblem
from extractors.imilo.spec import FileSpec
from extractors.imilo.sql import line, literal, quarantine_structure, rejects_tables

# DuckDB's error types that are a record's structure, and the quarantine reason of each.
REASONS = {"MISSING COLUMNS": s.TOO_FEW_FIELDS, "TOO MANY COLUMNS": s.TOO_MANY_FIELDS}
_LEADING_BREAKS = "ltrim(csv_line, chr(13) || chr(10))"  # DuckDB prefixes skipped blank lines


def drop_rejects(connection: duckdb.DuckDBPyConnection, table: str) -> None:
    for name in rejects_tables(table):
        connection.execute(f"drop table if exists {name}")


def merge_rejects(connection: duckdb.DuckDBPyConnection, spec: FileSpec, check: FileCheck,
                  table: str) -> int:
    """Add the rejected records to the staging table `table`, with their record number
    (`export_line` = number + 1, the header being line 1), and, if there are any, number the
    landed records around them (else a landed record's number is its rank: sql.line). Returns
    how many were rejected. Raises FileProblem when DuckDB rejected a record for another reason
    than its field count."""
    rejects, _ = rejects_tables(table)
    other = connection.execute(
        f"select min(line), any_value(error_type) from {rejects} "
        f"where error_type not in ({', '.join(literal(kind) for kind in REASONS)})").fetchone()
    if other[0] is not None:
        raise FileProblem("unparseable file", f"{spec.file}, line {other[0]}: the CSV reader "
                          f"rejected a record ({other[1].lower()})", line=int(other[0]),
                          data_lines=check.data_lines)
    connection.execute(f"alter table {table} add column export_line bigint")  # null: sql.line
    blanks = check.blank_lines
    structure = check.positions["codeStructure"]  # kept for the quarantine, as for landed rows
    raw_structure = (f"upper(trim(string_split({_LEADING_BREAKS}, {literal(DELIMITER)})"
                     f"[{structure + 1}], ' \"'))")
    reasons = " ".join(f"when {literal(kind)} then {literal(reason)}"
                       for kind, reason in REASONS.items())
    connection.execute(
        f"insert into {table} by name select line - 1 - len(list_filter($blanks, lambda b: b < line)) "
        f"+ 1 as export_line, "
        f"length({_LEADING_BREAKS}) - length(replace({_LEADING_BREAKS}, chr(10), '')) "
        f"- (case when {_LEADING_BREAKS} like '%' || chr(10) then 1 else 0 end) as line_breaks, "
        f"{quarantine_structure(raw_structure)} as structure_code, "
        f"[{{'column_name': null::varchar, 'reason': case error_type {reasons} end}}] as problems "
        f"from (select line, any_value(error_type) as error_type, any_value(csv_line) as csv_line "
        f"from {rejects} group by line)", {"blanks": blanks})  # one row per missing/extra field
    rejected = connection.execute(f"select count(distinct line) from {rejects}").fetchone()[0]
    if rejected:
        # Landed record k (rowid k - 1: rejected records come after them) takes the k-th record
        # number that no rejected record holds.
        connection.execute(
            f"update {table} set export_line = free.number + 1 from ("
            f"select number, row_number() over (order by number) as ordinal from ("
            f"select unnest(generate_series(1, (select count(*) from {table}))) as number "
            f"except select export_line - 1 from {table} where export_line is not null)) as free "
            f"where {table}.export_line is null and {table}.rowid + 1 = free.ordinal")
    return rejected


def check_every_line_read(connection: duckdb.DuckDBPyConnection, spec: FileSpec,
                          check: FileCheck, table: str) -> None:
    """Every data line is a blank line or part of a landed or rejected record: in strict mode the
    CSV reader drops, without rejecting them, the lines after a quote that is never closed."""
    if len(check.blank_lines) >= MAX_BLANK_LINES:
        return  # blank lines past the limit are not known
    read = connection.execute(f"select coalesce(sum(1 + line_breaks), 0) from {table}").fetchone()[0]
    if read + len(check.blank_lines) >= check.data_lines:
        return
    first = connection.execute(
        f"select min(line) from (select unnest(generate_series(2, $lines)) as line except "
        f"select unnest(generate_series({line()}, {line()} + line_breaks)) from {table} "
        f"except select unnest($blanks::bigint[]))",
        {"lines": check.lines, "blanks": check.blank_lines}).fetchone()[0]
    connection.execute(f"drop table {table}")
    raise FileProblem("unparseable file",
                      f"{spec.file}, line {first}: a quoted field is never closed (unterminated "
                      f"quote?): the CSV reader could not read the lines from there",
                      line=first, data_lines=check.data_lines)

