"""Progress of `mlw run`: one line per step and year, dbt's own output in a log file.

`mlw run` used to print every line dbt writes (about 1,500 for the corpus): dagster-dbt's
`DbtCliInvocation.stream()` re-emits each dbt event on the process's stdout. Those lines now go
to `warehouse/logs/dbt.log` (emptied by the first dbt command of each run; one header per
command), and the console shows instead, per step, the elapsed time and what it did:

    [  12.3s] load: 4 documents (3,564 facts, 0 errors), export demo: 60,854 rows (0 quarantined); 52 dbt assets, 244 checks
    [  45.6s] 2023: 14 dbt models, 82 tests; gate passed (55 expectations, 1 warning); published 2026...-8e336ae9

Dagster's console logger is silent (RUN_CONFIG): the runs' warnings and errors are read back
from the Dagster event log after each run and printed once each, one line, without Dagster's
stack traces (in the Dagster UI, `make dagster-ui`). A gate that fails is the year's line
("gate FAILED (...)"), not an error: its step failure is not printed again.
"""

from __future__ import annotations

import io
import json
import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from dagster import DagsterInstance

from orchestration.audit_page.render import audit_page_path
from orchestration.marts import MART_COMMUNE_YEAR
from orchestration.settings import Settings
from orchestration.warehouse import connect, has_table

# Warnings and errors are printed by Progress after each run, once each, one line each.
RUN_CONFIG = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
GATE_CHECK = "gx_annual_gate"
DOCUMENT_STEPS = "documents__"  # steps of the documents/<file> assets
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# dbt logs to empty before the next dbt command writes to them: one log per `mlw run` that ran
# dbt (a run with nothing to rebuild keeps the last run's log).
_FRESH_LOGS: set[Path] = set()


def dbt_log_path(warehouse_path: Path) -> Path:
    """Where dbt's output goes: beside the warehouse, so each warehouse keeps its own."""
    return warehouse_path.parent / "logs" / "dbt.log"


