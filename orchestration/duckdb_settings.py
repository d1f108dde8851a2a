"""DuckDB's memory, threads and spill folder, from the environment, on every connection.

A national year joins tens of millions of rows: without a limit DuckDB grows to most of the
machine's memory; with one it spills to disk instead. The same values reach dbt through
dbt_project/profiles.yml (same variables: `set_dbt_environment` sets them to the values in
force, since a profile cannot ask for the number of cores).

MLW_DUCKDB_MEMORY_LIMIT     e.g. 2GiB (default), 512MiB, 8GB
MLW_DUCKDB_THREADS          worker threads (default: DuckDB's, one per core)
MLW_DUCKDB_TEMP_DIRECTORY   where DuckDB spills (default: `<warehouse file>.tmp`, beside it)
"""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MEMORY_LIMIT = "2GiB"


def connection_config(database: Path) -> dict[str, str]:
    """The `config` of `duckdb.connect` for the database file `database`."""
    config = {"memory_limit": os.environ.get("MLW_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
              "temp_directory": os.environ.get("MLW_DUCKDB_TEMP_DIRECTORY")
              or str(Path(database).with_name(Path(database).name + ".tmp"))}
    if threads := os.environ.get("MLW_DUCKDB_THREADS"):
        config["threads"] = threads
    return config


def set_dbt_environment(database: Path) -> None:
    """dbt runs as a subprocess and reads these settings from the environment."""
    config = connection_config(database)
    os.environ["MLW_DUCKDB_MEMORY_LIMIT"] = config["memory_limit"]
    os.environ["MLW_DUCKDB_TEMP_DIRECTORY"] = config["temp_directory"]
    os.environ["MLW_DUCKDB_THREADS"] = config.get("threads") or str(os.cpu_count() or 1)
