"""`mlw trace --source exports`: a figure recomputed from the I-MILO exports, down to the export
rows it counts.

The chain, as an auditor follows it:
  1. the current release of the year: the value mart_commune_year_recomputed.parquet publishes,
     or that the small-count rule hid it, with the file's manifest checksum;
  2. the mart row in the warehouse (marts.mart_commune_year_recomputed, suppressed as published)
     and the unsuppressed value (intermediate.int_imilo_indicator_values, internal), and the dbt
     models from the mart down to the raw table of the records (dbt's manifest);
  3. the indicator's rule (intermediate.int_imilo_recomputed_indicators);
  4. the export rows that count towards it (intermediate.int_imilo_indicator_records: the same
     rules as the values, macros/imilo_indicators.sql): how many rows and distinct youths, per
     export file with its folder and SHA-256 (audit.imilo_export_files), then the first
     `limit` rows as "file:line youth_key=...". Youths appear by their pseudonymised key only:
     the warehouse holds no identity;
  5. when a report prints the same figure, the reconciliation (marts.mart_reconciliation).

Counting is done by DuckDB; only the listed rows reach Python.
"""

from __future__ import annotations

import duckdb

from orchestration.settings import Settings
from orchestration.trace.chain import lineage, release_lines, release_row
from orchestration.trace.query import (
    DBT_NODE,
    TraceQuery,
    commune_condition,
    commune_params,
    describe,
    show,
)
from orchestration.warehouse import connect

MART = "mart_commune_year_recomputed"
RECORDS = "intermediate.int_imilo_indicator_records"
RULES = "intermediate.int_imilo_recomputed_indicators"
VALUES = "intermediate.int_imilo_indicator_values"
COUNTED = {"youths": "distinct youths", "records": "rows", "amount": "euros"}


def trace_imilo(settings: Settings, query: TraceQuery) -> list[str]:
    """The lines of the chain; raises LookupError when the indicator is not recomputed."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        rule = _rule(connection, query)
        value, basis_value = _unsuppressed(connection, query, rule["suppression_basis"])
        lines = [f"Figure: {describe(query)}, recomputed from the I-MILO exports"]
        lines += _published(settings, query, basis_value)
        lines += _mart(connection, query, value)
        source = "source.missions_locales_warehouse.imilo." + rule["source_table"].split(".")[-1]
        lines += ["   built by dbt: " + " <- ".join(lineage(DBT_NODE + MART, source))]
        lines += [f"3. Rule ({RULES}): {rule['rule']}",
                  f"   counts {COUNTED[rule['counts']]} over the {rule['records']} records "
                  f"(from {rule['source_table']})"
                  + (f" where {rule['counted_when']}" if rule["counted_when"] != "true" else "")
                  + "; a youth counts in the commune of their latest dossiers.csv row (star.dim_youth)"]
        lines += _records(connection, query, rule["counts"], value)
        lines += _reconciliation(connection, query)
    return lines


def _rule(connection: duckdb.DuckDBPyConnection, query: TraceQuery) -> dict:
    columns = ("rule", "counts", "records", "source_table", "counted_when", "suppression_basis")
    row = connection.execute(f"select {', '.join(columns)} from {RULES} where indicator_code = ?",
                             [query.indicator]).fetchone()
    if row is None:
        raise LookupError(f"{query.indicator!r} is not recomputed from the I-MILO exports ({RULES})")
    return dict(zip(columns, row))


def _unsuppressed(connection: duckdb.DuckDBPyConnection, query: TraceQuery,
                  basis: str) -> tuple[float | None, float | None]:
    """The figure's exact value and that of its suppression basis (None: no such cell)."""
    commune = "and commune_insee = ?" if query.commune else ""
    row = connection.execute(
        f"select sum(value) filter (where indicator_code = ?), "
        f"sum(value) filter (where indicator_code = ?) from {VALUES} "
        f"where year = ? and structure_code = ? {commune}",
        [query.indicator, basis, query.year, query.structure, *commune_params(query)]).fetchone()
    return row[0], row[1]


