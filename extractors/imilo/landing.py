"""Step 3 of an ingestion (ingest.py): count the staged rows, land them in one transaction
(valid rows in raw.imilo_*, problems in raw.imilo_quarantine, the per-file audit row), then
warn about what only the landed rows show (orphan rows, rows dated outside the export's year).
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from extractors.imilo import spec as s
from extractors.imilo.report import IngestionReport
from extractors.imilo.spec import DOSSIERS, FILES, QUARANTINE_TABLE, FileSpec
from extractors.imilo.sql import line, quarantine_structure
from extractors.imilo.tables import AUDIT_TABLE, RAW_SCHEMA, create_tables, delete_export

_AGE_BAND = ("case when $year - birth_year between 16 and 17 then '16_17' "
             "when $year - birth_year between 18 and 21 then '18_21' "
             "when $year - birth_year between 22 and 25 then '22_25' "
             "when $year - birth_year >= 26 then '26_plus' end")


def stage_table(spec: FileSpec) -> str:
    return f"_imilo_stage_{spec.table}"


def export_file_name(report: IngestionReport, spec: FileSpec) -> str:
    return f"{report.export}/{spec.file}"


def count_rows(connection: duckdb.DuckDBPyConnection, staged: dict[str, FileSpec],
               report: IngestionReport) -> None:
    """Rows read, valid and quarantined (by reason) of every staged file, into the report."""
    for spec in FILES:
        report.rows[spec.table] = 0
    for spec in staged.values():
        table = stage_table(spec)
        read, valid = connection.execute(
            f"select count(*), count(*) filter (where len(problems) = 0) from {table}").fetchone()
        report.rows_read[spec.file], report.rows[spec.table] = read, valid
        report.rows_quarantined[spec.file] = read - valid
        for reason, count in connection.execute(
                f"select problem.reason, count(*) from (select unnest(problems) as problem "
                f"from {table}) group by 1").fetchall():
            report.quarantine_reasons[reason] = report.quarantine_reasons.get(reason, 0) + count
    report.rows[QUARANTINE_TABLE] = sum(report.quarantine_reasons.values())


def land_staged(connection: duckdb.DuckDBPyConnection, staged: dict[str, FileSpec],
                report: IngestionReport) -> None:
    """Replace the export's rows in every raw table and its audit rows, in one transaction."""
    connection.execute("begin transaction")
    try:
        create_tables(connection)
        delete_export(connection, report.export)
        for spec in staged.values():
            params = {"file": export_file_name(report, spec), "year": report.year}
            columns = ", ".join(_AGE_BAND + " as age_band" if column == "age_band" else column
                                for column in spec.sql_types)
            connection.execute(
                f"insert into {RAW_SCHEMA}.{spec.table} by name select {columns}, "
                f"$file as export_file, {line()} as export_line from {stage_table(spec)} "
                f"where len(problems) = 0", params if spec is DOSSIERS else {"file": params["file"]})
            connection.execute(
                f"insert into {RAW_SCHEMA}.{QUARANTINE_TABLE} by name "
                f"select $file as export_file, export_line, problem.column_name as column_name, "
                f"problem.reason as reason, {quarantine_structure('structure_code')} as structure_code, "
                f"$year as year from (select {line()} as export_line, structure_code, unnest(problems) as problem "
                f"from {stage_table(spec)} where len(problems) > 0) order by export_line", params)
        for error in report.file_errors:
            connection.execute(
                f"insert into {RAW_SCHEMA}.{QUARANTINE_TABLE} values (?, ?, ?, ?, null, ?)",
                [error.file, error.line, error.column, s.FILE_REJECTED + error.kind, report.year])
        now = datetime.now(UTC)
        errors = {error.file: error.message for error in report.file_errors}
        for spec in FILES:
            export_file = export_file_name(report, spec)
            read = report.rows_read.get(spec.file, 0)
            connection.execute(
                f"insert into {AUDIT_TABLE} by name select ? as export_name, ? as export_file, "
                f"? as year, ? as encoding, ? as rows_read, ? as rows_ingested, "
                f"? as rows_quarantined, ? as file_error, ? as demo_key, ? as ingested_at, "
                f"? as export_folder, ? as file_sha256",
                [report.export, export_file, report.year, report.encodings.get(spec.file), read,
                 report.rows.get(spec.table, 0), report.rows_quarantined.get(spec.file, 0),
                 errors.get(export_file), report.demo_key, now, str(report.folder.resolve()),
                 report.sha256.get(spec.file)])
        connection.execute("commit")
    except BaseException:
        connection.execute("rollback")
        raise


def count_orphans(connection: duckdb.DuckDBPyConnection, spec: FileSpec, own_dossiers: bool) -> int:
    """Landed rows of `spec` whose youth is in no landed dossiers.csv, of any export.

    Nearly every row's dossier is in its own export's dossiers.csv: those rows are set aside
    against the staged dossiers first, and only the others, if any, are looked up in
    raw.imilo_youths, whose hash table would otherwise be built over every youth of every
    export held (a cost that grew with the years in the warehouse: ~1 s per national year)."""
    unmatched = (f"select youth_key from {stage_table(spec)} where len(problems) = 0"
                 + (f" and youth_key not in (select youth_key from {stage_table(DOSSIERS)} "
                    f"where len(problems) = 0)" if own_dossiers else ""))
    if own_dossiers and not connection.execute(f"select exists ({unmatched})").fetchone()[0]:
        return 0
    return connection.execute(
        f"select count(*) from ({unmatched}) where youth_key not in "
        f"(select youth_key from {RAW_SCHEMA}.{DOSSIERS.table})").fetchone()[0]


def warn_after_landing(connection: duckdb.DuckDBPyConnection, staged: dict[str, FileSpec],
                       report: IngestionReport) -> None:
    """Rows that refer to no landed dossier, rows dated outside the export's year."""
    for spec in staged.values():
        if spec is DOSSIERS:
            continue
        orphans = count_orphans(connection, spec, own_dossiers=DOSSIERS.file in staged)
        if orphans:
            report.warnings.append(f"{spec.file}: {orphans} row(s) refer to a dossier found in no "
                                   f"landed dossiers.csv")
    for spec, column in ((s.EVENEMENTS, "contact_date"), (s.ALLOCATIONS, "paid_on")):
        if spec.file in staged:
            outside = connection.execute(
                f"select count(*) from {stage_table(spec)} where len(problems) = 0 "
                f"and year({column}) <> $year", {"year": report.year}).fetchone()[0]
            if outside:
                report.warnings.append(f"{spec.file}: {outside} row(s) dated outside {report.year}")
