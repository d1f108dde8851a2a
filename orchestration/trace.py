"""`mlw trace`: from a published figure down to its source, a document line or export rows.

A figure (year, structure, commune or stated total, indicator) comes from one of two sources:

- a report (`--source report`): the chain, as an auditor follows it, is
  1. the current release of the year (folder, manifest checksum of the mart file) and the value
     it publishes;
  2. the mart row in the warehouse (marts.mart_commune_year) and the dbt models it is built
     from (read from dbt's manifest: mart <- fct <- stg <- raw source);
  3. the extracted fact(s) (star.fct_published_indicator): document path, SHA-256, page, line,
     bounding box and the raw text of the line, as read.
- the I-MILO exports (`--source exports`): the figure recomputed from individual records,
  marts.mart_commune_year_recomputed, down to the export files and lines it counts
  (orchestration/trace_exports.py).

Without --source, a figure a report prints is traced to the report, and one that only the
exports give (an indicator the report does not print there) to the exports.
"""

from __future__ import annotations

import json
from collections import deque
from dataclasses import dataclass
from pathlib import Path

import duckdb

from extractors.catalogue import load_catalogue
from orchestration.dbt_manifest import MANIFEST
from orchestration.publication import current_release
from orchestration.settings import Settings
from orchestration.warehouse import connect

DBT_NODE = "model.missions_locales_warehouse."
MART_MODEL = DBT_NODE + "mart_commune_year"
REPORT_SOURCE = "source.missions_locales_warehouse.raw.report_facts"
SOURCES = ("report", "exports")


@dataclass(frozen=True)
class TraceQuery:
    year: int
    structure: str
    commune: str | None  # INSEE code; None for the stated total
    indicator: str
    source: str | None = None  # "report", "exports", or None: the report if it prints the figure
    limit: int = 20            # export rows listed (all are counted)


def trace(settings: Settings, query: TraceQuery) -> list[str]:
    """The lines `mlw trace` prints; raises LookupError when the figure is not published."""
    source = query.source or _default_source(settings, query)
    if source == "exports":
        from orchestration.trace_exports import trace_exports  # it reuses this module's helpers

        return trace_exports(settings, query)
    catalogue = load_catalogue()
    if query.indicator not in catalogue or catalogue[query.indicator].grain != "commune":
        raise LookupError(f"{query.indicator!r} is not a commune indicator of the catalogue "
                          "(extractors/catalogue/indicators.yaml)")
    lines = [f"Figure: {describe(query)}"]
    lines += _published(settings, query)
    lines += _mart(settings, query)
    lines += ["  built by dbt: " + " <- ".join(lineage(MART_MODEL, REPORT_SOURCE))]
    lines += _facts(settings, query)
    return lines


def describe(query: TraceQuery) -> str:
    return (f"{query.indicator}, {query.year}, structure {query.structure}, "
            f"{'commune ' + query.commune if query.commune else 'stated total'}")