def _published(settings: Settings, query: TraceQuery, basis_value: float | None) -> list[str]:
    found = release_row(settings, query, MART,
                        f'"{query.indicator}", suppressed_indicators, suppression_threshold')
    if found is None:
        return [f"1. Published: nothing published for {query.year} (no release)"]
    release, manifest, row = found
    if row is None:
        return [f"1. Published: no such row in {MART}.parquet of the release {release}"]
    value, suppressed, threshold = row
    if value is None and query.indicator in suppressed:
        if basis_value is not None and 0 < basis_value < threshold:
            shown = f"suppressed in the release: fewer than {threshold}"
        else:  # secondary suppression: hidden with a smaller cell, so that it cannot be recovered
            shown = (f"suppressed in the release: hidden with a cell of fewer than {threshold} "
                     "(secondary suppression)")
    else:
        shown = show(value)
    return [f"1. Published value: {shown}", *release_lines(release, manifest, MART)]


def _mart(connection: duckdb.DuckDBPyConnection, query: TraceQuery, value: float | None) -> list[str]:
    row = connection.execute(
        f'select "{query.indicator}", commune_name, list_contains(suppressed_indicators, ?) '
        f"from marts.{MART} where year = ? and structure_code = ? and {commune_condition(query)}",
        [query.indicator, query.year, query.structure, *commune_params(query)]).fetchone()
    if row is None:
        raise LookupError(f"no row in marts.{MART} for {describe(query)}: no export covers that "
                          "year and structure, or the commune is not in its territory")
    shown = "suppressed" if row[2] else show(row[0])
    return [f"2. Warehouse: marts.{MART}, row {row[1]}: {shown}",
            f"   unsuppressed value ({VALUES}, internal): {show(value)}"]


def _records(connection: duckdb.DuckDBPyConnection, query: TraceQuery, counts: str,
             value: float | None) -> list[str]:
    where = "r.indicator_code = ? and r.year = ? and r.structure_code = ?" + \
        (" and r.commune_insee = ?" if query.commune else "")
    params = [query.indicator, query.year, query.structure, *commune_params(query)]
    rows, youths, amount = connection.execute(
        f"select count(*), count(distinct youth_key), sum(amount_eur) from {RECORDS} as r "
        f"where {where}", params).fetchone()
    counted = {"youths": youths, "records": rows, "amount": amount}[counts]
    agrees = value is not None and counted is not None and float(counted) == float(value)
    lines = [f"4. Export rows counted ({RECORDS}): {rows} row(s), {youths} distinct youth(s)"
             + (f", {show(amount)} euros" if counts == "amount" else "")
             + f": {COUNTED[counts]} = {show(counted or 0)}"
             + (", the recomputed value" if agrees else f", NOT the recomputed value {show(value)}")]
    for file, file_rows, file_youths, folder, sha in connection.execute(
            f"select r.export_file, count(*), count(distinct r.youth_key), any_value(a.export_folder), "
            f"any_value(a.file_sha256) from {RECORDS} as r left join audit.imilo_export_files as a "
            f"on a.export_file = r.export_file where {where} group by r.export_file order by 1",
            params).fetchall():
        lines += [f"   {file}: {file_rows} row(s), {file_youths} youth(s)",
                  f"      folder {folder}, SHA-256 {sha or 'not recorded (ingested before checksums)'}"]
    if rows:
        listed = connection.execute(
            f"select r.export_file, r.export_line, r.youth_key from {RECORDS} as r where {where} "
            f"order by r.export_file, r.export_line limit ?", [*params, query.limit]).fetchall()
        lines += [f"   rows 1-{len(listed)} of {rows} (file:line, pseudonymised youth key):"]
        lines += [f"   {file}:{line} youth_key={key}" for file, line, key in listed]
    return lines


def _reconciliation(connection: duckdb.DuckDBPyConnection, query: TraceQuery) -> list[str]:
    row = connection.execute(
        "select published_value, recomputed_value, difference, status, published_flags "
        "from marts.mart_reconciliation where indicator_code = ? and year = ? and structure_code = ? "
        "and " + ("commune_insee = ? and not is_total" if query.commune else "is_total"),
        [query.indicator, query.year, query.structure, *commune_params(query)]).fetchone()
    if row is None or row[3] == "recomputed_only":
        return ["5. Reconciliation: no report prints this figure"]
    published, recomputed, difference, status, flags = row
    return [f"5. Reconciliation with the report (marts.mart_reconciliation): published {show(published)}, "
            f"recomputed {show(recomputed)}, difference {show(difference)}: {status}"
            + (f" (report flags: {', '.join(flags)})" if flags else "")]
