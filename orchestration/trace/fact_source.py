"""`mlw trace --fact ID`: a figure of a mart that publishes one row per printed figure
(mart_breakdown_year: profiles and key figures; mart_programme_year: programmes), down to the
document line.

Those marts carry each row's `fact_id`, so an auditor holding a row of a release asks about it
by that id. The chain is the commune trace's (report_source.py): the current release's row and
checksum, the mart row in the warehouse and the dbt models between, the extracted fact with its
provenance, and the reviewers' decisions the reading depends on (a renamed label accepted with
`mlw review accept`, for instance).
"""

from __future__ import annotations

import json

import duckdb

from orchestration.publication import current_release
from orchestration.review.dependence import decisions_behind
from orchestration.settings import Settings
from orchestration.trace.chain import lineage, release_lines, source_lines, table_exists
from orchestration.trace.query import DBT_NODE, show
from orchestration.trace.report_source import REPORT_SOURCE
from orchestration.warehouse import connect

FACT_MARTS = ("mart_breakdown_year", "mart_programme_year")


def trace_fact(settings: Settings, year: int, fact_id: str) -> list[str]:
    """The lines of the chain; raises LookupError when no mart of the year holds the fact."""
    mart = _mart_of(settings, year, fact_id)
    if mart is None:
        raise LookupError(f"fact {fact_id!r} is in no row of {' or '.join(FACT_MARTS)} for {year} "
                          "(commune figures are traced with --structure, --commune and --indicator)")
    lines = [f"Figure: fact {fact_id}, {year}, {mart}"]
    lines += _published(settings, year, fact_id, mart)
    lines += ["  built by dbt: " + " <- ".join(lineage(DBT_NODE + mart, REPORT_SOURCE))]
    lines += _fact(settings, fact_id)
    return lines


def _mart_of(settings: Settings, year: int, fact_id: str) -> str | None:
    with connect(settings.warehouse_path, read_only=True) as connection:
        for mart in FACT_MARTS:
            if table_exists(connection, "marts", mart) and connection.execute(
                    f"select count(*) from marts.{mart} where year = ? and fact_id = ?",
                    [year, fact_id]).fetchone()[0]:
                return mart
    return None


def _published(settings: Settings, year: int, fact_id: str, mart: str) -> list[str]:
    release = current_release(settings.published_dir, year)
    parquet = release / f"{mart}.parquet" if release else None
    if parquet is None or not parquet.is_file():
        return [f"1. Published: nothing published for {year} in {mart} (no release)"]
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    row = duckdb.connect().execute("select value from read_parquet(?) where fact_id = ?",
                                   [str(parquet), fact_id]).fetchone()
    if row is None:
        return [f"1. Published: not in the {year} release {release} (withheld)",
                *release_lines(release, manifest, mart)]
    return [f"1. Published value: {show(row[0])}", *release_lines(release, manifest, mart),
            f"2. Warehouse: marts.{mart}, row fact_id = {fact_id}"]


def _fact(settings: Settings, fact_id: str) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        row = connection.execute(
            "select year, indicator_code, structure_code, dimensions, value, flags, document_path, "
            "document_sha256, source_page, source_line, source_bbox, source_text "
            "from star.fct_published_indicator where fact_id = ?", [fact_id]).fetchone()
    if row is None:
        raise LookupError(f"no extracted figure {fact_id!r} in star.fct_published_indicator")
    year, indicator, structure, dimensions, value, flags, path, sha, page, line, bbox, text = row
    codes = json.loads(dimensions) if isinstance(dimensions, str) else dict(dimensions or {})
    split = ", ".join(f"{dimension} {code}" for dimension, code in sorted(codes.items()))
    return [f"3. Extracted figure {fact_id}: {indicator}, structure {structure}"
            + (f", {split}" if split else "") + f": {show(value)}"
            + (f" (flags: {', '.join(flags)})" if flags else ""),
            *source_lines(path, sha, page, line, bbox, text), *decisions_behind(year, text or "", codes)]
