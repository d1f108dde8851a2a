"""Row counts, column schemas and column lineage on the materialisations of the dbt assets.

dagster-dbt can fetch these itself (`stream().fetch_row_counts().fetch_column_metadata()`), but
it opens the DuckDB file in-process through the dbt adapter while this project keeps one writer
per file (the dbt subprocess holds it while it runs). So the events of a dbt run are buffered;
once dbt has exited, the warehouse is opened once, read-only, and every materialisation of a
model or seed gets:

  dagster/row_count            the table's rows (views are not counted: it would run their query)
  dagster/partition_row_count  annual models: the rows of the run's year
  dagster/column_schema        columns and types (information_schema), with dbt's descriptions
  dagster/column_lineage       for each column, the upstream assets and columns it reads, from
                               the compiled SQL (column_lineage.py: dagster-dbt's sqlglot
                               method in one pass per model, fed with the schemas read here
                               instead of through the adapter); reused from the previous run
                               while its inputs stay (lineage_cache.py)

Every other event (asset checks from dbt tests, observations) is kept as it is, in order.
Metadata never fails a build: on any error the event goes out as dbt gave it, with a warning.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dagster import (AssetKey, AssetMaterialization, Output, TableColumn, TableColumnLineage, TableSchema,
                     get_dagster_logger)
from dagster._core.definitions.metadata import TableMetadataSet
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation
from sqlglot.errors import SqlglotError

from orchestration.column_lineage import compiled_sql_path, model_column_lineage
from orchestration.lineage_cache import LineageCache, lineage_digest
from orchestration.progress import dbt_output_to_log
from orchestration.warehouse import connect

logger = get_dagster_logger(__name__)  # in the run's log, beside dbt's events

DbtEvent = Any  # Output | AssetMaterialization | AssetCheckResult | AssetCheckEvaluation | AssetObservation
Relation = tuple[str, str]  # (schema, table), lower case
Columns = dict[str, str]  # column name -> DuckDB type, in table order


def stream_with_table_metadata(invocation: DbtCliInvocation, warehouse_path: Path,
                               year: int | None = None) -> Iterator[DbtEvent]:
    """The invocation's Dagster events, materialisations enriched once dbt has exited.

    `year` is the partition an annual run rebuilt (its rows are counted apart). If dbt failed,
    the events it gave are still yielded (enriched) before its error is raised again.
    """
    command = str(invocation.dbt_command)
    if year is not None:  # the year goes through the environment (orchestration/dbt_invocation.py)
        command += f"  (MLW_BUILD_YEAR={year})"
    with dbt_output_to_log(warehouse_path, command):  # not the console
        events, error = _drain(invocation.stream())
    started = time.perf_counter()
    cache = LineageCache(invocation.target_path)
    try:
        events, enriched = _enrich(events, invocation, warehouse_path, year, cache)
        cache.save()
    except Exception:  # noqa: BLE001 - metadata must never fail the build
        logger.warning("dbt table metadata skipped: the warehouse could not be read", exc_info=True)
        enriched = 0
    logger.info("dbt table metadata: %d materialisations enriched in %.2f s (column lineage of "
                "%d models computed, of %d reused from the previous run)",
                enriched, time.perf_counter() - started, cache.computed, cache.reused)
    yield from events
    if error is not None:
        raise error


def _drain(events: Iterable[DbtEvent]) -> tuple[list[DbtEvent], Exception | None]:
    """Every event up to the end of the dbt process, and the error that ended it, if any."""
    drained: list[DbtEvent] = []
    try:
        for event in events:
            drained.append(event)
    except Exception as error:  # noqa: BLE001 - re-raised by the caller after the events
        return drained, error
    return drained, None


def _enrich(events: list[DbtEvent], invocation: DbtCliInvocation, warehouse_path: Path,
            year: int | None, cache: LineageCache) -> tuple[list[DbtEvent], int]:
    manifest = _run_manifest(invocation)
    nodes = {i: manifest["nodes"][uid] for i, event in enumerate(events)
             if (uid := _materialised_unique_id(event)) and uid in manifest["nodes"]}
    if not nodes:
        return events, 0
    with connect(warehouse_path, read_only=True) as connection:
        columns = _warehouse_columns(connection)
        counts = {i: _row_counts(connection, node, year) for i, node in nodes.items()
                  if node["config"].get("materialized") != "view"}
    enriched = list(events)
    for i, node in nodes.items():
        try:
            metadata = _node_metadata(node, manifest, columns, counts.get(i), invocation, year, cache)
        except Exception:  # noqa: BLE001
            logger.warning("dbt table metadata skipped for %s", node["unique_id"], exc_info=True)
            continue
        enriched[i] = events[i].with_metadata({**events[i].metadata, **metadata})
    return enriched, len(nodes)


def _run_manifest(invocation: DbtCliInvocation) -> Mapping[str, Any]:
    """The manifest this run wrote: its relation names are those of its compiled SQL (the
    database is named after the warehouse file, which the load-time manifest may not match)."""
    path = invocation.target_path / "manifest.json"
    return json.loads(path.read_text()) if path.is_file() else invocation.manifest


def _materialised_unique_id(event: DbtEvent) -> str | None:
    if not isinstance(event, (Output, AssetMaterialization)):
        return None
    unique_id = event.metadata.get("unique_id")
    return getattr(unique_id, "text", unique_id)


def _relation(node: Mapping[str, Any]) -> Relation:
    name = node.get("alias") or node.get("identifier") or node["name"]
    return node["schema"].lower(), name.lower()


def _warehouse_columns(connection) -> dict[Relation, Columns]:
    """Every table's and view's columns, in one query."""
    rows = connection.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() "
        "order by table_schema, table_name, ordinal_position").fetchall()
    columns: dict[Relation, Columns] = {}
    for schema, table, column, data_type in rows:
        columns.setdefault((schema.lower(), table.lower()), {})[column] = data_type
    return columns


def _row_counts(connection, node: Mapping[str, Any], year: int | None) -> tuple[int, int | None]:
    """(rows of the table, rows of `year` or None when the model is not annual)."""
    table = ".".join(_quoted(part) for part in _relation(node))
    year_column = _year_column(node) if year is not None else None
    if year_column is None:
        return connection.execute(f"select count(*) from {table}").fetchone()[0], None
    total, in_year = connection.execute(
        f"select count(*), count(*) filter (where {_quoted(year_column)} = ?) from {table}",
        [year]).fetchone()
    return total, in_year


def _year_column(node: Mapping[str, Any]) -> str | None:
    """annual_incremental() (macros/annual.sql) makes the year column the unique key."""
    key = node["config"].get("unique_key")
    return key if "annual" in node.get("tags", []) and isinstance(key, str) else None


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _node_metadata(node: Mapping[str, Any], manifest: Mapping[str, Any],
                   columns: Mapping[Relation, Columns], counts: tuple[int, int | None] | None,
                   invocation: DbtCliInvocation, year: int | None,
                   cache: LineageCache) -> dict[str, Any]:
    own = columns.get(_relation(node), {})
    documented = node.get("columns", {})
    schema = TableSchema(columns=[
        TableColumn(name=name, type=data_type,
                    description=documented.get(name, {}).get("description") or None)
        for name, data_type in own.items()])
    metadata: dict[str, Any] = dict(TableMetadataSet(column_schema=schema))
    if counts is not None:
        row_count, partition_row_count = counts
        metadata.update(TableMetadataSet(row_count=row_count, partition_row_count=partition_row_count))
    try:
        lineage = _cached_column_lineage(node, manifest, columns, own, invocation, year, cache)
    except Exception:  # noqa: BLE001 - e.g. dagster-dbt changed its builder: keep the rest
        logger.warning("%s: no column lineage", node["unique_id"], exc_info=True)
        lineage = None
    if lineage is not None:
        metadata.update(TableMetadataSet(column_lineage=lineage))
    return metadata


def _cached_column_lineage(node: Mapping[str, Any], manifest: Mapping[str, Any],
                           columns: Mapping[Relation, Columns], own: Columns,
                           invocation: DbtCliInvocation, year: int | None,
                           cache: LineageCache) -> TableColumnLineage | None:
    """The model's column lineage, from the cache when its compiled SQL (year aside) and the
    columns it reads are those it was last computed from."""
    if node["resource_type"] != "model" or not own:
        return None
    sql = compiled_sql_path(invocation.target_path, node).read_text(encoding="utf-8")
    parents = relations_read(node, manifest, columns, sql)
    parent_assets = [invocation.dagster_dbt_translator.get_asset_spec(
        manifest, parent_id, invocation.project).key.to_user_string()
        for parent_id in node["depends_on"]["nodes"]]  # what the lineage names them
    digest = lineage_digest(node["unique_id"], sql, year, parents, own, parent_assets)

    def compute() -> TableColumnLineage | None:
        try:
            with _quiet_sqlglot():
                return _column_lineage(node, manifest, sql, own, parents, invocation)
        except SqlglotError as error:  # e.g. `union all by name`: sqlglot cannot follow every DuckDB construct
            logger.debug("%s: no column lineage, sqlglot cannot follow its SQL: %s",
                         node["unique_id"], error)
            return None

    return cache.lineage(node["unique_id"], digest, compute)


def relations_read(node: Mapping[str, Any], manifest: Mapping[str, Any],
                   columns: Mapping[Relation, Columns], sql: str) -> dict[str, dict[str, dict[str, str]]]:
    """The relations a model's compiled SQL reads, with their columns, by relation name: its dbt
    parents, and the warehouse relations it names outside dbt (the ingestion's audit tables,
    read through `adapter.get_relation`), without which sqlglot cannot follow the columns of
    the model's joins to them. Only the parents name assets in the lineage."""
    read = {}
    for parent_id in node["depends_on"]["nodes"]:
        parent = manifest["nodes"].get(parent_id) or manifest["sources"].get(parent_id)
        if parent and _relation(parent) in columns:
            read[parent["relation_name"]] = _typed(columns[_relation(parent)])
    for (schema, table), relation_columns in columns.items():
        name = f'{_quoted(node["database"])}.{_quoted(schema)}.{_quoted(table)}'
        if name not in read and name in sql:
            read[name] = _typed(relation_columns)
    return read


