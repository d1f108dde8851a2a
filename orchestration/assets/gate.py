"""The annual gate: the Great Expectations suites of the year's marts as one blocking check.

Suites: mart_commune_year (commune_year_suite), mart_breakdown_year (breakdown_year_suite), the
marts recomputed from I-MILO exports and their reconciliation (export_marts_suite), and the
share of the year's export rows in quarantine. It also states what there was to check: rows
per mart, `empty` for a mart without rows (published as such), and a year with no row in any
mart fails (`year_has_rows`, expectations/mart_coverage.py). What could not be read (extraction
errors, open review items) is withheld, not blocking, unless MLW_STRICT_GATE=1
(expectations/withheld.py).

The result is also recorded in audit.gate_results with the fingerprint of the rows it
checked, so that the publish step can refuse a year whose current rows did not pass.
"""


import json
from dataclasses import replace
from datetime import datetime, timezone

from dagster import AssetCheckExecutionContext, AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from expectations import GateResult, run_commune_year_gate
from extractors.imilo import quarantine_by_year
from expectations.commune_year_suite import REPORT_KIND, is_blocking
from expectations.export_marts_suite import export_mart_checks
from expectations.mart_coverage import coverage_check, empty_marts, mart_coverage
from orchestration.marts import (
    MART_COMMUNE_YEAR,
    MART_RECONCILIATION,
    PUBLISHED_MARTS,
    recomputed_count_indicators,
    combined_fingerprint,
    read_issues,
    read_withheld_cells,
    read_year,
)
from expectations.withheld import withheld_check
from orchestration.review.withheld import read_withheld
from orchestration.settings import Settings
from orchestration.warehouse import connect
from orchestration.warehouse.audit import ensure_audit_table

MART_COMMUNE_YEAR_KEY = AssetKey(["marts", "mart_commune_year"])


def record_gate_result(settings: Settings, mart: str, year: int, passed: bool,
                       mart_fingerprint: str, summary: str, expectations: list[dict],
                       marts: dict[str, dict] | None = None) -> None:
    """`marts`: rows checked and status ('checked' / 'empty') per mart of the release."""
    with connect(settings.warehouse_path) as connection:
        ensure_audit_table(connection, "gate_results")
        connection.execute(
            "insert into audit.gate_results by name select ? as mart, ? as year, ? as passed, "
            "? as checked_at, ? as mart_fingerprint, ? as summary, ? as expectations, ? as marts",
            [mart, year, passed, datetime.now(timezone.utc), mart_fingerprint, summary,
             json.dumps(expectations, ensure_ascii=False, default=str),
             None if marts is None else json.dumps(marts)],
        )


def latest_gate_result(settings: Settings, mart: str, year: int) -> tuple[bool, str] | None:
    """(passed, fingerprint) of the latest gate run on this mart and year, if any."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        exists = connection.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'audit' and table_name = 'gate_results'").fetchone()[0]
        if not exists:
            return None
        row = connection.execute(
            "select passed, mart_fingerprint from audit.gate_results where mart = ? and year = ? "
            "order by checked_at desc limit 1", [mart, year]).fetchone()
    return (bool(row[0]), row[1]) if row else None


def has_nothing_to_publish(settings: Settings, mart: str, year: int) -> bool:
    """Whether the latest gate of this year found no row in any mart (refused by year_has_rows:
    a year with nothing to publish, not a failure of its data)."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        columns = {row[0] for row in connection.execute(
            "select column_name from duckdb_columns() where schema_name = 'audit' "
            "and table_name = 'gate_results'").fetchall()}
        if "marts" not in columns:
            return False
        row = connection.execute(
            "select marts from audit.gate_results where mart = ? and year = ? "
            "order by checked_at desc limit 1", [mart, year]).fetchone()
    marts = json.loads(row[0]) if row and row[0] else {}
    return bool(marts) and all(m["rows"] == 0 for m in marts.values())


