"""A national-size I-MILO year built through the same Dagster/dbt path as `make run`, against
the lower bound: one hand-written DuckDB query over the export files.

1. Generates a national export (`sample_inputs.imilo.write_national_export`: 440 structures,
   ~1.1 M youths, ~21.5 M rows) and the reference of the structures and communes it invents,
   in a temporary directory; timed apart, not part of the build. `--export DIR` reuses one.
2. Builds its year with `orchestration.run.run_all`, as `mlw run` does: a temporary warehouse,
   no documents (MLW_INPUTS is an empty folder), the export (MLW_IMILO_EXPORTS), its reference
   (MLW_IMILO_REFERENCE), a temporary Dagster instance. Prints the wall time, the time of every
   Dagster step (from the runs' step stats), and the peak memory of the process tree (this
   process and its dbt subprocesses: RSS sampled from /proc every 0.1 s, benchmarks/_memory.py;
   getrusage figures beside it).
3. Runs the lower bound (benchmarks/imilo_lower_bound.py) in a fresh process and DuckDB: its
   query time and peak RSS; then compares its result with the warehouse's
   intermediate.int_imilo_indicator_values, value by value, and prints how many agree.
4. Prints the ratios pipeline / lower bound.

Prints figures; asserts nothing on time. Exit status 1 if the year is not published or a value
disagrees.

    .venv/bin/python -m benchmarks.imilo_pipeline [--structures N] [--export DIR [--reference DIR]]
                                                   [--keep DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if not __package__:  # run as `python benchmarks/imilo_pipeline.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster import DagsterInstance, Definitions, JobDefinition

from benchmarks._corpus import error_lines, machine_line, output_to, peak_rss_mib, table
from benchmarks._memory import TreeMemorySampler
import orchestration.run
from orchestration.run import RunReport, run_all
from orchestration.settings import PROJECT_ROOT, Settings
from orchestration.warehouse import connect
from sample_inputs.imilo.national import STRUCTURES
from sample_inputs.imilo.reference import reference_dir_for

# Dagster step key -> the stage it belongs to, in pipeline order (first match wins).
STAGES = (
    ("exports__", "ingestion (exports/<folder>: checks, pseudonymisation, quarantine, landing)"),
    ("imilo_raw_tables", "raw/imilo_* (pruning, counts, reference landed)"),
    ("raw_tables", "documents' raw tables (no document here)"),
    ("quarantine_share", "quarantine check"),
    ("dbt_reference_and_staging", "dbt reference, staging, intermediate, star (+ dbt tests)"),
    ("dbt_annual", "dbt annual: facts and marts of the year (+ dbt tests)"),
    ("gx_annual_gate", "gate (Great Expectations on the year's marts)"),
    ("published__", "publication (Parquet, marts.duckdb, manifest)"),
)
VALUES_TABLE = "intermediate.int_imilo_indicator_values"
# What run_all does outside the Dagster runs, timed by wrapping these functions of orchestration.run.
OUTSIDE_RUNS = {
    "build_definitions": "Definitions (dbt parse when the project changed)",
    "load_inputs": "load digest inputs (SHA-256 of documents, export files, reference)",
    "year_digest": "year digest (raw rows of the year, hashed in DuckDB)",
    "emit_run_lineage": "OpenLineage events of the runs",
    "generate_docs": "dbt docs generate",
}
DAGSTER_OUTSIDE_RUNS = {
    "resolve_job_def": "resolving the jobs (Definitions.resolve_job_def)",
    "execute_in_process": "execute_in_process outside its runs' records (plan, run storage)",
}


@dataclass
class Step:
    job: str
    key: str
    seconds: float


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imilo_pipeline",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--structures", type=int, default=STRUCTURES,
                        help=f"structures to generate, out of {STRUCTURES} (default: all)")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--export", metavar="DIR", type=Path,
                        help="reuse this export folder instead of generating one")
    parser.add_argument("--reference", metavar="DIR", type=Path,
                        help="its reference folder (default: DIR_reference beside it)")
    parser.add_argument("--keep", metavar="DIR", type=Path,
                        help="work in DIR and keep it (export, warehouse, releases, Dagster instance)")
    parser.add_argument("--verbose", action="store_true",
                        help="show Dagster's and dbt's output (default: in DIR/pipeline.log, "
                             "error lines shown if the run fails)")
    args = parser.parse_args(argv)
    if not 1 <= args.structures <= STRUCTURES:
        parser.error(f"--structures must be between 1 and {STRUCTURES}")
    if args.export and not args.export.is_dir():
        parser.error(f"--export {args.export}: not a folder")
    if not os.environ.get("MLW_PSEUDONYMISATION_KEY"):
        os.environ["MLW_DEMO"] = "1"  # generated data only: the public demo key is enough

    print(f"I-MILO export path at national size, against one DuckDB query — {machine_line()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="mlw-bench-imilo-pipeline-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        export, reference = prepare_export(args, root)
        return measure(root, export, reference, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def prepare_export(args: argparse.Namespace, root: Path) -> tuple[Path, Path]:
    """The export folder and its reference: given, or generated (and timed) under `root`."""
    if args.export:
        export = args.export.resolve()
        reference = (args.reference or reference_dir_for(export)).resolve()
        print(f"export: {export} (reused), reference: {reference}")
        return export, reference
    export = root / "exports" / f"national_{args.year}"
    # in a child process, so that the generator's memory is not this process's during the build
    command = [sys.executable, "-m", "sample_inputs.imilo", str(export), "--national",
               "--structures", str(args.structures), "--year", str(args.year), "--seed", str(args.seed)]
    started = time.perf_counter()
    printed = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    print(f"generated in a child process (not part of the build), {seconds:.1f} s: "
          + printed.stdout.strip().replace("\n", "\n  "))
    return export, reference_dir_for(export)


def measure(root: Path, export: Path, reference: Path, verbose: bool) -> int:
    inputs = root / "inputs"
    inputs.mkdir(exist_ok=True)  # no document: an empty MLW_INPUTS folder
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb", input_paths=(inputs,),
                        imilo_export_paths=(export,), imilo_reference_dir=reference)
    dagster_home = root / "dagster_home"
    dagster_home.mkdir(exist_ok=True)
    log_path = None if verbose else root / "pipeline.log"

    with DagsterInstance.local_temp(tempdir=str(dagster_home)) as instance:
        known = {record.dagster_run.run_id for record in instance.get_run_records()}
        with output_to(log_path), TreeMemorySampler() as memory, \
                timed_calls(orchestration.run, OUTSIDE_RUNS) as outside, \
                timed_calls(Definitions, {"resolve_job_def": ""}) as resolve, \
                timed_calls(JobDefinition, {"execute_in_process": ""}) as execute:
            started = time.perf_counter()
            report = run_all(settings, instance)
            wall = time.perf_counter() - started
        steps, runs_seconds = step_stats(instance, known)
    outside["resolve_job_def"] = resolve["resolve_job_def"]
    outside["execute_in_process"] = execute["execute_in_process"] - runs_seconds
    print_pipeline(report, wall, steps, runs_seconds, outside, memory)
    if log_path and not report.success:
        print("the run failed; from the Dagster/dbt output (--verbose shows all of it):\n  "
              + "\n  ".join(error_lines(log_path)))
    print_volumes(settings)

    lower = run_lower_bound(export, root / "lower_bound.parquet")
    print()
    print(f"lower bound: one DuckDB query over the five CSV files (fresh process, in-memory "
          f"DuckDB): {lower['seconds']:.2f} s, peak RSS {lower['peak_rss_mib']:,.0f} MiB "
          f"({lower['baseline_rss_mib']:.0f} MiB before the query), {lower['rows']:,} values")
    agree, disagreements = compare(settings, root / "lower_bound.parquet")
    print(f"comparison with {VALUES_TABLE}: {agree:,} of {max(agree + len(disagreements), 1):,} "
          f"values agree" + ("" if not disagreements else f"; {len(disagreements):,} do not:"))
    for line in summarise_disagreements(disagreements):
        print(f"  {line}")
    print()
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f} (other work on the machine "
          f"slows both measures)")
    print(f"ratio pipeline / lower bound: wall time x{wall / lower['seconds']:.0f} "
          f"(Dagster runs alone x{runs_seconds / lower['seconds']:.0f}), "
          f"peak memory x{memory.peak_mib / lower['peak_rss_mib']:.1f}"
          if memory.available else
          f"ratio pipeline / lower bound: wall time x{wall / lower['seconds']:.0f}")
    return 0 if report.success and report.published and not disagreements else 1


@contextlib.contextmanager
def timed_calls(module, names: dict[str, str]) -> Iterator[dict[str, float]]:
    """Wrap these functions of `module` while the block runs; yields {name: total seconds}."""
    seconds = dict.fromkeys(names, 0.0)
    originals = {name: getattr(module, name) for name in names}

    def timer(name, function):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[name] += time.perf_counter() - started
        return timed

    for name, function in originals.items():
        setattr(module, name, timer(name, function))
    try:
        yield seconds
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def step_stats(instance: DagsterInstance, known: set[str]) -> tuple[list[Step], float]:
    """Every step of the runs made since `known`, and the sum of those runs' durations."""
    steps, runs_seconds = [], 0.0
    for record in sorted(instance.get_run_records(), key=lambda r: r.start_time or 0):
        run = record.dagster_run
        if run.run_id in known:
            continue
        runs_seconds += (record.end_time or 0) - (record.start_time or 0)
        label = run.job_name + (f" [{run.tags.get('dagster/partition')}]"
                                if run.tags.get("dagster/partition") else "")
        steps += [Step(label, stat.step_key, (stat.end_time or 0) - (stat.start_time or 0))
                  for stat in instance.get_run_step_stats(run.run_id)]
    return steps, runs_seconds


