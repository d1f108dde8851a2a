"""`mlw review`: list what the latest run could not settle, record decisions, in bulk too.

  mlw review [--year Y]                 open items grouped by kind, each with ID and suggestion
  mlw review accept ID [--as CODE]      the item's label means CODE (default: the suggestion)
  mlw review write FILE [--year Y]      the open items into an editable YAML or CSV file
  mlw review apply FILE                 accept every row of FILE whose `decision` is filled in

Decisions go into the curation folder (extractors/curation.py); the next `mlw run` applies
them, and the releases it publishes carry their SHA-256.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractors import curation
from orchestration.review.decisions import ACCEPT_SUGGESTION, NotSettledByAccept, accept, apply, write_review_file
from orchestration.review.items import OpenItem, by_kind, open_items
from orchestration.settings import Settings


def add_review_parser(commands: argparse._SubParsersAction) -> None:
    """Register `mlw review` and its actions on the command line's subcommands."""
    review = commands.add_parser("review", help="what the latest run could not settle, and decisions")
    review.add_argument("--year", type=int, help="only the items of this edition year")
    actions = review.add_subparsers(dest="action")
    accepted = actions.add_parser("accept", help="record the decision on one item")
    accepted.add_argument("item_id", metavar="ID")
    accepted.add_argument("--as", dest="code", help="the code the label means (default: the suggestion)")
    written = actions.add_parser("write", help="write the open items to an editable YAML or CSV file")
    written.add_argument("file", type=Path)
    applied = actions.add_parser("apply", help="accept every row of an edited review file")
    applied.add_argument("file", type=Path)


def review_command(settings: Settings, args: argparse.Namespace) -> int:
    """Run one `mlw review` action; its exit code (1: nothing recorded that was asked)."""
    if args.action == "apply":
        written, refused = apply(args.file)
        for line in refused:
            print(f"not recorded: {line}", file=sys.stderr)
        for path in written:
            print(f"decisions written: {path}")
        _next_step(written)
        return 1 if refused else 0
    items = open_items(settings.warehouse_path, args.year)
    if args.action == "write":
        print(f"{write_review_file(items, args.file)} open item(s) written to {args.file}: fill in `decision` "
              f"(a code, or '{ACCEPT_SUGGESTION}' for the suggestion), then `mlw review apply {args.file}`")
        return 0
    if args.action == "accept":
        return _accept(items, args.item_id, args.code)
    _print_items(settings, items)
    return 0


def _accept(items: list[OpenItem], item_id: str, code: str | None) -> int:
    matching = [item for item in items if item.item_id == item_id]
    if not matching:
        print(f"mlw review: no open item {item_id} in the latest run", file=sys.stderr)
        return 1
    try:
        path = accept(matching[0], code)
    except NotSettledByAccept as error:
        print(f"mlw review: {error}", file=sys.stderr)
        return 1
    print(f"recorded: {matching[0].dimension} '{matching[0].label}' ({matching[0].year}) -> "
          f"{code or matching[0].suggestion} in {path}")
    _next_step([path])
    return 0


def _next_step(written: list[Path]) -> None:
    if written:
        print(f"curation {curation.curation_dir()} (SHA-256 {curation.digest()}): "
              "the next `mlw run` applies it")


def _print_items(settings: Settings, items: list[OpenItem]) -> None:
    print(f"Open items of the latest run ({settings.warehouse_path}): {len(items)}")
    for kind, group in by_kind(items).items():
        print(f"\n{kind} ({len(group)}):")
        for item in group:
            print(f"  {item.item_id}  {item.year or '-'}  {item.where()}  {_what(item)}")
    print(f"\ncuration {curation.curation_dir()} (SHA-256 {curation.digest()})")
    if items:
        print("settle one: mlw review accept ID [--as CODE]; many: mlw review write FILE, "
              "fill in `decision`, mlw review apply FILE")


def _what(item: OpenItem) -> str:
    if item.label is not None:
        subject = f"{item.dimension or item.indicator or ''} '{item.label}'".strip()
    else:
        subject = repr(item.text)
    suggestion = f" -> suggestion: {item.suggestion}" if item.suggestion else ""
    return f"{subject}{suggestion} ({item.reason})"
