"""`python -m sample_inputs.imilo OUT_DIR --year 2023 --seed 1 [--from-report PATH | --sample]
[--national] [--encoding cp1252]`: write a synthetic I-MILO export (five CSV files); with
--national, also its invented reference (OUT_DIR_reference: ref_structures.csv, ref_communes.csv),
the folder MLW_IMILO_REFERENCE must name for its codes to be known at ingestion."""

from __future__ import annotations

import argparse
import sys
import time

from sample_inputs.imilo.export_figures import figures_from_facts, figures_from_report
from sample_inputs.imilo.generate import write_export
from sample_inputs.imilo.national import STRUCTURES, write_national_export


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_inputs.imilo",
        description="Write a synthetic I-MILO export (docs/imilo_export_format.md): calibrated to "
                    "a report's figures, or national-size with --national.")
    parser.add_argument("out_dir", help="export folder to write (created if needed)")
    parser.add_argument("--year", type=int, default=None,
                        help="year of activity (default: the report's year, else 2023)")
    parser.add_argument("--seed", type=int, default=1,
                        help="seed (default 1); same seed, same bytes")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--from-report", metavar="PATH",
                        help="calibrate to the figures extracted from this activity report")
    source.add_argument("--sample", action="store_true",
                        help="calibrate to the synthetic ML MNO report of --year (the default)")
    source.add_argument("--national", action="store_true",
                        help="national size: ~1.1 M youths over 440 structures, ~15 M contacts")
    parser.add_argument("--structures", type=int, default=STRUCTURES,
                        help=f"with --national: write the first N of the {STRUCTURES} structures")
    parser.add_argument("--encoding", default="utf-8", choices=("utf-8", "cp1252"),
                        help="file encoding (default utf-8)")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    if args.national:
        summary = write_national_export(args.out_dir, args.year or 2023, args.seed, args.encoding,
                                        structures=args.structures)
    elif args.from_report:
        from extractors.extract import extract_path

        result = extract_path(args.from_report)
        if not result.facts:
            print(f"{args.from_report}: no figures extracted", file=sys.stderr)
            return 1
        figures = figures_from_facts(result.facts, year=args.year)
        summary = write_export(args.out_dir, figures, args.year or figures.year, args.seed,
                               args.encoding)
    else:
        from sample_inputs.report_figures import generate_figures

        year = args.year or 2023
        summary = write_export(args.out_dir, figures_from_report(generate_figures(year, args.seed)),
                               year, args.seed, args.encoding)
    elapsed = time.perf_counter() - started
    print(f"{summary.out_dir}: {summary.structures} structure(s), {summary.youths} youths "
          f"({summary.reexported} files exported twice), year {summary.year}, seed {summary.seed}, "
          f"{summary.encoding}, {elapsed:.1f} s")
    for name, rows in summary.rows.items():
        print(f"  {name}.csv  {rows:>10} rows  {summary.bytes[name] / 1e6:9.1f} MB")
    if summary.reference_dir:
        print(f"  its structures and communes: {summary.reference_dir} "
              f"(MLW_IMILO_REFERENCE={summary.reference_dir})")
    for note in summary.notes:
        print(f"  not reproduced: {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