def _column_lineage(node: Mapping[str, Any], manifest: Mapping[str, Any], sql: str, own: Columns,
                    parents: dict[str, dict[str, dict[str, str]]],
                    invocation: DbtCliInvocation) -> TableColumnLineage:
    """Upstream columns of each column; columns without any resolved upstream are left out."""
    def asset_key_of(unique_id: str) -> AssetKey:
        return invocation.dagster_dbt_translator.get_asset_spec(
            manifest, unique_id, invocation.project).key

    lineage = model_column_lineage(node, manifest, sql, _typed(own), parents, asset_key_of)
    unresolved = sorted(column for column, deps in lineage.deps_by_column.items() if not deps)
    if unresolved:
        logger.debug("%s: no upstream column found for %s", node["unique_id"], ", ".join(unresolved))
    found = {column.lower(): deps for column, deps in lineage.deps_by_column.items() if deps}
    ordered = [name.lower() for name in own if name.lower() in found]  # the table's order
    return TableColumnLineage(deps_by_column={
        column: sorted(found[column], key=lambda dep: (dep.asset_key.to_user_string(), dep.column_name))
        for column in ordered})


@contextmanager
def _quiet_sqlglot() -> Iterator[None]:
    """sqlglot warns of each construct it cannot follow: for us, columns left out (debug)."""
    sqlglot_logger = logging.getLogger("sqlglot")
    level = sqlglot_logger.level
    sqlglot_logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        sqlglot_logger.setLevel(level)


def _typed(columns: Columns) -> dict[str, dict[str, str]]:
    """The shape dagster-dbt's lineage builder reads (dbt's column-level log events)."""
    return {name: {"data_type": data_type} for name, data_type in columns.items()}
