"""What a release holds beside the gated marts: the dimensions a BI user joins to, and the
origin of every figure written into the rows themselves.

The origin is in the data, not only in the manifest: figures recomputed from an I-MILO export
pseudonymised with the public demo key come from a *generated* export (`make run` without a
key), and beside the report's figures they would read like an independent confirmation. Every
published mart therefore carries `data_origin` ('report', 'export' or 'demo_export'), and
mart_commune_year, which holds both, `recomputed_data_origin` for its `*_recomputed` columns.
The columns are added at publication, after the gate (which checks the marts' own columns), and
the release folder's name ends in `-demo` when any demo-key export was landed.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from orchestration.warehouse import connect

REPORT, EXPORT, DEMO_EXPORT = "report", "export", "demo_export"
EXPORT_MARTS = ("mart_commune_year_recomputed", "mart_outcomes_by_profile")
RECOMPUTED_ORIGIN = "recomputed_data_origin"
ORIGIN_DESCRIPTIONS = {
    "data_origin": "Where the row's figures come from: 'report' (read from a published activity "
                   "report), 'export' (recomputed from a real I-MILO export) or 'demo_export' "
                   "(recomputed from a GENERATED demo export: not real data, never a confirmation "
                   "of the report).",
    RECOMPUTED_ORIGIN: "Where the *_recomputed columns come from: 'export' (a real I-MILO export) "
                       "or 'demo_export' (a GENERATED demo export: not real data); empty when no "
                       "export was landed.",
}
# The dimensions a release carries: name -> query on the warehouse's star schema.
DIMENSIONS = {
    "dim_structure": "select structure_code, official_name, usual_name, seat_commune_insee "
                     "from star.dim_structure order by structure_code",
    "dim_commune": "select commune_insee, commune_name, epci_name, department_code, structure_code "
                   "from star.dim_commune order by commune_insee",
    "dim_indicator": "select indicator_code, label, unit, grain, definition "
                     "from star.dim_indicator order by indicator_code",
}


def export_origin(provenance: Mapping) -> str | None:
    """'demo_export' when any landed I-MILO export used the demo key, 'export' when exports were
    landed, None when none was."""
    exports = provenance.get("exports") or []
    if not exports:
        return None
    return DEMO_EXPORT if any(export.get("demo_key") for export in exports) else EXPORT


def with_data_origin(frames: Mapping[str, pd.DataFrame], origin: str | None) -> dict[str, pd.DataFrame]:
    """The marts with their origin columns (copies: the gated frames stay as checked)."""
    marked = {}
    for name, frame in frames.items():
        frame = frame.copy()
        frame["data_origin"] = pd.Series((origin if name in EXPORT_MARTS else REPORT),
                                         index=frame.index, dtype="string")
        if name == "mart_commune_year":
            frame[RECOMPUTED_ORIGIN] = pd.Series(origin, index=frame.index, dtype="string")
        marked[name] = frame
    return marked


def column_types(warehouse, tables: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """name -> column -> DuckDB type of these warehouse tables (name -> "schema.table")."""
    with connect(warehouse, read_only=True) as connection:
        return {name: dict(connection.execute(
            "select column_name, data_type from duckdb_columns() where schema_name = ? "
            "and table_name = ? order by column_index", table.split(".")).fetchall())
            for name, table in tables.items()}


def read_dimensions(warehouse) -> dict[str, pd.DataFrame]:
    """The structure, commune and indicator dimensions, with the names a BI user shows."""
    with connect(warehouse, read_only=True) as connection:
        return {name: connection.execute(sql).df() for name, sql in DIMENSIONS.items()}
