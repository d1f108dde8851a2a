"""`mlw run`: materialise every asset on the default inputs, year by year, gates included.

1. Load job: extract each document (skipped when unchanged), land the raw tables, build the
   reference seeds, staging models and dimensions; when only some inputs were added or changed
   since the last load, only their assets and what they reach (orchestration/load_selection.py).
2. For every year found in the documents or the ingested I-MILO exports: build its facts and
   marts, run its gate, publish it if the gate passed (a year only exports cover is built too).
Runs are recorded in the Dagster instance of $DAGSTER_HOME, so `dagster dev` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dagster import DagsterInstance

from orchestration.assets.gate import has_nothing_to_publish, latest_gate_result
from orchestration.warehouse.build_inputs import (last_digest, load_state, record_digest, state_digest,
                                                  year_digest)
from orchestration.dbt_docs import generate_docs
from orchestration.lineage import emit_run_lineage
from orchestration.definitions_factory import ANNUAL_JOB, LOAD_JOB, build_definitions
from orchestration.fast_path import NOTHING_TO_PUBLISH, STILL_NOTHING_TO_PUBLISH, load_inputs, report_years
from orchestration.latest_catalogue import LATEST
from orchestration.load_selection import LOAD_INPUTS_STEP, describe, load_selection
from orchestration.marts import MART_COMMUNE_YEAR
from orchestration.progress import RUN_CONFIG, Progress, dbt_log_summary
from orchestration.publication import current_release, release_problems, status_note
from orchestration.run_guard import run_guard
from orchestration.run_outcome import unreadable_inputs, years_blocked_by_inputs
from orchestration.settings import Settings
from orchestration.warehouse import connect
from orchestration.review.summary import print_review_lines


# The console shows errors only (warnings: once each, by Progress); every event stays in the
# Dagster instance (`make dagster-ui`), dbt's output in warehouse/logs/dbt.log.
QUIET_CONSOLE = RUN_CONFIG


@dataclass
class RunReport:
    loaded: bool
    published: dict[int, str] = field(default_factory=dict)  # year -> release folder
    blocked: dict[int, str] = field(default_factory=dict)  # year -> why
    nothing_to_publish: list[int] = field(default_factory=list)  # no row in any mart: refused
    issues: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # steps skipped: same inputs as last time
    docs: Path | None = None  # dbt's documentation site (lineage) when something ran: kept or regenerated
    unreadable: list[str] = field(default_factory=list)  # inputs that could not be read, and why
    damaged: dict[int, str] = field(default_factory=dict)  # year -> what was wrong with `current`
    removed_partials: list[str] = field(default_factory=list)  # left by a killed publication

    @property
    def success(self) -> bool:
        return self.loaded and not self.blocked


def run_all(settings: Settings, instance: DagsterInstance, force: bool = False) -> RunReport:
    """Load, then build, gate and publish each year; steps whose inputs did not change since
    their last success are skipped (unless `force`), so a second run is fast and changes nothing.
    Holds the warehouse's run lock throughout (`run_guard.RunRefused` when another run holds it
    or the warehouse is not writable)."""
    with run_guard(settings) as leftovers:
        report = _run_all(settings, instance, force)
        report.removed_partials = [str(path) for path in leftovers]
        return report


def _run_all(settings: Settings, instance: DagsterInstance, force: bool) -> RunReport:
    defs = build_definitions(settings)
    state = load_state(load_inputs(settings))
    load_key = state_digest(state)
    report = RunReport(loaded=True)
    progress = Progress(settings, instance)
    if not force and last_digest(settings.warehouse_path, "load") == load_key:
        report.unchanged.append("load")
        progress.load_skipped()
    else:
        load_job = defs.resolve_job_def(LOAD_JOB)
        selection = None if force else load_selection(
            settings, load_job, last_digest(settings.warehouse_path, LOAD_INPUTS_STEP), state)
        if line := describe(selection, settings):
            progress.line(line)
        load = load_job.execute_in_process(instance=instance, raise_on_error=False,
                                           run_config=QUIET_CONSOLE, asset_selection=selection)
        emit_run_lineage(settings, instance, defs, load.run_id, load.success)
        progress.loaded(load)
        if not load.success:
            report.loaded = False
            report.blocked[0] = "the load job failed (see the Dagster run log)"
            return report
        record_digest(settings.warehouse_path, "load", load_key)
        record_digest(settings.warehouse_path, LOAD_INPUTS_STEP, state)
    report.issues = _issue_lines(settings)
    report.unreadable = unreadable_inputs(settings)
    blocked_by_inputs = years_blocked_by_inputs(settings)
    annual_job = defs.resolve_job_def(ANNUAL_JOB)
    for year in sorted({*report_years(settings), *blocked_by_inputs}):
        if year in blocked_by_inputs:  # its release's documents are known: never publish less
            report.blocked[year] = blocked_by_inputs[year]
            progress.line(f"{year}: BLOCKED, a document of its release can no longer be read")
            continue
        year_key = year_digest(settings.warehouse_path, year)
        release = current_release(settings.published_dir, year)
        if damage := _release_damage(release):
            report.damaged[year] = damage  # rebuilt and republished as a new release below
        last_key = last_digest(settings.warehouse_path, f"year:{year}")
        if not force and not damage and last_key == NOTHING_TO_PUBLISH + year_key:
            report.nothing_to_publish.append(year)  # same rows, still nothing: not rebuilt
            report.unchanged.append(str(year))
            progress.line(f"{year}: rows and code unchanged: {STILL_NOTHING_TO_PUBLISH}")
            continue
        if not force and release and not damage and last_key == year_key:
            report.published[year] = str(release)
            report.unchanged.append(str(year))
            progress.year_kept(year, str(release))
            continue
        result = annual_job.execute_in_process(instance=instance, partition_key=str(year),
                                               raise_on_error=False, run_config=QUIET_CONSOLE)
        emit_run_lineage(settings, instance, defs, result.run_id, result.success)
        release = current_release(settings.published_dir, year)
        gate = latest_gate_result(settings, MART_COMMUNE_YEAR, year)
        if result.success and release and gate and gate[0]:
            report.published[year] = str(release)
            record_digest(settings.warehouse_path, f"year:{year}", year_key)
        elif has_nothing_to_publish(settings, MART_COMMUNE_YEAR, year):
            report.nothing_to_publish.append(year)
            record_digest(settings.warehouse_path, f"year:{year}", NOTHING_TO_PUBLISH + year_key)
        else:
            report.blocked[year] = _gate_summary(settings, year) or "the year's run failed"
        progress.year_done(year, result, report.published.get(year))
    if report.unchanged != ["load", *map(str, report_years(settings))]:
        report.docs = generate_docs(settings, force)
    return report


def _release_damage(release: Path | None) -> str | None:
    """What is wrong with a year's current release (files against its manifest, manifest
    against the publication log), None when intact or absent."""
    problems = release_problems(release) if release else []
    return f"{release}: {'; '.join(problems)}" if problems else None


def _issue_lines(settings: Settings) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        rows = connection.execute(
            "select severity, document_path, page, line, reason from raw.extraction_issues "
            "order by severity, document_path, line").fetchall()
    return [f"{severity}: {path}{f', page {page}' if page else ''}{f', line {line}' if line else ''}: "
            f"{reason}" for severity, path, page, line, reason in rows]


def _gate_summary(settings: Settings, year: int) -> str | None:
    with connect(settings.warehouse_path, read_only=True) as connection:
        exists = connection.execute("select count(*) from information_schema.tables where "
                                    "table_schema = 'audit' and table_name = 'gate_results'").fetchone()[0]
        if not exists:
            return None
        row = connection.execute(
            "select summary from audit.gate_results where mart = ? and year = ? and not passed "
            "order by checked_at desc limit 1", [MART_COMMUNE_YEAR, year]).fetchone()
    return row[0] if row else None


def print_report(settings: Settings, report: RunReport) -> None:
    print(f"\nWarehouse (DuckDB): {settings.warehouse_path}")
    print("  schemas: raw, reference, staging, star, marts, audit")
    if "load" in report.unchanged:
        print("Documents, extractors and dbt project unchanged since the last load: load skipped.")
    for year, release in sorted(report.published.items()):
        kept = " (inputs unchanged: kept)" if str(year) in report.unchanged else ""
        print(f"Published {year}: {release}{kept}{status_note(release)}")
    if (settings.published_dir / LATEST).is_file():
        print(f"Every published year in one DuckDB file: {settings.published_dir / LATEST}")
    print_review_lines(settings, report.published)
    for year in report.nothing_to_publish:
        print(f"NOT PUBLISHED {year}: no row of the year in any mart, nothing to publish")
    for year, why in sorted(report.blocked.items()):
        print(f"BLOCKED {year or ''}: {why}")
    if report.issues:
        print(f"\nExtraction issues ({len(report.issues)}):")
        for line in report.issues:
            print(f"  {line}")
    if report.docs:
        print(f"dbt documentation and lineage: {report.docs}")
    print(dbt_log_summary(settings))
    print("\nOpen the Dagster UI on these runs: make dagster-ui")
