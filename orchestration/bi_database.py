"""The release's DuckDB file for BI tools: tables, commune-only views and their comments, in a
storage format that old DuckDB readers open.

BI tools embed the DuckDB of their release (Metabase's and Superset's drivers, Evidence, DBeaver
lag months or years behind), and a DuckDB file written in the newest storage format is refused by
every older reader. The file is therefore written through `ATTACH ... (STORAGE_VERSION ...)`
with the oldest format this project supports; tests open a real release with DuckDB 1.1.3 and
with the current DuckDB (tests/test_release_readers.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

STORAGE_VERSION = "v1.1.0"
OLDEST_READER = "1.1.3"  # the DuckDB release the tests open releases with
# Views a plain SUM is right on: the mart's commune rows, without the report's "Total" rows.
COMMUNE_VIEWS = {
    "mart_commune_year_communes": "mart_commune_year",
    "mart_commune_year_recomputed_communes": "mart_commune_year_recomputed",
}


def commune_view_sql(table: str) -> str:
    """The commune rows of a commune mart (its stated totals are left out)."""
    return f'select * from "{table}" where not is_stated_total and commune_insee is not null'


def write_bi_database(path: Path, tables: Mapping[str, pd.DataFrame],
                      descriptions: Mapping[str, Mapping[str, str]],
                      column_types: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, object]:
    """Write `tables` (name -> rows) and the commune-only views into a new DuckDB file at `path`,
    each table, view and column commented from `descriptions` (name -> {"": table description,
    column: description}), and each table as `<name>.parquet` beside it, from the same typed
    table. `column_types` (name -> column -> DuckDB type, the warehouse's) keeps the types pandas
    loses: an empty mart's text columns would otherwise be typed NULL, which old readers refuse.
    Returns what the manifest states of the file."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{_literal(path)}' as bi (storage_version '{STORAGE_VERSION}')")
        for name, frame in tables.items():
            connection.register("incoming", frame)
            connection.execute(f'create table bi."{name}" as select '
                               f'{_typed_columns(frame, (column_types or {}).get(name, {}))} from incoming')
            connection.unregister("incoming")
            _comment(connection, "table", name, descriptions.get(name, {}))
            connection.execute(f"copy bi.\"{name}\" to '{_literal(path.parent / f'{name}.parquet')}' "
                               "(format parquet)")
        for view, table in views_of(tables).items():
            connection.execute(f'create view bi."{view}" as {commune_view_sql(table)}'
                               .replace(f'from "{table}"', f'from bi."{table}"'))
            _comment(connection, "view", view, descriptions.get(view, {}))
        connection.execute("detach bi")
    return {"file": path.name, "storage_version": STORAGE_VERSION,
            "opens_with": f"DuckDB {OLDEST_READER} and later",
            "tested_readers": {f"duckdb {OLDEST_READER}": "tests/test_release_readers.py",
                               f"duckdb {duckdb.__version__}": _read_back(path, tables)}}


def _typed_columns(frame: pd.DataFrame, types: Mapping[str, str]) -> str:
    """The select list: each column cast to its warehouse type when known."""
    return ", ".join(f'cast("{column}" as {types[column]}) as "{column}"' if column in types
                     else f'"{column}"' for column in frame.columns) or "*"


def views_of(tables: Mapping[str, object]) -> dict[str, str]:
    """The commune-only views whose mart is among `tables`."""
    return {view: table for view, table in COMMUNE_VIEWS.items() if table in tables}


def _comment(connection: duckdb.DuckDBPyConnection, kind: str, name: str,
             description: Mapping[str, str]) -> None:
    if description.get(""):
        connection.execute(f"comment on {kind} bi.\"{name}\" is '{_literal(description[''])}'")
    columns = {row[0] for row in connection.execute(
        "select column_name from duckdb_columns() where database_name = 'bi' and table_name = ?",
        [name]).fetchall()}
    for column, text in description.items():
        if column and column in columns and text:
            connection.execute(f"comment on column bi.\"{name}\".\"{column}\" is '{_literal(text)}'")


def _read_back(path: Path, tables: Mapping[str, pd.DataFrame]) -> str:
    """Open the written file read-only with this process's DuckDB and count every table's and
    view's rows: the reader the release is written with is checked at each publication."""
    with duckdb.connect(str(path), read_only=True) as connection:
        for name, frame in tables.items():
            rows = connection.execute(f'select count(*) from "{name}"').fetchone()[0]
            if rows != len(frame):
                raise RuntimeError(f"{path}: table {name} reads back {rows} rows, {len(frame)} written")
        for view in views_of(tables):
            connection.execute(f'select count(*) from "{view}"').fetchone()
    return "opened and read at publication"


def _literal(text: object) -> str:
    return str(text).replace("'", "''")
