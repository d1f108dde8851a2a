"""Issue 14's figures at one size: a generated national export (or a `--fraction` of it) built
as `mlw run` builds it, stage by stage, against the lower-bound query, then re-run unchanged.

1. Generates the export (a child process, timed apart; benchmarks/imilo_pipeline.py's
   `prepare_export`): `--fraction` of the 440 structures and their youths.
2. Builds its year with `orchestration.run.run_all` (temporary warehouse and Dagster instance)
   and prints the time of the four stages, from the Dagster runs' step stats: ingest (export
   checks, pseudonymisation, quarantine, landing), dbt (models and tests), gate (Great
   Expectations), publish (Parquet, marts database, manifest); the rest is outside the steps.
   Peak memory of the process tree (this process and dbt's: benchmarks/_memory.py), with the
   DuckDB limits in force (orchestration/duckdb_settings.py).
3. The lower bound (benchmarks/imilo_lower_bound.py, a fresh process): ratios in time and
   memory, and whether every value agrees with the warehouse's.
   The landing floor (benchmarks/imilo_landing_floor.py, a fresh process): the files landed
   pseudonymised, a youth dimension and the facts written, and the same answer read from them,
   with no check: what no pipeline of this warehouse can go below, as a ratio to the lower bound.
4. `mlw run` again with nothing changed, as a fresh process (start-up included, as `make run`
   minus make): its wall time and what it printed (the fast path: orchestration/fast_path.py).

Prints figures; asserts nothing on time. Exit status 1 if the year is not published, a value
disagrees, or the re-run fails.

    .venv/bin/python -m benchmarks.scale [--fraction 0.01] [--keep DIR] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

if not __package__:  # run as `python benchmarks/scale.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dagster import DagsterInstance

from benchmarks._corpus import error_lines, machine_line, output_to, table
from benchmarks._memory import TreeMemorySampler
from benchmarks.imilo_pipeline import (
    STAGES,
    compare,
    prepare_export,
    print_volumes,
    run_lower_bound,
    stage_of,
    step_stats,
)
from orchestration.duckdb_settings import connection_config
from orchestration.run import run_all
from orchestration.settings import PROJECT_ROOT, Settings
from sample_inputs.imilo.national import STRUCTURES

# imilo_pipeline's stages (in its order) grouped into the four
FOUR_STAGES = dict(zip((stage for _, stage in STAGES),
                       ("ingest", "ingest", "ingest", "ingest", "dbt", "dbt", "gate", "publish")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=0.01,
                        help="share of the national export's structures (default 0.01; 1 = all 440)")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", metavar="DIR", type=Path, help="work in DIR and keep it")
    parser.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's output")
    args = parser.parse_args(argv)
    if not 0 < args.fraction <= 1:
        parser.error("--fraction must be in (0, 1]")
    structures = max(1, round(STRUCTURES * args.fraction))
    if not os.environ.get("MLW_PSEUDONYMISATION_KEY"):
        os.environ["MLW_DEMO"] = "1"  # generated data only: the public demo key is enough
    print(f"scale: {structures} of {STRUCTURES} structures — {machine_line()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="mlw-bench-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        export, reference = prepare_export(argparse.Namespace(
            export=None, reference=None, structures=structures, year=args.year, seed=args.seed), root)
        return measure(root, export, reference, args.verbose)
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def measure(root: Path, export: Path, reference: Path, verbose: bool) -> int:
    (root / "inputs").mkdir(exist_ok=True)  # no document: an empty MLW_INPUTS folder
    (root / "dagster_home").mkdir(exist_ok=True)
    settings = Settings(warehouse_path=root / "warehouse" / "warehouse.duckdb",
                        input_paths=(root / "inputs",), imilo_export_paths=(export,),
                        imilo_reference_dir=reference)
    log_path = None if verbose else root / "pipeline.log"
    with DagsterInstance.local_temp(tempdir=str(root / "dagster_home")) as instance:
        with output_to(log_path), TreeMemorySampler() as memory:
            started = time.perf_counter()
            report = run_all(settings, instance)
            wall = time.perf_counter() - started
        steps, _ = step_stats(instance, set())
    stages: dict[str, float] = defaultdict(float)
    for step in steps:
        stages[FOUR_STAGES.get(stage_of(step.key), "other")] += step.seconds
    stages["outside the steps (start-up, digests, Dagster)"] = wall - sum(stages.values())
    print(f"\nbuild (run_all): {wall:.1f} s wall; published: "
          f"{', '.join(map(str, sorted(report.published))) or 'none'}")
    print(table(["stage", "s", "of wall"],
                [[name, f"{seconds:.1f}", f"{seconds / wall:.0%}"] for name, seconds in stages.items()]))
    limits = connection_config(settings.warehouse_path)
    print(f"peak memory of the process tree: {memory.peak_mib:,.0f} MiB (this process "
          f"{memory.peak_self_mib:,.0f}, subprocesses at most {memory.peak_children_mib:,.0f}); "
          f"DuckDB memory_limit {limits['memory_limit']}, threads "
          f"{limits.get('threads', 'one per core')}")
    if not report.success:
        if log_path:
            print("the run failed:\n  " + "\n  ".join(error_lines(log_path)))
        return 1  # no year to compare with the lower bound, nothing to re-run
    print_volumes(settings)

    lower = run_lower_bound(export, root / "lower_bound.parquet")
    agree, disagreements = compare(settings, root / "lower_bound.parquet")
    print(f"\nlower bound: {lower['seconds']:.2f} s, peak RSS {lower['peak_rss_mib']:,.0f} MiB; "
          f"ratio build / lower bound: time x{wall / lower['seconds']:.1f}, memory "
          f"x{memory.peak_mib / lower['peak_rss_mib']:.1f}; values agreeing: {agree:,} of "
          f"{agree + len(disagreements):,}")

    floor = run_landing_floor(export)
    print(f"landing floor (the files landed pseudonymised, youth dimension and facts written, the "
          f"answer read from them; no check, no dbt, no Dagster): {floor['seconds']:.2f} s = land "
          f"{floor['land_seconds']:.1f} + star {floor['star_seconds']:.1f} + answer "
          f"{floor['answer_seconds']:.1f}, x{floor['seconds'] / lower['seconds']:.1f} the lower bound; "
          f"the build is x{wall / floor['seconds']:.1f} the floor")

    seconds, rerun = rerun_unchanged(settings, root / "dagster_home")
    print(f"\n`mlw run` with nothing changed (fresh process, start-up included): {seconds:.2f} s, "
          f"exit {rerun.returncode}: {' / '.join(rerun.stdout.strip().splitlines()[-3:])}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    return 0 if not disagreements and rerun.returncode == 0 else 1


def run_landing_floor(export: Path) -> dict:
    """benchmarks.imilo_landing_floor in a fresh Python process."""
    result = subprocess.run([sys.executable, "-m", "benchmarks.imilo_landing_floor", str(export)],
                            cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def rerun_unchanged(settings: Settings, dagster_home: Path) -> tuple[float, subprocess.CompletedProcess]:
    environment = {**os.environ, "MLW_WAREHOUSE": str(settings.warehouse_path),
                   "MLW_INPUTS": ":".join(map(str, settings.input_paths)),
                   "MLW_IMILO_EXPORTS": ":".join(map(str, settings.imilo_export_paths)),
                   "MLW_IMILO_REFERENCE": str(settings.imilo_reference_dir),
                   "DAGSTER_HOME": str(dagster_home)}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], env=environment,
                          cwd=PROJECT_ROOT, capture_output=True, text=True)
    return time.perf_counter() - started, done


if __name__ == "__main__":
    raise SystemExit(main())
