"""The key tests (`unique`, `unique_combination_of_columns`) still find a repeated key now that
DuckDB compares the keys' hashes first (dbt_project/macros/unique_by_hash.sql).

A real dbt build on the hand-made raw layer of export_marts_rows.py, its contacts reduced to those
of one export file and one of them listed twice (two lines): the staging key test and the fact's
key test find that contact and only it (the fact fails, the staging warns); the provenance key (file, line) still holds.
"""

from __future__ import annotations

import hashlib
import json

import duckdb

from dbt_helpers import run_dbt
from export_marts_rows import land, published


def test_a_contact_listed_twice_by_one_export_fails_its_key_tests(tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    land(warehouse, published())
    with duckdb.connect(str(warehouse)) as connection:
        contact_id, structure, file = connection.execute(
            "select contact_id, structure_code, export_file from raw.imilo_contacts order by all limit 1").fetchone()
        # the contacts of one export file only: the fact keeps every row it lists (macros/imilo_years.sql)
        connection.execute("delete from raw.imilo_contacts where export_file <> ?", [file])
        connection.execute("insert into raw.imilo_contacts select * replace (10000 as export_line) "
                           "from raw.imilo_contacts where contact_id = ? and export_file = ?", [contact_id, file])

    result = run_dbt(tmp_path, warehouse, "build", "--select", "+fct_contact", "--exclude-resource-type",
                     "unit_test", "--store-failures")

    assert result.returncode == 1, result.stdout
    results = {r["unique_id"].split(".")[2]: r
               for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
               if r["unique_id"].startswith("test.")}
    outcomes = {name: (r["status"], r["failures"]) for name, r in results.items()}
    assert outcomes["unique_fct_contact_contact_key"] == ("fail", 1)
    # severity warn: two exports may list the same contact
    assert outcomes["unique_combination_of_columns_stg_imilo__contacts_structure_code__contact_id"] == ("warn", 1)
    assert outcomes["unique_combination_of_columns_int_imilo_contacts_export_file__export_line"] == ("pass", 0)
    assert outcomes["not_null_fct_contact_contact_key"] == ("pass", 0)
    with duckdb.connect(str(warehouse), read_only=True) as connection:  # the rows each test returned
        def failing_rows(test: str, columns: str) -> list[tuple]:
            return connection.execute(f"select {columns} from {results[test]['relation_name']}").fetchall()

        assert failing_rows("unique_fct_contact_contact_key", "unique_field, n_records") == \
            [(hashlib.md5(f"{structure}:{contact_id}".encode()).hexdigest(), 2)]
        assert failing_rows("unique_combination_of_columns_stg_imilo__contacts_structure_code__contact_id",
                            "structure_code, contact_id, row_count") == [(structure, str(contact_id), 2)]