def _default_source(settings: Settings, query: TraceQuery) -> str:
    """The report when a document prints the figure; else the exports when they recompute it."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        printed = connection.execute(
            "select count(*) from star.fct_published_indicator where year = ? and structure_code = ? "
            "and indicator_code = ? and " + _fact_condition(query),
            [query.year, query.structure, query.indicator, *commune_params(query)]).fetchone()[0]
        recomputed = _table_exists(connection, "intermediate", "int_imilo_recomputed_indicators") \
            and connection.execute("select count(*) from intermediate.int_imilo_recomputed_indicators "
                                   "where indicator_code = ?", [query.indicator]).fetchone()[0]
    return "exports" if recomputed and not printed else "report"


def release_row(settings: Settings, query: TraceQuery, mart: str,
                columns: str) -> tuple[Path, dict, tuple | None] | None:
    """(release folder, manifest, the figure's row of `<mart>.parquet` or None) of the year's
    current release; None when nothing is published for the year."""
    release = current_release(settings.published_dir, query.year)
    if release is None:
        return None
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    parquet = release / f"{mart}.parquet"
    if not parquet.is_file():
        return release, manifest, None
    row = duckdb.connect().execute(
        f"select {columns} from read_parquet(?) where structure_code = ? and "
        f"{commune_condition(query)}", [str(parquet), query.structure, *commune_params(query)]).fetchone()
    return release, manifest, row


def release_lines(release: Path, manifest: dict, mart: str) -> list[str]:
    return [f"   release {release} (created {manifest['created_at']})",
            f"   file {mart}.parquet, SHA-256 {manifest['files'][mart + '.parquet']['sha256']}"
            " (check with `mlw verify`)"]


def _published(settings: Settings, query: TraceQuery) -> list[str]:
    found = release_row(settings, query, "mart_commune_year", f'"{query.indicator}"')
    if found is None:
        return [f"1. Published: nothing published for {query.year} (no release)"]
    release, manifest, value = found
    if value is None:
        raise LookupError(f"{query.indicator} is not in the {query.year} release {release}")
    return [f"1. Published value: {show(value[0])}", *release_lines(release, manifest, "mart_commune_year")]


def _mart(settings: Settings, query: TraceQuery) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        row = connection.execute(
            f"select \"{query.indicator}\", commune_name from marts.mart_commune_year "
            f"where year = ? and structure_code = ? and {commune_condition(query)}",
            [query.year, query.structure, *commune_params(query)]).fetchone()
    if row is None:
        return ["2. Warehouse: no row in marts.mart_commune_year"]
    return [f"2. Warehouse: marts.mart_commune_year, row {row[1]}: {show(row[0])}"]


def _facts(settings: Settings, query: TraceQuery) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as connection:
        facts = connection.execute(
            "select fact_id, value, flags, document_path, document_sha256, source_page, source_line, "
            "source_bbox, source_text from star.fct_published_indicator where year = ? and "
            "structure_code = ? and indicator_code = ? and " + _fact_condition(query),
            [query.year, query.structure, query.indicator, *commune_params(query)],
        ).fetchall()
    if not facts:
        raise LookupError(f"no extracted figure for {query}")
    lines = []
    for fact_id, value, flags, path, sha, page, line, bbox, text in facts:
        lines += [f"3. Extracted figure {fact_id}: {show(value)}"
                  + (f" (flags: {', '.join(flags)})" if flags else ""),
                  f"   document {path}",
                  f"   SHA-256 {sha}",
                  f"   {'page ' + str(page) + ', ' if page else ''}line {line}"
                  + (f", bbox {list(bbox)}" if bbox else ""),
                  f"   printed: {text!r}"]
    return lines


def lineage(start: str, target: str) -> list[str]:
    """The dbt models from `start` down to `target` (a source), the shortest way through the
    parent map of dbt's manifest: the models a figure of `start` passes through."""
    manifest = json.loads(Path(MANIFEST).read_text(encoding="utf-8"))
    parents = manifest["parent_map"]
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue and target not in came_from:
        node = queue.popleft()
        for parent in sorted(parents.get(node, [])):
            if parent not in came_from and not parent.startswith("seed."):
                came_from[parent] = node
                queue.append(parent)
    if target not in came_from:
        return [start.split(".")[-1], f"(no path to {target.split('.')[-1]} in dbt's manifest)"]
    node: str | None = target
    chain = []
    while node:
        source = manifest["sources"].get(node)
        chain.append(f"source {source['schema']}.{source['name']}" if source else node.split(".")[-1])
        node = came_from[node]
    return chain[::-1]


def _table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table]).fetchone()[0])


def commune_condition(query: TraceQuery) -> str:
    """The figure's row of a mart (parameters: commune_params)."""
    return "commune_insee = ?" if query.commune else "is_stated_total"


def _fact_condition(query: TraceQuery) -> str:
    return "commune_insee = ? and not is_total" if query.commune else "is_total and dimension_key = ''"


def commune_params(query: TraceQuery) -> list[str]:
    return [query.commune] if query.commune else []


def show(value: object) -> str:
    """A figure as printed: 132, 49.3, 1234567.5 (no exponent, no trailing zeros)."""
    return format(float(value), "f").rstrip("0").rstrip(".") if value is not None else "null"
