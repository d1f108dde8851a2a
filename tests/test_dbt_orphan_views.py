"""A renamed or deleted model leaves no stale view behind: the project's on-run-end hook
(macros/drop_orphan_views.sql) drops, at the end of a real dbt run, the staging and intermediate
views that no model builds any more, and nothing else."""

from __future__ import annotations

import duckdb

from dbt_helpers import land_document_raw, query, run_dbt


def test_views_of_no_model_are_dropped_and_the_rest_kept(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    land_document_raw(warehouse, [], structure="59386S00")
    with duckdb.connect(str(warehouse)) as connection:
        connection.execute("create schema staging; create schema intermediate; create schema star")
        # a view of a model's former name, one of a deleted model, and what is not the project's
        connection.execute("create view staging.stg_report_facts as select * from raw.report_facts")
        connection.execute("create view intermediate.int_gone as select 1 as x")
        connection.execute("create view staging.analyst_view as select 1 as x")
        connection.execute("create table star.stg_kept_table as select 1 as x")

    run = run_dbt(tmp_path, warehouse, "run", "--select", "stg_documents__report_facts")
    assert run.returncode == 0, run.stdout[-4000:]

    remaining = {f"{schema}.{name}" for schema, name in query(
        warehouse, "select table_schema, table_name from information_schema.tables"
                   " where table_schema in ('staging', 'intermediate', 'star')")}
    assert remaining == {"staging.stg_documents__report_facts", "staging.analyst_view", "star.stg_kept_table"}
    assert "dropping view staging.stg_report_facts" in run.stdout