def stage_of(step_key: str) -> str:
    return next((stage for needle, stage in STAGES if needle in step_key), "other")


def print_pipeline(report: RunReport, wall: float, steps: list[Step], runs_seconds: float,
                   outside_calls: dict[str, float], memory: TreeMemorySampler) -> None:
    print()
    published = ", ".join(f"{year}" for year in sorted(report.published)) or "none"
    blocked = "; ".join(f"{year}: {why.splitlines()[0][:200]}" for year, why in report.blocked.items())
    print(f"pipeline (orchestration.run.run_all): {wall:.1f} s wall; published: {published}"
          + (f"; BLOCKED {blocked}" if blocked else ""))
    stages: dict[str, float] = defaultdict(float)
    for step in steps:
        stages[stage_of(step.key)] += step.seconds
    order = [stage for _, stage in STAGES] + ["other"]
    rows = [[stage, f"{stages[stage]:.1f}", f"{stages[stage] / wall:.0%}"]
            for stage in order if stage in stages]
    outside = wall - runs_seconds
    rows += [["Dagster run overhead (runs minus their steps)",
              f"{runs_seconds - sum(stages.values()):.1f}",
              f"{(runs_seconds - sum(stages.values())) / wall:.0%}"],
             ["outside the runs, of which:", f"{outside:.1f}", f"{outside / wall:.0%}"]]
    labels = {**OUTSIDE_RUNS, **DAGSTER_OUTSIDE_RUNS}
    rows += [[f"  {labels[name]}", f"{seconds:.1f}", f"{seconds / wall:.0%}"]
             for name, seconds in outside_calls.items()]
    print(table(["stage", "s", "of wall"], rows))
    print()
    print(table(["job", "step", "s"], [[step.job, step.key, f"{step.seconds:.1f}"] for step in steps]))
    print()
    if memory.available:
        print(f"peak memory of the process tree (this process + dbt subprocesses, RSS summed, "
              f"sampled every 0.1 s from /proc, {memory.samples} samples): {memory.peak_mib:,.0f} MiB; "
              f"this process alone {memory.peak_self_mib:,.0f} MiB, its subprocesses at most "
              f"{memory.peak_children_mib:,.0f} MiB")
    # RUSAGE_CHILDREN is left out: a child forked from this process inherits its high-water mark
    print(f"getrusage (RUSAGE_SELF: this process's high-water mark since it started, imports "
          f"included): {peak_rss_mib():,.0f} MiB")


