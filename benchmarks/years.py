"""Issue 14, "a new year costs one year": national years added one after another to one
warehouse, against a cold build of the same years; and one report added to a built corpus.

1. Generates `--years` national exports (`--fraction` of the 440 structures; the same layout,
   seed 1, so one reference; consecutive activity years from `--first-year`), in child
   processes, timed apart (benchmarks/imilo_pipeline.py's `prepare_export`).
2. Incremental: one warehouse; for each year, its export is added beside the others and
   `orchestration.run.run_all` runs, as `mlw run` would. Per step: wall time of `run_all`, time
   of its stages (from the Dagster runs' step stats), the years built (the others kept) and the
   peak memory of the process tree. Each step runs in a fresh child process (its own peak).
3. Cold: a new warehouse and Dagster instance, every export at once: the full build
   (`--no-cold` skips it).
4. Adding the last year as a share of the cold build.
5. Documents (`--documents N`, default 6 sample PDFs, the demo export beside them as `make run`
   writes it, as benchmarks/rerun.py): a cold run of N-1 reports, then the Nth added; against a
   cold run of all N. `--documents 0` skips it.

Prints figures; asserts nothing on time. Exit status 1 if a run fails or a step rebuilds a year
it should have kept.

    .venv/bin/python -m benchmarks.years [--fraction 0.1] [--years 3] [--documents 6] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

if not __package__:  # run as `python benchmarks/years.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._corpus import YEARS, error_lines, machine_line, output_to, render_corpus, table
from benchmarks._memory import TreeMemorySampler
from benchmarks.imilo_pipeline import prepare_export, stage_of, step_stats
from benchmarks.scale import FOUR_STAGES
from sample_inputs.imilo.national import STRUCTURES

STAGE_NAMES = ("ingest", "dbt load", "dbt annual", "gate", "publish", "other steps")


def _stage(step_key: str) -> str:
    """The issue's stages, dbt split into the load job's part and the annual part."""
    if "dbt_annual" in step_key:
        return "dbt annual"
    stage = FOUR_STAGES.get(stage_of(step_key), "other steps")
    return "dbt load" if stage == "dbt" else stage


def build(root: str, exports: list[str], reference: str | None, documents: str,
          out: str, verbose: bool) -> None:
    """In a child process: one `run_all` on these inputs; its figures as JSON in `out`."""
    from dagster import DagsterInstance

    from orchestration.run import run_all
    from orchestration.settings import Settings

    base = Path(root)
    (base / "dagster_home").mkdir(parents=True, exist_ok=True)
    settings = Settings(warehouse_path=base / "warehouse" / "warehouse.duckdb",
                        input_paths=(Path(documents),),
                        imilo_export_paths=tuple(map(Path, exports)) if exports else None,
                        **({"imilo_reference_dir": Path(reference)} if reference else {}))
    log = None if verbose else base / "pipeline.log"
    with DagsterInstance.local_temp(tempdir=str(base / "dagster_home")) as instance:
        known = {record.dagster_run.run_id for record in instance.get_run_records()}
        with output_to(log):
            started = time.perf_counter()
            report = run_all(settings, instance)
            wall = time.perf_counter() - started
        steps, _ = step_stats(instance, known)
    stages: dict[str, float] = defaultdict(float)
    for step in steps:
        stages[_stage(step.key)] += step.seconds
    built = sorted({int(step.job.split("[")[1].rstrip("]")) for step in steps if "[" in step.job})
    Path(out).write_text(json.dumps({
        "wall": wall, "stages": stages, "built": built, "success": report.success,
        "published": sorted(report.published), "kept": sorted(report.unchanged),
        "errors": [] if report.success or not log else error_lines(log)}))


def measured(label: str, root: Path, exports: list[Path], reference: Path | None, documents: Path,
             verbose: bool) -> dict:
    """`build` in a spawned child process, with the peak memory of its process tree (the child
    and its dbt processes, as `mlw run`'s: not this benchmark's own process)."""
    out = root / f"{label}.json"
    context = multiprocessing.get_context("spawn")
    child = context.Process(target=build, args=(str(root), [str(e) for e in exports],
                                                str(reference) if reference else None,
                                                str(documents), str(out), verbose))
    child.start()
    with TreeMemorySampler(root=child.pid) as memory:
        child.join()
    if child.exitcode != 0 or not out.is_file():
        return {"wall": 0.0, "stages": {}, "built": [], "success": False, "published": [], "kept": [],
                "errors": [f"the child process exited with {child.exitcode}"], "peak_mib": memory.peak_mib}
    return {**json.loads(out.read_text()), "peak_mib": memory.peak_mib}


def row(label: str, result: dict) -> list[str]:
    return [label, f"{result['wall']:.1f}", *(f"{result['stages'].get(name, 0.0):.1f}" for name in STAGE_NAMES),
            f"{result['peak_mib']:,.0f}", ", ".join(map(str, result["built"])) or "none"]


HEADER = ["run", "wall s", *(f"{name} s" for name in STAGE_NAMES), "peak MiB", "years built"]


def national_years(args: argparse.Namespace, root: Path) -> bool:
    structures = max(1, round(STRUCTURES * args.fraction))
    years = list(range(args.first_year, args.first_year + args.years))
    print(f"\n== {args.years} national years ({structures} of {STRUCTURES} structures each), "
          f"load average {os.getloadavg()[0]:.1f}")
    exports, reference = [], None
    for year in years:
        export, reference = prepare_export(argparse.Namespace(
            export=None, reference=None, structures=structures, year=year, seed=args.seed), root)
        exports.append(export)
    empty = root / "no_documents"
    empty.mkdir(exist_ok=True)
    rows, steps, ok = [], [], True
    for count, year in enumerate(years, start=1):
        result = measured(f"add_{year}", root / "incremental", exports[:count], reference, empty,
                          args.verbose)
        steps.append(result)
        rows.append(row(f"add {year} ({count} year{'s' if count > 1 else ''} in the warehouse)", result))
        ok &= _check(result, expected_built=[year])
    cold = {"wall": 0.0}
    if args.cold:
        cold = measured("cold", root / "cold", exports, reference, empty, args.verbose)
        rows.append(row(f"cold build of the {args.years} years", cold))
        ok &= _check(cold, expected_built=years)
    print(table(HEADER, rows))
    walls = [step["wall"] for step in steps]
    peaks = [step["peak_mib"] for step in steps]
    print(f"cost per added year: {', '.join(f'{w:.1f} s' for w in walls)} (last / first "
          f"x{walls[-1] / walls[0]:.2f}); peak memory per added year: "
          f"{', '.join(f'{peak:,.0f}' for peak in peaks)} MiB")
    if cold["wall"]:
        print(f"adding {years[-1]} to a warehouse holding {years[0]}-{years[-2]}: {walls[-1]:.1f} s = "
              f"{walls[-1] / cold['wall']:.0%} of the cold build of the {args.years} years "
              f"({cold['wall']:.1f} s); at best 1/{args.years} = {1 / args.years:.0%} when every "
              f"year costs the same")
    return ok


def one_more_report(args: argparse.Namespace, root: Path) -> bool:
    from orchestration.settings import SHARED_CORPUS, Settings
    from sample_inputs.demo import ensure_demo_export

    count = args.documents
    print(f"\n== {count - 1} sample reports, then one more ({YEARS[count - 1]}), against a cold run "
          f"of {count}; the demo export beside them; load average {os.getloadavg()[0]:.1f}")
    rendered = render_corpus(root / "rendered", count)
    results = {}
    for label, base, firsts in (("incremental", root / "reports_incremental", count - 1),
                                ("cold", root / "reports_cold", count)):
        inputs = base / "inputs"
        inputs.mkdir(parents=True)
        ensure_demo_export(Settings(warehouse_path=base / "warehouse" / "warehouse.duckdb",
                                    input_paths=(inputs,)).demo_exports_dir, SHARED_CORPUS)
        for path in rendered[:firsts]:
            shutil.copy(path, inputs / path.name)
        results[label] = measured(f"{label}_first", base, [], None, inputs, args.verbose)
        if label == "incremental":
            shutil.copy(rendered[-1], inputs / rendered[-1].name)
            results["added"] = measured("added", base, [], None, inputs, args.verbose)
    print(table(HEADER, [row(f"cold run of {count - 1} reports", results["incremental"]),
                         row(f"add the {YEARS[count - 1]} report", results["added"]),
                         row(f"cold run of {count} reports", results["cold"])]))
    added, cold = results["added"]["wall"], results["cold"]["wall"]
    if cold:
        print(f"adding one report: {added:.1f} s = {added / cold:.0%} of the cold run of {count} "
              f"({cold:.1f} s)")
    return all(_check(result) for result in results.values()) and \
        _check(results["added"], expected_built=[YEARS[count - 1]])


def _check(result: dict, expected_built: list[int] | None = None) -> bool:
    if not result["success"]:
        print("a run failed:\n  " + "\n  ".join(result["errors"]))
        return False
    if expected_built is not None and result["built"] != expected_built:
        print(f"built {result['built']}, expected {expected_built} only")
        return False
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.years", description=__doc__.split("\n\n")[0])
    parser.add_argument("--fraction", type=float, default=0.1,
                        help="share of the national export's structures (default 0.1; 1 = all 440)")
    parser.add_argument("--years", type=int, default=3, help="national years (default 3)")
    parser.add_argument("--first-year", type=int, default=2021)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--documents", type=int, default=len(YEARS),
                        help=f"sample reports of the documents part (2-{len(YEARS)}; 0 skips it)")
    parser.add_argument("--no-cold", dest="cold", action="store_false",
                        help="skip the cold build of the years (no share printed)")
    parser.add_argument("--keep", metavar="DIR", type=Path, help="work in DIR and keep it")
    parser.add_argument("--verbose", action="store_true", help="show Dagster's and dbt's output")
    args = parser.parse_args(argv)
    if not 0 < args.fraction <= 1 or args.years < 2 or args.documents not in (0, *range(2, len(YEARS) + 1)):
        parser.error("--fraction in (0, 1], --years >= 2, --documents 0 or 2-6")
    if not os.environ.get("MLW_PSEUDONYMISATION_KEY"):
        os.environ["MLW_DEMO"] = "1"  # generated data only: the public demo key is enough
    print(f"years: {machine_line()}, load average {os.getloadavg()[0]:.1f}")
    root = args.keep or Path(tempfile.mkdtemp(prefix="mlw-bench-years-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        ok = national_years(args, root)
        if args.documents:
            ok &= one_more_report(args, root)
        print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