def _has_activity_report(settings: Settings, year: int) -> bool:
    """Whether a Mission Locale activity report of `year` was loaded (then communes are due)."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        return connection.execute(
            "select count(*) from raw.documents where year = ? and document_kind = ?",
            [year, REPORT_KIND]).fetchone()[0] > 0


def _with_export_quarantine(settings: Settings, year: int, result: GateResult) -> GateResult:
    """The year's I-MILO exports: blocked when too many of their rows are in quarantine or one
    of their files was rejected (a half-read export would skew the recomputed figures)."""
    quarantine = quarantine_by_year(settings.warehouse_path).get(year)
    if quarantine is None:
        return result
    blocked = quarantine.blocked(settings.imilo_max_quarantine_share)
    record = {
        "name": "export_quarantine_within_limit", "success": not blocked, "frame": "imilo_exports",
        "expectation": "quarantine_share_at_most",
        "description": (f"at most {settings.imilo_max_quarantine_share:.0%} of the year's export rows "
                        "in quarantine, and no export file rejected"),
        "observed_value": {"share": round(quarantine.share, 4), "rows_read": quarantine.rows_read,
                           "rows_quarantined": quarantine.rows_quarantined,
                           "rejected_files": list(quarantine.rejected_files)},
    }
    return GateResult(passed=result.passed and not blocked, year=year,
                      expectations=[*result.expectations, record])


def build_gate_check(settings: Settings):
    @asset_check(asset=MART_COMMUNE_YEAR_KEY, name="gx_annual_gate", blocking=True,
                 additional_deps=[*(AssetKey(table.split(".")) for name, table in PUBLISHED_MARTS.items()
                                    if name != "mart_commune_year"),
                                  AssetKey(MART_RECONCILIATION.split("."))],
                 description="Great Expectations suites of the year's marts (mart_commune_year, "
                             "mart_breakdown_year, the marts recomputed from I-MILO exports and "
                             "their reconciliation, the export quarantine): the year is published "
                             "only if their blocking expectations pass.")
    def gx_annual_gate(context: AssetCheckExecutionContext) -> AssetCheckResult:
        year = int(context.op_execution_context.partition_key)
        frames = {name: read_year(settings.warehouse_path, table, year)
                  for name, table in PUBLISHED_MARTS.items()}
        mart = frames["mart_commune_year"]
        issues = read_issues(settings.warehouse_path, year)
        exports = export_mart_checks(
            frames["mart_commune_year_recomputed"], frames["mart_outcomes_by_profile"],
            read_year(settings.warehouse_path, MART_RECONCILIATION, year), year,
            recomputed_count_indicators(settings.warehouse_path), commune_year=frames["mart_commune_year"])
        result = run_commune_year_gate(mart, issues, year, breakdowns=frames["mart_breakdown_year"],
                                       expects_activity_report=_has_activity_report(settings, year),
                                       extra_checks=[*exports, coverage_check(frames, year),
                                                     withheld_check(read_withheld(settings.warehouse_path, year), year)],
                                       withheld_cells=read_withheld_cells(settings.warehouse_path, year))
        result = replace(_with_export_quarantine(settings, year, result), marts=mart_coverage(frames))
        # bound to every mart the release would publish, so none can change unchecked
        record_gate_result(settings, MART_COMMUNE_YEAR, year, result.passed,
                           combined_fingerprint(frames), result.summary(), result.expectations,
                           result.marts)
        failed = [e["name"] for e in result.expectations if not e["success"] and is_blocking(e)]
        warnings = [e["name"] for e in result.expectations if not e["success"] and not is_blocking(e)]
        return AssetCheckResult(
            passed=result.passed,
            severity=AssetCheckSeverity.ERROR,
            metadata={
                "year": year,
                "rows_checked": len(mart),
                "rows_by_mart": MetadataValue.json({n: len(f) for n, f in frames.items()}),
                "empty_marts": MetadataValue.json(empty_marts(result.marts)),
                "expectations": len(result.expectations),
                "failed": MetadataValue.json(failed),
                "warnings": MetadataValue.json(warnings),
                "summary": MetadataValue.md(result.summary()),
            },
        )

    return gx_annual_gate
