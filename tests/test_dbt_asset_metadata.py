"""Table metadata of the dbt assets when things go wrong: a failed dbt run, an unreadable
warehouse, SQL that sqlglot cannot follow. (A real run's row counts, schemas and column lineage
are checked in tests/test_pipeline.py, on the run it already makes.)"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from dagster import AssetCheckResult, AssetKey, Output

from orchestration.assets.dbt import TRANSLATOR
from orchestration.dbt_metadata import stream_with_table_metadata

PACKAGE = "missions_locales_warehouse"
MART = f"model.{PACKAGE}.mart_outcomes"
SOURCE = f"source.{PACKAGE}.raw.outcomes"


class FakeInvocation:
    """What stream_with_table_metadata reads of a DbtCliInvocation: the Dagster events of a
    dbt run (and the error that ended it, if any), its manifest and its target folder."""

    def __init__(self, events: list, target_path: Path, error: Exception | None = None):
        self.events, self.error, self.target_path = events, error, target_path
        self.dbt_command = ["dbt", "build"]  # named in the dbt log file
        self.dagster_dbt_translator, self.project = TRANSLATOR, None
        self.manifest = {
            "metadata": {"adapter_type": "duckdb"},
            "nodes": {MART: {
                "unique_id": MART, "resource_type": "model", "name": "mart_outcomes",
                "alias": "mart_outcomes", "schema": "marts", "package_name": PACKAGE,
                "relation_name": '"warehouse"."marts"."mart_outcomes"',
                "original_file_path": "models/marts/mart_outcomes.sql",
                "config": {"materialized": "incremental", "unique_key": "year"}, "tags": ["annual"],
                "columns": {"year": {"description": "Report edition year."}},
                "depends_on": {"nodes": [SOURCE]}}},
            "sources": {SOURCE: {"unique_id": SOURCE, "resource_type": "source", "name": "outcomes",
                                 "identifier": "outcomes", "schema": "raw",
                                 "relation_name": '"warehouse"."raw"."outcomes"'}},
        }

    def stream(self):
        yield from self.events
        if self.error is not None:
            raise self.error


def _events() -> list:
    check = AssetCheckResult(asset_key=AssetKey(["marts", "mart_outcomes"]), check_name="not_null_year",
                             passed=True)
    return [Output(None, output_name="mart_outcomes", metadata={"unique_id": MART}), check]


def test_a_failed_dbt_run_still_yields_its_events_in_order_then_its_error(tmp_path):
    events = _events()
    invocation = FakeInvocation(events, tmp_path, error=RuntimeError("dbt build failed"))
    seen = []
    with pytest.raises(RuntimeError, match="dbt build failed"):
        for event in stream_with_table_metadata(invocation, tmp_path / "missing.duckdb", 2023):
            seen.append(event)
    # The warehouse cannot be opened: the events go out as dbt gave them.
    assert seen == events


def test_sql_that_sqlglot_cannot_follow_keeps_row_counts_and_schema(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema raw; create schema marts")
        connection.execute("create table raw.outcomes as select * from (values "
                           "(2022, 3, 1), (2023, 5, 2), (2023, 7, 0)) t(year, employment, training)")
        connection.execute("create table marts.mart_outcomes as select year, outcome, value "
                           "from (unpivot raw.outcomes on employment, training "
                           "into name outcome value value)")
    compiled = tmp_path / "compiled" / PACKAGE / "models" / "marts" / "mart_outcomes.sql"
    compiled.parent.mkdir(parents=True)
    compiled.write_text('select year, outcome, value from (unpivot "warehouse"."raw"."outcomes" '
                        "on employment, training into name outcome value value)")

    output, check = list(stream_with_table_metadata(FakeInvocation(_events(), tmp_path), warehouse, 2023))

    assert output.metadata["dagster/row_count"].value == 6
    assert output.metadata["dagster/partition_row_count"].value == 4
    columns = output.metadata["dagster/column_schema"].schema.columns
    assert [(c.name, c.type, c.description) for c in columns] == [
        ("year", "INTEGER", "Report edition year."), ("outcome", "VARCHAR", None),
        ("value", "INTEGER", None)]
    assert "dagster/column_lineage" not in output.metadata
    assert check == _events()[1]  # dbt tests' results are kept as they are
