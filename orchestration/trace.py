"""`mlw trace`: from a published figure down to the line of the document that prints it.

The chain, as an auditor follows it:
  1. the current release of the year (folder, manifest checksum of the mart file) and the value
     it publishes;
  2. the mart row in the warehouse (marts.mart_commune_year) and the dbt models it is built
     from (read from dbt's manifest: mart <- fct <- stg <- raw source);
  3. the extracted fact(s) (star.fct_published_indicator): document path, SHA-256, page, line,
     bounding box and the raw text of the line, as read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.catalogue import load_catalogue
from orchestration.dbt_manifest import MANIFEST
from orchestration.publication import current_release
from orchestration.settings import Settings
from orchestration.warehouse import connect

MART_MODEL = "model.missions_locales_warehouse.mart_commune_year"


@dataclass(frozen=True)
class TraceQuery:
    year: int
    structure: str
    commune: str | None  # INSEE code; None for the stated total
    indicator: str


def trace(settings: Settings, query: TraceQuery) -> list[str]:
    """The lines `mlw trace` prints; raises LookupError when the figure is not published."""
    catalogue = load_catalogue()
    if query.indicator not in catalogue or catalogue[query.indicator].grain != "commune":
        raise LookupError(f"{query.indicator!r} is not a commune indicator of the catalogue "
                          "(extractors/catalogue/indicators.yaml)")
    lines = [f"Figure: {query.indicator}, {query.year}, structure {query.structure}, "
             f"{'commune ' + query.commune if query.commune else 'stated total'}"]
    lines += _published(settings, query)
    lines += _mart(settings, query)
    lines += ["  built by dbt: " + " <- ".join(_lineage(MART_MODEL))]
    lines += _facts(settings, query)
    return lines


def _published(settings: Settings, query: TraceQuery) -> list[str]:
    release = current_release(settings.published_dir, query.year)
    if release is None:
        return [f"1. Published: nothing published for {query.year} (no release)"]
    parquet = release / "mart_commune_year.parquet"
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    value = duckdb.connect().execute(
        f"select \"{query.indicator}\" from read_parquet(?) where structure_code = ? and "
        f"{_commune_condition(query)}", [str(parquet), query.structure]).fetchone()
    if value is None:
        raise LookupError(f"{query.indicator} is not in the {query.year} release {release}")
    return [f"1. Published value: {_show(value[0])}",
            f"   release {release} (created {manifest['created_at']})",
            f"   file mart_commune_year.parquet, SHA-256 {manifest['files'][parquet.name]['sha256']}"
            " (check with `mlw verify`)"]


def _mart(settings: Settings, query: TraceQuery) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        row = connection.execute(
            f"select \"{query.indicator}\", commune_name from marts.mart_commune_year "
            f"where year = ? and structure_code = ? and {_commune_condition(query)}",
            [query.year, query.structure]).fetchone()
    if row is None:
        return ["2. Warehouse: no row in marts.mart_commune_year"]
    return [f"2. Warehouse: marts.mart_commune_year, row {row[1]}: {_show(row[0])}"]


def _facts(settings: Settings, query: TraceQuery) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        facts = connection.execute(
            "select fact_id, value, flags, document_path, document_sha256, source_page, source_line, "
            "source_bbox, source_text from star.fct_published_indicator where year = ? and "
            "structure_code = ? and indicator_code = ? and "
            + ("commune_insee = ? and not is_total" if query.commune else "is_total and dimension_key = ''"),
            [query.year, query.structure, query.indicator, *([query.commune] if query.commune else [])],
        ).fetchall()
    if not facts:
        raise LookupError(f"no extracted figure for {query}")
    lines = []
    for fact_id, value, flags, path, sha, page, line, bbox, text in facts:
        lines += [f"3. Extracted figure {fact_id}: {_show(value)}"
                  + (f" (flags: {', '.join(flags)})" if flags else ""),
                  f"   document {path}",
                  f"   SHA-256 {sha}",
                  f"   {'page ' + str(page) + ', ' if page else ''}line {line}"
                  + (f", bbox {list(bbox)}" if bbox else ""),
                  f"   printed: {text!r}"]
    return lines


def _lineage(node: str) -> list[str]:
    """The model and its upstream models and sources, following the first parent each time
    that carries the figures (the dbt manifest's parent map)."""
    manifest = json.loads(Path(MANIFEST).read_text(encoding="utf-8"))
    chain, current = [], node
    while current:
        chain.append(current.split(".")[-1] if not current.startswith("source.")
                     else "source " + ".".join(current.split(".")[-2:]))
        parents = [p for p in manifest["parent_map"].get(current, []) if not p.startswith("seed.")]
        facts_first = sorted(parents, key=lambda p: ("fct_" not in p and "stg_report" not in p
                                                    and "report_facts" not in p, p))
        current = facts_first[0] if facts_first else None
    return chain


def _commune_condition(query: TraceQuery) -> str:
    return f"commune_insee = '{query.commune}'" if query.commune else "is_stated_total"


def _show(value: object) -> str:
    return f"{float(value):g}" if value is not None else "null"
