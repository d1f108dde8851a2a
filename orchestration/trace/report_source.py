"""`mlw trace --source report`: a figure a report prints, down to the document line.

The chain, as an auditor follows it:
  1. the current release of the year (folder, manifest checksum of the mart file) and the value
     it publishes;
  2. the mart row in the warehouse (marts.mart_commune_year) and the dbt models it is built
     from (read from dbt's manifest: mart <- fct <- stg <- raw source);
  3. the extracted fact(s) (star.fct_published_indicator): document path, SHA-256, page, line,
     bounding box and the raw text of the line, as read.
"""

from __future__ import annotations

from extractors.catalogue import load_catalogue
from orchestration.review.dependence import decisions_behind
from orchestration.settings import Settings
from orchestration.trace.chain import lineage, release_lines, release_row, source_lines
from orchestration.trace.query import (
    DBT_NODE,
    TraceQuery,
    commune_condition,
    commune_params,
    describe,
    fact_condition,
    show,
)
from orchestration.warehouse import connect

MART_MODEL = DBT_NODE + "mart_commune_year"
REPORT_SOURCE = "source.missions_locales_warehouse.documents.report_facts"


def trace_report(settings: Settings, query: TraceQuery) -> list[str]:
    """The lines of the chain; raises LookupError when the figure is not published."""
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
            "structure_code = ? and indicator_code = ? and " + fact_condition(query),
            [query.year, query.structure, query.indicator, *commune_params(query)],
        ).fetchall()
    if not facts:
        raise LookupError(f"no extracted figure for {query}")
    lines = []
    for fact_id, value, flags, path, sha, page, line, bbox, text in facts:
        lines += [f"3. Extracted figure {fact_id}: {show(value)}"
                  + (f" (flags: {', '.join(flags)})" if flags else ""),
                  *source_lines(path, sha, page, line, bbox, text), *decisions_behind(query.year, text or "")]
    return lines
