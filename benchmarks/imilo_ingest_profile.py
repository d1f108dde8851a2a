"""Where one I-MILO ingestion spends its time: every DuckDB statement and file check, timed.

Runs `extractors.imilo.ingest_export` on an export folder into a fresh warehouse file (or a copy
of a built one, `--into`, to see what the years already held cost an added export), with the
connection wrapped so that each `execute` is timed (wall clock, in this process), and the file
checks (`inspect_file`: encoding, lines, blank lines) timed apart. Prints the total, then the
costliest steps, SQL shortened to its first words. The pseudonymisation key is the demo key:
generated data only. DuckDB's settings are the project's (`orchestration/duckdb_settings.py`).

    .venv/bin/python -m benchmarks.imilo_ingest_profile EXPORT_DIR [--reference DIR] [--top N]
                                                        [--into WAREHOUSE_FILE]

EXPORT_DIR is a generated export (e.g. kept by `python -m benchmarks.scale --keep DIR`, under
DIR/exports/national_2023); its reference defaults to EXPORT_DIR + "_reference". Prints figures;
asserts nothing on time.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

if not __package__:  # run as `python benchmarks/imilo_ingest_profile.py`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import extractors.imilo.ingest as ingest
import orchestration.warehouse  # noqa: F401  registers the DuckDB settings on every connection
from benchmarks._corpus import machine_line
from extractors.imilo.keys import DEMO_KEY

Timing = tuple[float, str]


class _TimedConnection:
    """A DuckDB connection whose `execute` calls are timed into `timings`."""

    def __init__(self, connection, timings: list[Timing]):
        self._connection, self._timings = connection, timings

    def execute(self, sql: str, *args, **kwargs):
        started = time.perf_counter()
        result = self._connection.execute(sql, *args, **kwargs)
        self._timings.append((time.perf_counter() - started, " ".join(sql.split())))
        return result

    def __getattr__(self, name: str):
        return getattr(self._connection, name)


@contextlib.contextmanager
def timed_ingestion(timings: list[Timing]) -> Iterator[None]:
    """Patch ingest.py's `connect` and `inspect_file` for the duration."""
    connect, inspect_file = ingest.connect, ingest.inspect_file

    @contextlib.contextmanager
    def timed_connect(path: Path):
        with connect(path) as connection:
            yield _TimedConnection(connection, timings)

    def timed_inspect(path: Path, *args, **kwargs):
        started = time.perf_counter()
        try:
            return inspect_file(path, *args, **kwargs)
        finally:
            timings.append((time.perf_counter() - started, f"inspect_file {path.name}"))

    ingest.connect, ingest.inspect_file = timed_connect, timed_inspect
    try:
        yield
    finally:
        ingest.connect, ingest.inspect_file = connect, inspect_file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imilo_ingest_profile",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--reference", type=Path)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--into", metavar="WAREHOUSE_FILE", type=Path,
                        help="ingest into a copy of this warehouse file (default: a new one)")
    args = parser.parse_args(argv)
    reference = args.reference or Path(str(args.export) + "_reference")
    print(f"ingestion profile of {args.export} — {machine_line()}, "
          f"load average {os.getloadavg()[0]:.1f}")
    timings: list[Timing] = []
    with tempfile.TemporaryDirectory(prefix="mlw-ingest-profile-") as scratch, \
            timed_ingestion(timings):
        warehouse = Path(scratch) / "warehouse.duckdb"
        if args.into:
            shutil.copyfile(args.into, warehouse)  # the copy is not timed, nor is its
            os.sync()  # write-back, which would otherwise compete with the ingestion's own I/O
        started, cpu = time.perf_counter(), time.process_time()
        report = ingest.ingest_export(args.export, warehouse, DEMO_KEY,
                                      reference_dir=reference)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"ingest_export: {wall:.1f} s wall, {cpu:.1f} s CPU (this process, DuckDB's threads "
          f"included); rows read {sum(report.rows_read.values()):,}, quarantined "
          f"{report.quarantined:,}")
    print(f"{'s':>7}  {'of wall':>7}  step")
    for seconds, step in sorted(timings, reverse=True)[:args.top]:
        print(f"{seconds:7.2f}  {seconds / wall:7.0%}  {step[:110]}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