@contextmanager
def dbt_output_to_log(warehouse_path: Path, command: str) -> Iterator[Path]:
    """Send what dagster-dbt prints of a dbt command (its stdout) to the dbt log file."""
    path = dbt_log_path(warehouse_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "w" if path in _FRESH_LOGS else "a"
    _FRESH_LOGS.discard(path)
    with path.open(mode, encoding="utf-8") as log:
        log.write(f"\n=== {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC: {command}\n")
        log.flush()
        with redirect_stdout(_PlainText(log)):
            yield path


class _PlainText(io.TextIOBase):
    """Writes to `target` without the terminal colour codes dbt puts in its lines."""

    def __init__(self, target: TextIO):
        self.target = target

    def write(self, text: str) -> int:
        self.target.write(_ANSI.sub("", text))
        return len(text)

    def flush(self) -> None:
        self.target.flush()


class Progress:
    """Prints the run's progress lines; created at the start of a run (the run's first dbt
    command empties the dbt log)."""

    def __init__(self, settings: Settings, instance: DagsterInstance, stream: TextIO | None = None):
        self.settings = settings
        self.instance = instance
        self.stream = stream
        self.started = time.perf_counter()
        self.warnings_seen: set[str] = set()
        _FRESH_LOGS.add(dbt_log_path(settings.warehouse_path))

    def line(self, text: str) -> None:
        stream = self.stream or sys.stdout  # looked up late: pytest and callers may swap stdout
        print(f"[{time.perf_counter() - self.started:7.1f}s] {text}", file=stream, flush=True)

    def load_skipped(self) -> None:
        self.line("load: documents, exports, reference and dbt project unchanged: skipped")

    def loaded(self, result) -> None:
        """After the load job: documents and facts landed, export rows, dbt assets and checks."""
        parts = [_documents(self.settings), *_exports(self.settings), _dbt_counts(result, "assets")]
        self.line(f"load{'' if result.success else ' FAILED'}: " + "; ".join(part for part in parts if part))
        self._warnings(result.run_id)

    def year_kept(self, year: int, release: str) -> None:
        self.line(f"{year}: rows and code unchanged: release kept ({Path(release).name})")

    def year_done(self, year: int, result, release: str | None) -> None:
        """After a year's run: dbt models and tests, the gate's verdict, the release."""
        gate = _gate(self.settings, year)
        outcome = f"published {Path(release).name}" if release else "NOT published (previous release kept)"
        if release and audit_page_path(Path(release)).is_file():
            outcome += f", audit page {audit_page_path(Path(release))}"
        self.line(f"{year}: " + "; ".join(part for part in (_dbt_counts(result, "models"), gate, outcome) if part))
        self._warnings(result.run_id)


    def _warnings(self, run_id: str) -> None:
        """The run's warnings and errors not printed yet in this `mlw run`."""
        for entry in self.instance.all_logs(run_id):
            if entry.level < logging.WARNING or not entry.user_message:
                continue
            if (entry.step_key or "").startswith(DOCUMENT_STEPS):
                continue  # extraction issues: the run's summary lists them, with file and line
            is_error = entry.level >= logging.ERROR
            if is_error and entry.dagster_event is not None and entry.dagster_event.is_run_failure:
                continue  # it names the failed steps, whose errors are printed
            message = _error_text(entry) if is_error else entry.user_message
            if is_error and GATE_CHECK in message:
                continue  # the gate's verdict is on the year's line
            if message not in self.warnings_seen:
                self.warnings_seen.add(message)
                where = f"{entry.step_key}: " if entry.step_key else ""
                print(f"  {'error' if is_error else 'warning'}: {where}{message}",
                      file=self.stream or sys.stdout, flush=True)


def _error_text(entry) -> str:
    """An error event in one line: Dagster's message and the first line of the error that
    caused it (Dagster wraps the asset's own exception)."""
    event = entry.dagster_event
    error = getattr(getattr(event, "event_specific_data", None), "error", None) if event else None
    while error is not None and error.cause is not None:
        error = error.cause
    detail = next(iter(error.message.strip().splitlines()), "") if error else ""
    return f"{entry.user_message} {detail}".strip()


def dbt_log_summary(settings: Settings) -> str:
    """The summary's line on dbt's log: this run's, or the last one's if dbt did not run."""
    path = dbt_log_path(settings.warehouse_path)
    if path in _FRESH_LOGS:
        return f"dbt did not run (nothing to rebuild); its last output: {path}"
    return f"dbt's output: {path}"


def _dbt_counts(result, noun: str) -> str:
    """Materialisations (the publication left out) and checks (the GX gate left out) of a run."""
    materialised = [event for event in result.get_asset_materialization_events()
                    if event.asset_key.path[0] not in ("published", "documents", "exports")]
    checks = [evaluation for evaluation in result.get_asset_check_evaluations()
              if evaluation.check_name != GATE_CHECK]
    failed = sum(not evaluation.passed for evaluation in checks)
    return (f"{len(materialised):,} {'dbt ' if noun == 'models' else ''}{noun}, {len(checks):,} "
            f"{'tests' if noun == 'models' else 'checks'}" + (f" ({failed} failed)" if failed else ""))


def _documents(settings: Settings) -> str:
    with connect(settings.warehouse_path, read_only=True) as connection:
        documents, facts = connection.execute(
            "select count(*), coalesce(sum(fact_count), 0) from raw.documents").fetchone()
        issues = connection.execute("select count(*) from raw.extraction_issues").fetchone()[0]
    noun = "document" if documents == 1 else "documents"
    listed = f", {issues:,} extraction issue{'s' if issues > 1 else ''}: listed at the end" if issues else ""
    return f"{documents:,} {noun} ({facts:,} facts{listed})"


def _exports(settings: Settings) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        if not has_table(connection, "audit", "imilo_export_files"):
            return []
        rows = connection.execute(
            "select export_name, sum(rows_ingested), sum(rows_quarantined) from audit.imilo_export_files "
            "group by 1 order by 1").fetchall()
    return [f"export {name}: {landed or 0:,} rows ({quarantined or 0:,} quarantined)"
            for name, landed, quarantined in rows]


def _gate(settings: Settings, year: int) -> str:
    with connect(settings.warehouse_path, read_only=True) as connection:
        if not has_table(connection, "audit", "gate_results"):
            return "no gate result"
        row = connection.execute(
            "select passed, expectations from audit.gate_results where mart = ? and year = ? "
            "order by checked_at desc limit 1", [MART_COMMUNE_YEAR, year]).fetchone()
    if row is None:
        return "gate not run"
    expectations = json.loads(row[1]) if row[1] else []
    failed = [e["name"] for e in expectations if not e["success"] and e.get("blocking", True)]
    warnings = [e["name"] for e in expectations if not e["success"] and not e.get("blocking", True)]
    details = [f"{len(expectations)} expectations"]
    if warnings:
        details.append(f"{len(warnings)} warning{'s' if len(warnings) > 1 else ''}")
    if failed:
        details.append(f"failed: {', '.join(failed)}")
    return f"gate {'passed' if row[0] else 'FAILED'} ({', '.join(details)})"
