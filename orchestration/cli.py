"""`mlw`: the project's command line."""

from __future__ import annotations

import argparse
import sys

from dagster import DagsterInstance


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mlw", description="Missions Locales Warehouse")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("run", help="materialise every asset on the default inputs, gates included")
    args = parser.parse_args(argv)
    if args.command == "run":
        from orchestration.run import print_report, run_all
        from orchestration.settings import Settings

        settings = Settings.from_env()
        report = run_all(settings, DagsterInstance.get())
        print_report(settings, report)
        return 0 if report.success else 1
    return 2


if __name__ == "__main__":
    sys.exit(main())
