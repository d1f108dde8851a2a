"""The DuckDB warehouse file: every read and write of it goes through this package.

- connection: `connect`, from extractors/duckdb_connection.py (the I-MILO extractors land their
  rows through it too, without importing the orchestration);
- raw_schemas.py: the documents' raw tables, declared once (pyarrow schema, DDL, dbt sources);
- raw_layer.py: landing the extraction results into them;
- audit.py: the audit tables (gate results, build digests, publication attempts);
- build_inputs.py: the digests that let `mlw run` skip unchanged steps (audit.build_inputs).

DuckDB allows one writer per file; every writer in this project runs in the one Dagster
process (in-process executor) or in the dbt subprocess that process waits for.
"""

from extractors.duckdb_connection import configure_connections, connect
from orchestration.duckdb_settings import connection_config
from orchestration.warehouse.audit import has_table
from orchestration.warehouse.raw_layer import land_raw_layer
from orchestration.warehouse.raw_schemas import RAW_SCHEMA, RAW_TABLE_SCHEMAS, raw_source_columns

configure_connections(connection_config)  # memory limit, threads, spill folder: on every connection

__all__ = ["RAW_SCHEMA", "RAW_TABLE_SCHEMAS", "connect", "has_table", "land_raw_layer",
           "raw_source_columns"]