def print_volumes(settings: Settings) -> None:
    """What went through: rows landed and quarantined, values computed, rows published."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        read, landed, quarantined = connection.execute(
            "select sum(rows_read), sum(rows_ingested), sum(rows_quarantined) "
            "from audit.imilo_export_files").fetchone()
        values = connection.execute(f"select count(*) from {VALUES_TABLE}").fetchone()[0]
        published = connection.execute(
            "select count(*) from marts.mart_commune_year_recomputed").fetchone()[0]
    size = settings.warehouse_path.stat().st_size
    print(f"rows read {read:,}, landed {landed:,}, quarantined {quarantined:,}; "
          f"{values:,} recomputed values; mart_commune_year_recomputed {published:,} rows; "
          f"warehouse file {size / 1e9:.2f} GB")


def run_lower_bound(export: Path, out: Path) -> dict:
    """benchmarks.imilo_lower_bound in a fresh Python process (its peak RSS is its own)."""
    result = subprocess.run([sys.executable, "-m", "benchmarks.imilo_lower_bound", str(export), str(out)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def compare(settings: Settings, lower_bound: Path) -> tuple[int, list[tuple]]:
    """(values equal in both, the others: year, structure, commune, indicator, warehouse value,
    lower-bound value; None where one side has no such value)."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        joined = (f"select year, structure_code, commune_insee, indicator_code, w.value as warehouse, "
                  f"l.value as lower_bound from (select year, structure_code, commune_insee, "
                  f"indicator_code, value from {VALUES_TABLE}) as w full outer join "
                  f"read_parquet($path) as l using (year, structure_code, commune_insee, indicator_code)")
        agree = connection.execute(f"select count(*) from ({joined}) where warehouse = lower_bound",
                                   {"path": str(lower_bound)}).fetchone()[0]
        others = connection.execute(
            f"select * from ({joined}) where warehouse is distinct from lower_bound "
            f"order by all limit 10000", {"path": str(lower_bound)}).fetchall()
    return agree, others


def summarise_disagreements(rows: list[tuple]) -> list[str]:
    """Per indicator: how many values differ, and the first example."""
    by_indicator: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        by_indicator[row[3]].append(row)
    return [f"{indicator}: {len(found)} (e.g. {found[0][0]} {found[0][1]} {found[0][2]}: "
            f"warehouse {found[0][4]}, lower bound {found[0][5]})"
            for indicator, found in sorted(by_indicator.items())]


if __name__ == "__main__":
    raise SystemExit(main())
