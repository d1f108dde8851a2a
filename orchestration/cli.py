"""`mlw`: the project's command line.

  mlw run [--force]        materialise every asset (documents, exports, dbt, gates, releases);
                           exit codes in orchestration/run_outcome.py (0 all read and published)
  mlw verify RELEASE       check a release folder against its manifest's checksums and the
                           publication log that anchors its manifest
  mlw trace --year Y --structure S [--commune INSEE] --indicator CODE [--source report|exports]
            [--limit N]    follow a published figure down to its source: the document line that
                           prints it, or the I-MILO export rows it counts (orchestration/trace/)
  mlw trace --year Y --fact ID
                           the same for a row of mart_breakdown_year or mart_programme_year
  mlw review [accept ID [--as CODE] | write FILE | apply FILE]
                           what the latest run could not settle, and reviewers' decisions
                           (orchestration/review/, written into the curation folder)
  mlw codegen [--check]    regenerate the dbt files that the indicator catalogue drives
  mlw catalogue            rebuild published/latest.duckdb (every year's current release), e.g.
                           after moving the published folder: its views name files by absolute path
  mlw audit-page --year Y [--render] [--screenshot OUT.png]
                           the audit page of the year's current release (orchestration/audit_page/):
                           written if missing, its path printed, a screenshot by headless Chromium
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from orchestration.review.command import add_review_parser, review_command

if TYPE_CHECKING:
    from dagster import DagsterInstance  # imported by a full run only: not by a re-run's fast path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlw", description="Missions Locales Warehouse")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="materialise every asset on the default inputs, gates included")
    run.add_argument("--force", action="store_true",
                     help="rebuild every step even when its inputs did not change since the last run")
    verify = commands.add_parser("verify", help="check a release against its manifest's checksums")
    verify.add_argument("release", help="a release folder, e.g. warehouse/published/2023/current")
    trace = commands.add_parser("trace", help="follow a published figure down to its document line "
                                              "or its export rows")
    trace.add_argument("--year", type=int, required=True)
    trace.add_argument("--structure", help="I-MILO structure code, e.g. 59386S00")
    trace.add_argument("--commune", help="INSEE code of the commune (omit for the stated total)")
    trace.add_argument("--indicator", help="indicator code of the catalogue")
    trace.add_argument("--fact", help="instead of --structure/--commune/--indicator: the fact_id of a "
                                      "row of mart_breakdown_year or mart_programme_year")
    trace.add_argument("--source", choices=("report", "exports"),
                       help="report: down to the document line; exports: down to the I-MILO export "
                            "rows the recomputed figure counts (default: the report if it prints "
                            "the figure, else the exports)")
    trace.add_argument("--limit", type=int, default=20,
                       help="export rows to list (all are counted; default 20)")
    codegen = commands.add_parser("codegen", help="regenerate dbt files from the indicator catalogue")
    codegen.add_argument("--check", action="store_true", help="exit 1 when they are out of date")
    commands.add_parser("catalogue", help="rebuild published/latest.duckdb from the current releases")
    audit_page = commands.add_parser("audit-page", help="the audit page (HTML) of a year's current release")
    audit_page.add_argument("--year", type=int, required=True)
    audit_page.add_argument("--render", action="store_true",
                            help="render the page again even if it exists (e.g. after a template change)")
    audit_page.add_argument("--screenshot", metavar="OUT.png", help="also save a PNG of the page "
                                                                    "(headless Chromium)")
    add_review_parser(commands)
    args = parser.parse_args(argv)
    if args.command == "review":
        from orchestration.settings import Settings

        return review_command(Settings.from_env(), args)
    if args.command == "run":
        return _run(args.force)
    if args.command == "verify":
        from pathlib import Path

        from orchestration.publication import release_problems

        problems = release_problems(Path(args.release))
        for problem in problems:
            print(f"TAMPERED or incomplete: {problem}")
        if not problems:
            print(f"{Path(args.release).resolve()}: intact (every file matches the manifest, "
                  "the manifest matches the publication log)")
        return 1 if problems else 0
    if args.command == "trace":
        from orchestration.settings import Settings
        from orchestration.trace import TraceQuery, trace, trace_fact

        if not args.fact and not (args.structure and args.indicator):
            parser.error("trace needs --fact, or --structure and --indicator")
        try:
            lines = trace_fact(Settings.from_env(), args.year, args.fact) if args.fact else \
                trace(Settings.from_env(), TraceQuery(args.year, args.structure, args.commune,
                                                      args.indicator, args.source, args.limit))
        except LookupError as error:
            print(f"not found: {error}", file=sys.stderr)
            return 1
        print("\n".join(lines))
        return 0
    if args.command == "catalogue":
        from orchestration.latest_catalogue import build_latest_catalogue
        from orchestration.settings import Settings

        published = Settings.from_env().published_dir
        catalogue = build_latest_catalogue(published)
        if catalogue is None:
            print(f"{published}: no published year, no catalogue written", file=sys.stderr)
            return 1
        print(f"every year's current release in one place: {catalogue}")
        return 0
    if args.command == "audit-page":
        from orchestration.audit_page.command import audit_page_command
        from orchestration.settings import Settings

        return audit_page_command(Settings.from_env(), args.year, args.render, args.screenshot)
    if args.command == "codegen":
        from orchestration import codegen

        return codegen.main(["--check"] if args.check else [])
    return 2


def _run(force: bool) -> int:
    """`mlw run`: the report, then one line saying what happened, with the exit code."""
    from orchestration.fast_path import STILL_NOTHING_TO_PUBLISH, unchanged_years
    from orchestration.run_outcome import (
        EXIT_LOCKED,
        EXIT_NO_INPUTS,
        EXIT_NOT_WRITABLE,
        EXIT_OK,
        exit_code,
        summary_line,
    )
    from orchestration.settings import Settings, no_inputs_message

    settings = Settings.from_env()
    if (missing := no_inputs_message(settings)) is not None:
        print(f"mlw run: {missing} (exit {EXIT_NO_INPUTS})", file=sys.stderr)
        return EXIT_NO_INPUTS
    if not force and (unchanged := unchanged_years(settings)) is not None:
        from orchestration.publication import current_release
        for year in unchanged:  # inputs, code and decisions as in the last run: nothing rebuilt
            release = current_release(settings.published_dir, year)  # none: nothing to publish
            kept = f"release {release} kept" if release else STILL_NOTHING_TO_PUBLISH
            print(f"{year}: unchanged: {kept} (mlw run --force rebuilds)")
        return EXIT_OK
    from orchestration.run import print_report, run_all
    from orchestration.run_guard import RunLocked, RunRefused

    try:
        report = run_all(settings, _instance(), force=force)
    except RunRefused as refused:
        code = EXIT_LOCKED if isinstance(refused, RunLocked) else EXIT_NOT_WRITABLE
        print(f"mlw run: {refused} (exit {code})", file=sys.stderr)
        return code
    print_report(settings, report)
    for path in report.removed_partials:
        print(f"Removed a release left half-written by a killed run: {path}")
    for year, damage in sorted(report.damaged.items()):
        print(f"Damaged release of {year}: {damage}; " + (
            f"republished as {report.published[year]}" if year in report.published
            else "not replaced: the year is blocked"))
    if report.unreadable:
        print(f"\nInputs that could not be read ({len(report.unreadable)}):")
        for line in report.unreadable:
            print(f"  {line}")
    print(summary_line(report.loaded, report.published, report.blocked, report.unreadable,
                       report.nothing_to_publish))
    return exit_code(report.loaded, report.blocked, report.unreadable)


def _instance() -> DagsterInstance:
    """The persistent instance of $DAGSTER_HOME (default: .dagster/ under the project, without
    telemetry), so that `dagster dev` shows the runs afterwards."""
    import os

    from dagster import DagsterInstance

    from orchestration.settings import PROJECT_ROOT

    if not os.environ.get("DAGSTER_HOME"):
        home = PROJECT_ROOT / ".dagster"
        home.mkdir(exist_ok=True)
        config = home / "dagster.yaml"
        if not config.exists():
            config.write_text("telemetry:\n  enabled: false\n", encoding="utf-8")
        os.environ["DAGSTER_HOME"] = str(home)
    return DagsterInstance.get()


if __name__ == "__main__":
    sys.exit(main())
