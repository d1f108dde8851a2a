"""Opening the warehouse file and creating its tables: the one place both the extractors that
land rows (extractors/imilo) and the orchestration's warehouse package go through.

It imports nothing of the project, so the extractors need not import the orchestration (which
imports them). DuckDB allows one writer per file; every writer in this project runs in the one
Dagster process (in-process executor) or in the dbt subprocess that process waits for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import duckdb

# The `config` of every connection (memory limit, threads, spill folder): read from the
# environment by orchestration/duckdb_settings.py, which registers it here on import of the
# warehouse package (the extractors cannot import the orchestration).
_config_for: Callable[[Path], Mapping[str, str]] | None = None


def configure_connections(config_for: Callable[[Path], Mapping[str, str]]) -> None:
    global _config_for
    _config_for = config_for


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the warehouse file, closed on exit (its folder created for a writer)."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = dict(_config_for(path)) if _config_for else {}
    connection = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        yield connection
    finally:
        connection.close()


def ensure_table(connection: duckdb.DuckDBPyConnection, table: str,
                 column_types: Mapping[str, str]) -> None:
    """Create `schema.table` (and its schema) if missing, and add the columns a warehouse built
    before they existed lacks: audit and raw tables only ever gain columns."""
    schema = table.split(".")[0]
    connection.execute(f"create schema if not exists {schema}")
    connection.execute(f"create table if not exists {table} ({column_definitions(column_types)})")
    for column, sql_type in column_types.items():
        connection.execute(f"alter table {table} add column if not exists {column} {sql_type}")


def column_definitions(column_types: Mapping[str, str]) -> str:
    """The column list of a `create table` statement."""
    return ", ".join(f"{column} {sql_type}" for column, sql_type in column_types.items())
