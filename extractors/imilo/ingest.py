"""Ingest one I-MILO export folder into the raw tables, pseudonymised, in one transaction.

1. Each file is checked (encoding, header, truncation: files.py) and read by one DuckDB query
   (sql.py) into a temporary staging table of derived values only: youth_key (keyed hash),
   birth year, codes, dates, line number, problems. A file that cannot be read is reported and
   skipped; the other files go on. Field counts are DuckDB's: the reader rejects a record with
   too few or too many fields into its rejects table, which rejects.py turns into quarantine rows.
   The query reads in parallel and keeps the file's order, so it holds no join: the structure
   and commune codes are checked against the reference by an update of the few rows whose code
   is unknown (sql.reference_checks_sql), and a landed record's line is its rank (sql.line).
2. The export's year is the given one, else the most frequent year of its contacts and
   allowances, else a year in the folder name. Birth dates give ages at 31 December of that year.
3. One transaction (landing.py) replaces the export's rows in every raw table: valid rows land in
   raw.imilo_*, every problem becomes a raw.imilo_quarantine row (file, line, column, reason),
   every rejected file one quarantine row, and audit.imilo_export_files counts it all, with
   each file's SHA-256 (computed while the file is checked, in the same pass over its bytes).

No Python code touches rows: files are streamed in chunks, rows only exist inside DuckDB.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import duckdb

from extractors.imilo import spec as s
from extractors.imilo.files import MAX_BLANK_LINES, FileCheck, FileProblem, inspect_file
from extractors.imilo.folders import file_sha256
from extractors.imilo.keys import MissingPseudonymisationKey, is_demo_key
from extractors.imilo.landing import (
    count_rows,
    export_file_name,
    land_staged,
    stage_table,
    warn_after_landing,
)
from extractors.imilo.rejects import check_every_line_read, drop_rejects, merge_rejects
from extractors.imilo.report import FileError, IngestionReport
from extractors.imilo.spec import DOSSIERS, FILES, FileSpec
from extractors.imilo.sql import (
    REFERENCE_COMMUNES,
    REFERENCE_STRUCTURES,
    duplicates_sql,
    line,
    reference_checks_sql,
    staging_sql,
)
from extractors.imilo.tables import connect
from extractors.reference import SEEDS_DIR

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_PARSER_CAUSES = (("unterminated quote", "a quoted field is never closed"),
                  ("maximum line size", "a line is longer than the CSV reader accepts"),
                  ("invalid unicode", "bytes that are not valid UTF-8"))


def ingest_export(folder: Path, warehouse: Path, key: str, year: int | None = None, *,
                  reference_dir: Path = SEEDS_DIR) -> IngestionReport:
    """Replace the rows of the export in `folder` in the raw tables of `warehouse`."""
    if not key:
        raise MissingPseudonymisationKey("an empty pseudonymisation key was given: refusing to "
                                         "ingest (see extractors/imilo/keys.py)")
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"I-MILO export folder not found: {folder}")
    report = IngestionReport(export=folder.name, folder=folder, demo_key=is_demo_key(key))
    with connect(Path(warehouse)) as connection, \
            tempfile.TemporaryDirectory(prefix="mlw-imilo-") as scratch:
        connection.execute("set preserve_insertion_order = true")
        _load_reference(connection, reference_dir)
        staged = {spec.file: spec for spec in FILES
                  if _stage(connection, folder, spec, key, Path(scratch), report)}
        report.year = year or _infer_year(connection, staged) or _year_in_name(folder.name)
        if report.year is None:
            raise ValueError(f"cannot tell the activity year of I-MILO export {folder.name}: "
                             f"pass year=...")
        if DOSSIERS.file in staged:
            connection.execute(
                f"update {stage_table(DOSSIERS)} set problems = list_append(problems, "
                f"{{'column_name': 'dateNaissance', 'reason': '{s.AGE_OUT_OF_RANGE}'}}), "
                f"export_line = {line()} "
                f"where $year - birth_year not between {s.AGE_MIN} and {s.AGE_MAX}",
                {"year": report.year})
        count_rows(connection, staged, report)
        land_staged(connection, staged, report)
        warn_after_landing(connection, staged, report)
    return report


def _load_reference(connection: duckdb.DuckDBPyConnection, reference_dir: Path) -> None:
    for table, seed, column in ((REFERENCE_STRUCTURES, "ref_structures.csv", "code_structure_imilo"),
                                (REFERENCE_COMMUNES, "ref_communes.csv", "code_insee")):
        connection.execute(
            f"create or replace temp table {table} as select distinct upper(trim({column})) as code "
            f"from read_csv($path, header=true, all_varchar=true) where {column} is not null",
            {"path": str(reference_dir / seed)})


def _stage(connection: duckdb.DuckDBPyConnection, folder: Path, spec: FileSpec, key: str,
           scratch: Path, report: IngestionReport) -> bool:
    """Read one file into its staging table; False (and a file error) if it cannot be read."""
    copy = scratch / spec.file
    try:
        check = inspect_file(folder / spec.file, spec, copy)
        report.encodings[spec.file] = check.encoding
        report.sha256[spec.file] = check.sha256
        _warn_about_file(spec, check, report)
        try:
            connection.execute(staging_sql(spec, check.positions, len(check.header), stage_table(spec)),
                               {"path": str(check.path), "key": key})
        except (duckdb.InvalidInputException, duckdb.ConversionException) as error:
            # The CSV reader's message quotes the offending line: keep its line number and cause.
            raise _parser_problem(spec, str(error), check.data_lines) from None
        rejected = merge_rejects(connection, spec, check, stage_table(spec))
        for statement in reference_checks_sql(spec, stage_table(spec)):  # after the numbering:
            connection.execute(statement)  # DuckDB updates a list as delete + insert (new rowid)
        _number_lines(connection, spec, check, report, rejected)
        if not check.final_newline and check.lines > 1:
            _quarantine_last_record(connection, spec, check)
        connection.execute(duplicates_sql(spec, stage_table(spec)))
        return True
    except FileProblem as problem:
        if (folder / spec.file).is_file():  # a rejected file is cited by its checksum too
            report.sha256[spec.file] = file_sha256(folder / spec.file)
        report.file_errors.append(FileError(export_file_name(report, spec), problem.kind,
                                            problem.message, problem.line, problem.column))
        report.rows_read[spec.file] = problem.data_lines
        report.rows_quarantined[spec.file] = problem.data_lines
        report.quarantine_reasons[s.FILE_REJECTED + problem.kind] = \
            report.quarantine_reasons.get(s.FILE_REJECTED + problem.kind, 0) + 1
        return False
    finally:
        drop_rejects(connection, stage_table(spec))
        copy.unlink(missing_ok=True)


def _number_lines(connection: duckdb.DuckDBPyConnection, spec: FileSpec, check: FileCheck,
                  report: IngestionReport, rejected: int) -> None:
    """Make export_line the physical line of each record: DuckDB numbers records, which differ
    from lines after a field over several lines or a (skipped) blank line. Reject the file when
    a record over several lines is invalid: an unterminated quote swallows the lines after it."""
    table = stage_table(spec)
    spanning = connection.execute(f"select count(*) from {table} where line_breaks > 0").fetchone()[0]
    if spanning or check.blank_lines:  # renumbered below: every row's number written first
        connection.execute(f"update {table} set export_line = {line()} where export_line is null")
    if spanning:
        connection.execute(
            f"update {table} set export_line = lines.physical from (select export_line as record, "
            f"export_line + coalesce(sum(line_breaks) over (order by export_line rows between "
            f"unbounded preceding and 1 preceding), 0) as physical from {table}) as lines "
            f"where {table}.export_line = lines.record")
    if check.blank_lines:
        # The i-th blank line (1-based) follows (its line - i) non-blank lines: a record on the
        # n-th non-blank line comes after every blank line whose threshold is below n.
        thresholds = [line - i for i, line in enumerate(check.blank_lines, start=1)]
        connection.execute(
            f"update {table} set export_line = {table}.export_line + shift.blank_lines from ("
            f"select record.export_line, blank.blank_lines from {table} as record asof join ("
            f"select threshold, max(rank) as blank_lines from (select unnest($thresholds) as "
            f"threshold, generate_subscripts($thresholds, 1) as rank) group by threshold) as blank "
            f"on record.export_line > blank.threshold) as shift "
            f"where {table}.export_line = shift.export_line", {"thresholds": thresholds})
    check_every_line_read(connection, spec, check, table)
    if not spanning:
        return
    broken = connection.execute(
        f"select min(export_line) from {table} where line_breaks > 0 and len(problems) > 0").fetchone()[0]
    if broken is not None:
        connection.execute(f"drop table {table}")
        raise FileProblem("unparseable file",
                          f"{spec.file}, line {broken}: a quoted field runs over several lines in an "
                          f"invalid record (unterminated quote?): the lines after it cannot be "
                          f"trusted", line=broken, data_lines=check.data_lines)
    report.warnings.append(f"{spec.file}: {spanning} record(s) with a field over several lines "
                           f"(read; export_line is the record's first line)")
    if rejected and check.blank_lines:
        report.warnings.append(f"{spec.file}: records rejected for their field count after a field "
                               f"over several lines and blank lines: their export_line may be off")


def _quarantine_last_record(connection: duckdb.DuckDBPyConnection, spec: FileSpec,
                            check: FileCheck) -> None:
    """The record on the unterminated last line goes to quarantine, named by the file's last
    column (where a cut falls), whatever else it holds."""
    table = stage_table(spec)
    connection.execute(
        f"update {table} set problems = [{{'column_name': $column, 'reason': $reason}}], "
        f"export_line = {line()} where {line()} = (select max({line()}) from {table})",
        {"column": check.header[-1], "reason": s.UNTERMINATED_LAST_LINE})


def _parser_problem(spec: FileSpec, message: str, data_lines: int) -> FileProblem:
    match = re.search(r"Line:? (\d+)", message)
    line = int(match.group(1)) if match else None
    lowered = message.lower()
    cause = next((label for needle, label in _PARSER_CAUSES if needle in lowered),
                 "the CSV reader could not parse it")
    where = f", line {line}" if line else ""
    return FileProblem("unparseable file", f"{spec.file}{where}: {cause}", line=line,
                       data_lines=data_lines)


def _warn_about_file(spec: FileSpec, check: FileCheck, report: IngestionReport) -> None:
    if check.extra_columns:
        report.warnings.append(f"{spec.file}: column(s) not in the export format, ignored (not "
                               f"read): {', '.join(check.extra_columns)}")
    if check.blank_lines:
        report.warnings.append(f"{spec.file}: {len(check.blank_lines)} blank line(s) skipped")
    if len(check.blank_lines) >= MAX_BLANK_LINES:
        report.warnings.append(f"{spec.file}: too many blank lines, export_line is off after "
                               f"line {check.blank_lines[-1]}")
    if not check.final_newline and check.lines > 1:
        report.warnings.append(f"{spec.file}: no newline after the last line (line {check.lines}); "
                               f"it may be truncated and is quarantined, not landed")


def _infer_year(connection: duckdb.DuckDBPyConnection, staged: dict[str, FileSpec]) -> int | None:
    parts = [f"select year({column}) as y from {stage_table(spec)} where len(problems) = 0"
             for spec, column in ((s.EVENEMENTS, "contact_date"), (s.ALLOCATIONS, "paid_on"))
             if spec.file in staged]
    if not parts:
        return None
    row = connection.execute(f"select y from ({' union all '.join(parts)}) where y is not null "
                             f"group by y order by count(*) desc, y desc limit 1").fetchone()
    return int(row[0]) if row else None


def _year_in_name(name: str) -> int | None:
    match = _YEAR_IN_NAME.search(name)
    return int(match.group(1)) if match else None
