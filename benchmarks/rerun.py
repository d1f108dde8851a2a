"""Time of a whole-pipeline re-run with nothing changed, against the cold run.

Builds a temporary workspace (sample-report PDFs as inputs, an empty warehouse, a temporary
Dagster instance), runs `orchestration.run.run_all` once (cold: every document extracted,
dbt, gates, publication), then again with the same inputs. Prints both wall times, the Dagster
time of the load job and of the yearly jobs, the time of the documents/* (extraction) steps,
and how many documents the second run reused from the extraction cache (the
`reused_from_cache` metadata of the documents/* materialisations). Prints figures; asserts
nothing on time.

    .venv/bin/python -m benchmarks.rerun [--documents N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as `python benchmarks/rerun.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster import DagsterInstance

from benchmarks._corpus import (
    YEARS,
    describe,
    editions,
    error_lines,
    machine_line,
    output_to,
    peak_rss_mib,
    render_corpus,
    table,
)
from orchestration.definitions_factory import LOAD_JOB
from orchestration.run import RunReport, run_all
from orchestration.settings import SHARED_CORPUS, Settings
from sample_inputs.demo import ensure_demo_export


@dataclass
class Measured:
    wall: float
    report: RunReport
    load_job: float  # Dagster run durations, seconds
    annual_jobs: float
    annual_runs: int
    extraction_steps: float  # sum of the documents/* steps of the load run
    documents: int
    reused: int


def measure(settings: Settings, instance: DagsterInstance) -> Measured:
    known = {record.dagster_run.run_id for record in instance.get_run_records()}
    start = time.perf_counter()
    report = run_all(settings, instance)
    wall = time.perf_counter() - start

    load = annual = 0.0
    annual_runs = 0
    extraction = 0.0
    for record in instance.get_run_records():
        run = record.dagster_run
        if run.run_id in known:
            continue
        duration = (record.end_time or 0) - (record.start_time or 0)
        if run.job_name == LOAD_JOB:
            load += duration
            extraction += sum((step.end_time or 0) - (step.start_time or 0)
                              for step in instance.get_run_step_stats(run.run_id)
                              if step.step_key.startswith("documents"))
        else:
            annual += duration
            annual_runs += 1

    document_keys = [key for key in instance.all_asset_keys() if key.path[0] == "documents"]
    events = [event for event in instance.get_latest_materialization_events(document_keys).values()
              if event and event.run_id not in known]
    reused = sum(1 for event in events
                 if event.asset_materialization.metadata["reused_from_cache"].value)
    return Measured(wall, report, load, annual, annual_runs, extraction, len(events), reused)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rerun",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=len(YEARS),
                        help=f"sample PDFs as inputs, one edition year each (1-{len(YEARS)}; "
                             f"default {len(YEARS)}: {YEARS[0]}-{YEARS[-1]})")
    parser.add_argument("--verbose", action="store_true",
                        help="show Dagster's and dbt's output (default: hidden; its error "
                             "lines are shown if a run fails)")
    args = parser.parse_args(argv)
    if not 1 <= args.documents <= len(YEARS):
        # The pipeline takes one document per edition: two files of one year would collide.
        parser.error(f"--documents must be between 1 and {len(YEARS)} (one edition per year)")
    print(f"Pipeline re-run with nothing changed — {machine_line()}")
    with tempfile.TemporaryDirectory(prefix="mlw-bench-rerun-") as tmp:
        root = Path(tmp)
        inputs = root / "inputs"
        paths = render_corpus(inputs, args.documents)
        settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb", input_paths=(inputs,))
        ensure_demo_export(settings.demo_exports_dir, SHARED_CORPUS)  # as `make run` writes it
        (root / "dagster_home").mkdir()
        print(f"inputs: {len(paths)} PDFs ({describe(editions(args.documents))}) in a temporary "
              "workspace; warehouse, extraction cache and Dagster instance start empty")
        log_path = None if args.verbose else root / "pipeline.log"
        with DagsterInstance.local_temp(tempdir=str(root / "dagster_home")) as instance:
            with output_to(log_path):
                cold = measure(settings, instance)
            with output_to(log_path):
                warm = measure(settings, instance)
        if log_path and not (cold.report.success and warm.report.success):
            print("a run failed; from the Dagster/dbt output (--verbose shows all of it):\n  "
                  + "\n  ".join(error_lines(log_path)))

    rows = []
    for label, run in (("cold (first run)", cold), ("re-run, nothing changed", warm)):
        rows.append([label, f"{run.wall:.2f}", f"{run.load_job:.2f}", f"{run.extraction_steps:.2f}",
                     f"{run.annual_jobs:.2f} ({run.annual_runs})",
                     f"{run.wall - run.load_job - run.annual_jobs:.2f}",
                     f"{run.reused}/{run.documents}",
                     f"{len(run.report.published)}" + ("" if run.report.success else " BLOCKED")])
    print()
    print(table(["run", "wall s", "load job s", "documents/* steps s", "yearly jobs s (runs)",
                 "outside runs s", "reused from cache", "years published"], rows))
    print()
    print("load job: extraction (documents/* steps, included) + raw tables + dbt seeds/staging/dims; "
          "yearly jobs: dbt facts and marts, GX gate, publication; outside runs: building the "
          "Definitions (dbt parse when the dbt project changed) and the run_all queries")
    print(f"re-run / cold: {warm.wall / cold.wall:.0%} of the wall time; "
          f"extraction steps {cold.extraction_steps:.2f} s -> {warm.extraction_steps:.2f} s")
    print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB (dbt runs as child processes, not counted)")
    for label, run in (("cold", cold), ("re-run", warm)):
        for year, why in sorted(run.report.blocked.items()):
            first = why.splitlines()[0] if why else ""
            print(f"{label}: BLOCKED {year}: {first[:200]}")
    return 0 if cold.report.success and warm.report.success else 1


if __name__ == "__main__":
    raise SystemExit(main())
