"""The descriptions of a release's tables and columns, and its data dictionary.

Descriptions are dbt's (the model and column descriptions of the project's parsed manifest,
themselves generated from the indicator catalogue for the indicator columns), so that the
release, the dbt docs and the Dagster UI say the same thing. Columns added at publication
(origins) have theirs in `release_contents`. Where dbt leaves a column undescribed, generic
fallbacks apply, in order: a column named after an indicator (`<code>` or `<code>_recomputed`)
gets the catalogue's label, unit and definition (dim_indicator), a `<code>_recomputed` column
the description of `<code>` marked as recomputed, and a column another published table shares
(year, structure_code...) that table's description of it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from orchestration.bi_database import COMMUNE_VIEWS, views_of
from orchestration.dbt_manifest import ensure_manifest
from orchestration.release_contents import ORIGIN_DESCRIPTIONS

Descriptions = dict[str, dict[str, str]]  # table -> {"": table description, column: description}
RECOMPUTED = "_recomputed"
DICTIONARY_COLUMNS = ["table", "column", "type", "description", "unit"]


def dbt_descriptions(models: set[str]) -> Descriptions:
    """Model and column descriptions of these dbt models, from dbt's parsed manifest."""
    manifest = json.loads(ensure_manifest().read_text(encoding="utf-8"))
    found: Descriptions = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] == "model" and node["name"] in models:
            found[node["name"]] = {"": (node.get("description") or "").strip(),
                                   **{name: (column.get("description") or "").strip()
                                      for name, column in node.get("columns", {}).items()}}
    return found


def release_descriptions(tables: Mapping[str, pd.DataFrame]) -> Descriptions:
    """Every table, view and column of a release described as far as dbt and this module know;
    what stays empty is undescribed (see `undescribed`)."""
    known = dbt_descriptions(set(tables))
    indicators = _indicator_descriptions(tables.get("dim_indicator"))
    shared = {column: text for own in known.values() for column, text in own.items() if column and text}
    described: Descriptions = {}
    for name, frame in tables.items():
        own = known.get(name, {})
        columns = {column: own.get(column) or ORIGIN_DESCRIPTIONS.get(column)
                   or _recomputed_description(column, own) or _indicator_description(column, indicators)
                   or shared.get(column) or "" for column in frame.columns}
        described[name] = {"": own.get("", ""), **columns}
    for view, table in views_of(tables).items():
        described[view] = {**described[table],
                           "": f"The commune rows of {table}, without the report's 'Total' rows "
                               "(is_stated_total): a plain SUM over communes is right here."}
    return described


def undescribed(descriptions: Descriptions) -> list[str]:
    """`table.column` (or `table` alone) of everything without a description."""
    return [f"{table}.{column}" if column else table
            for table, columns in descriptions.items() for column, text in columns.items() if not text]


def data_dictionary(tables: Mapping[str, pd.DataFrame], descriptions: Descriptions,
                    types: Mapping[str, Mapping[str, str]],
                    units: Mapping[str, str]) -> pd.DataFrame:
    """One row per column of every table and view: table, column, DuckDB type, description,
    unit (of the indicator columns, from the catalogue). `types`: table -> column -> type."""
    rows = []
    for table in [*tables, *views_of(tables)]:
        source = COMMUNE_VIEWS.get(table, table)
        for column, data_type in types[source].items():
            unit = units.get(column) or units.get(column.removesuffix(RECOMPUTED)) or ""
            rows.append([table, column, data_type, descriptions[table].get(column, ""), unit])
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)


def _indicator_descriptions(dim_indicator: pd.DataFrame | None) -> dict[str, str]:
    """indicator code -> "label (unit): definition", from the catalogue."""
    if dim_indicator is None:
        return {}
    return {row.indicator_code: f"{row.label} ({row.unit}): {row.definition}".strip()
            for row in dim_indicator.itertuples()}


def _indicator_description(column: str, indicators: Mapping[str, str]) -> str | None:
    if column in indicators:
        return indicators[column]
    base = indicators.get(column.removesuffix(RECOMPUTED)) if column.endswith(RECOMPUTED) else None
    return f"{base} Recomputed from the I-MILO exports (small counts hidden)." if base else None


def _recomputed_description(column: str, own: Mapping[str, str]) -> str | None:
    base = own.get(column.removesuffix(RECOMPUTED)) if column.endswith(RECOMPUTED) else None
    return (f"{base} Recomputed from the I-MILO exports (small counts hidden); see "
            "recomputed_data_origin.") if base else None
