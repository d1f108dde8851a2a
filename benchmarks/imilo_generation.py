"""National-size I-MILO export generation: rows per file, wall time, peak RSS, output size.

Writes `sample_inputs.imilo.write_national_export` (440 structures, about 1.1 M youths, 15 M
contacts, 2.5 M situations; vectorised numpy/pyarrow, written batch after batch of whole
structures) into a temporary directory, times it with `time.perf_counter`, then reads the five
files back with DuckDB to check they parse and count what they hold. With `--structures N`
(< 440) it writes the first N structures only and also prints the figures projected to the full
size (linear in the youths written). A script that prints figures; nothing here asserts on time.

    .venv/bin/python -m benchmarks.imilo_generation [--structures N] [--encoding cp1252]
                                                     [--keep DIR] [--no-check]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

if not __package__:  # run as `python benchmarks/imilo_generation.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._corpus import machine_line, peak_rss_mib, table
from sample_inputs.imilo.codes import FILES
from sample_inputs.imilo.national import (
    BATCH_YOUTHS,
    STRUCTURES,
    layout,
    write_national_export,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imilo_generation",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--structures", type=int, default=STRUCTURES,
                        help=f"structures to write, out of {STRUCTURES} (default: all)")
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "cp1252"))
    parser.add_argument("--batch-youths", type=int, default=BATCH_YOUTHS,
                        help=f"youths per written batch (default {BATCH_YOUTHS})")
    parser.add_argument("--keep", metavar="DIR", help="write the export there and keep it")
    parser.add_argument("--no-check", action="store_true", help="skip the DuckDB read-back")
    args = parser.parse_args(argv)
    if not 1 <= args.structures <= STRUCTURES:
        parser.error(f"--structures must be between 1 and {STRUCTURES}")

    print(f"I-MILO national export generation — {machine_line()}")
    tmp = None if args.keep else tempfile.mkdtemp(prefix="mlw-bench-imilo-")
    out_dir = Path(args.keep or tmp) / "export"
    try:
        rss_before = peak_rss_mib()
        batches = []
        started = time.perf_counter()
        summary = write_national_export(
            out_dir, args.year, args.seed, args.encoding, structures=args.structures,
            batch_youths=args.batch_youths,
            progress=lambda done, total, seconds: batches.append((done, seconds)))
        wall = time.perf_counter() - started
        rss = peak_rss_mib()
        size = sum(summary.bytes.values())
        print(f"{args.structures} of {STRUCTURES} structures, year {args.year}, seed {args.seed}, "
              f"{args.encoding}, {len(batches)} batches of about {args.batch_youths} youths")
        print()
        rows = [[f"{name}.csv", f"{summary.rows[name]:,}", f"{summary.bytes[name] / 1e6:,.1f}",
                 f"{summary.rows[name] / wall:,.0f}"] for name in FILES]
        rows.append(["all files", f"{sum(summary.rows.values()):,}", f"{size / 1e6:,.1f}",
                     f"{sum(summary.rows.values()) / wall:,.0f}"])
        print(table(["file", "rows", "MB", "rows/s"], rows))
        print()
        print(f"youths (distinct files): {summary.youths:,}   files exported twice: "
              f"{summary.reexported:,}   figures not reproduced: {len(summary.notes)}")
        print(f"wall time: {wall:.1f} s   output: {size / 1e6:,.0f} MB "
              f"({size / 1e6 / wall:.0f} MB/s)   peak RSS: {rss:.0f} MiB "
              f"({rss_before:.0f} MiB after imports)")
        if args.structures < STRUCTURES:
            full = layout(args.seed).cell_youths.sum()
            factor = full / max(layout(args.seed, args.structures).cell_youths.sum(), 1)
            print(f"projected to {STRUCTURES} structures ({full:,} youths in contact, "
                  f"x{factor:.1f}, "
                  f"linear in the youths written; peak RSS does not grow with the size, it is "
                  f"bounded by the batch): {wall * factor:.0f} s, "
                  + ", ".join(f"{name} {summary.rows[name] * factor / 1e6:.2f} M rows"
                              for name in FILES)
                  + f", {size * factor / 1e9:.2f} GB")
        if not args.no_check:
            check(out_dir, args.encoding)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


def check(out_dir: Path, encoding: str) -> None:
    """Read the files back with DuckDB: rows, distinct youths, structures."""
    import duckdb

    if encoding != "utf-8":
        print("read-back: skipped for cp1252 (DuckDB reads UTF-8 and Latin-1 only)")
        return
    started = time.perf_counter()
    con = duckdb.connect()
    counts = []
    for name in FILES:
        path = str(out_dir / f"{name}.csv")
        rows, youths, structures = con.execute(
            "SELECT count(*), count(DISTINCT (codeStructure, idDossier)), "
            "count(DISTINCT codeStructure) FROM read_csv(?, delim=';', header=true, "
            "all_varchar=true)", [path]).fetchone()
        counts.append(f"{name} {rows:,} rows / {youths:,} youths / {structures} structures")
    print(f"read-back with DuckDB ({time.perf_counter() - started:.1f} s): " + "; ".join(counts))


if __name__ == "__main__":
    raise SystemExit(main())
