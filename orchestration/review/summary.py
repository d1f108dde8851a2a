"""`mlw run`'s line per published year: facts published, cells withheld, review items open."""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.publication import MANIFEST
from orchestration.review.withheld import read_review_items
from orchestration.settings import Settings
from orchestration.warehouse import connect


def review_lines(settings: Settings, releases: dict[int, str]) -> list[str]:
    """One line per year of `releases` (year -> release folder), read from its manifest and
    the warehouse; a hint to `mlw review` when something is open."""
    if not settings.warehouse_path.is_file():
        return []
    lines = []
    for year, release in sorted(releases.items()):
        manifest = json.loads((Path(release) / MANIFEST).read_text(encoding="utf-8"))
        withheld = len(manifest.get("withheld") or [])
        open_items = len(read_review_items(settings.warehouse_path, year))
        lines.append(f"  {year}: {_facts_published(settings, year)} facts published, {withheld} table(s) or "
                     f"cell(s) withheld, {open_items} review item(s) open"
                     + (" (mlw review)" if withheld or open_items else ""))
    return ["Review:", *lines] if lines else []


def _facts_published(settings: Settings, year: int) -> int:
    with connect(settings.warehouse_path, read_only=True) as connection:
        return connection.execute("select count(*) from star.fct_published_indicator where year = ?",
                                  [year]).fetchone()[0]


def print_review_lines(settings: Settings, releases: dict[int, str]) -> None:
    for line in review_lines(settings, releases):
        print(line)
