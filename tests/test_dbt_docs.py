"""Every dbt model is tested and described, every source declares its columns, and the dbt unit
tests pass.

The project is built for real (dbt CLI, DuckDB file) on an empty raw layer, then `dbt docs
generate` writes the catalog: the columns each relation really has. They are compared with the
descriptions of dbt's manifest, which is what the dbt docs, the Dagster asset metadata and the
released DuckDB file's comments read, so an undescribed column is found whether or not the yml
lists it.
"""

from __future__ import annotations

import json

import pytest

from dbt_helpers import land_document_raw, run_dbt
from extractors.imilo.tables import ensure_tables

PROJECT = "missions_locales_warehouse"


@pytest.fixture(scope="module")
def documented(tmp_path_factory) -> dict:
    """The build's run results, the manifest and the catalog of the whole project."""
    tmp_path = tmp_path_factory.mktemp("dbt_docs")
    warehouse = tmp_path / "warehouse.duckdb"
    land_document_raw(warehouse, [], structure="59386S00")
    ensure_tables(warehouse)  # the I-MILO raw tables, empty, as before a first export
    build = run_dbt(tmp_path, warehouse, "build")
    assert build.returncode == 0, build.stdout[-4000:]
    target = tmp_path / "target"
    # read before `docs generate`, which writes its own run_results.json
    run_results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))
    docs = run_dbt(tmp_path, warehouse, "docs", "generate")
    assert docs.returncode == 0, docs.stdout[-4000:]
    return {"run_results": run_results,
            **{name: json.loads((target / f"{name}.json").read_text(encoding="utf-8"))
               for name in ("manifest", "catalog")}}


def ours(nodes: dict, *resource_types: str) -> dict:
    return {uid: node for uid, node in nodes.items()
            if node.get("package_name", PROJECT) == PROJECT and node["resource_type"] in resource_types}


def undescribed_columns(manifest: dict, catalog: dict) -> list[str]:
    """'<model>.<column>' for every column of a built model or seed without a description."""
    missing = []
    for uid, node in ours(manifest["nodes"], "model", "seed").items():
        built = catalog["nodes"].get(uid)
        if built is None:  # not built: ephemeral or disabled
            continue
        described = {name.lower() for name, column in node["columns"].items()
                     if column.get("description", "").strip()}
        missing += [f"{node['name']}.{name}" for name in built["columns"] if name.lower() not in described]
    return sorted(missing)


def test_every_model_and_seed_column_is_described(documented):
    missing = undescribed_columns(documented["manifest"], documented["catalog"])
    assert missing == [], f"{len(missing)} columns without a description in the yml: {missing}"


def test_every_model_says_its_grain(documented):
    vague = sorted(node["name"] for node in ours(documented["manifest"]["nodes"], "model").values()
                   if "one row per" not in node["description"].lower())
    assert vague == [], f"models whose description does not say 'One row per ...': {vague}"


def test_every_model_has_a_data_test(documented):
    manifest = documented["manifest"]
    tested = {parent for node in ours(manifest["nodes"], "test").values()
              for parent in node["depends_on"]["nodes"]}
    untested = sorted(node["name"] for uid, node in ours(manifest["nodes"], "model").items()
                      if uid not in tested)
    assert untested == [], f"models without any data test: {untested}"


def test_every_source_table_declares_its_columns_as_landed(documented):
    manifest, catalog = documented["manifest"], documented["catalog"]
    problems = []
    for uid, source in ours(manifest["sources"], "source").items():
        declared = {name.lower() for name, column in source["columns"].items()
                    if column.get("description", "").strip()}
        landed = catalog["sources"].get(uid)
        name = f"{source['source_name']}.{source['name']}"
        if not declared:
            problems.append(f"{name}: no column declared")
        elif landed is not None and {c.lower() for c in landed["columns"]} != declared:
            problems.append(f"{name}: declared {sorted(declared)}, landed {sorted(landed['columns'])}")
    assert problems == [], "\n".join(problems)


def test_the_unit_tests_ran_and_passed(documented):
    results = {result["unique_id"]: result["status"] for result in documented["run_results"]["results"]}
    unit_tests = ours(documented["manifest"].get("unit_tests", {}), "unit_test")
    assert {uid.split(".")[-1] for uid in unit_tests} >= {
        "suppression_hides_small_communes_then_the_smallest_visible_one",
        "suppression_of_outcomes_keeps_totals_true",
        "annual_rebuild_selects_only_the_rebuilt_year",
        "annual_rebuild_without_the_year_selects_every_year",
    }
    assert {uid: results.get(uid) for uid in unit_tests} == {uid: "pass" for uid in unit_tests}


# Models without a uniqueness test on a key, and why.
KEYLESS = {
    "stg_documents__extraction_issues": "an issue is a message: several may share a document line",
    "int_imilo_indicator_records": ("a view over every counted export record (tens of millions for a "
                                    "national year): a uniqueness test would compute it whole at each "
                                    "build; what it counts is tested through int_imilo_indicator_values"),
}


def test_every_model_has_a_key_test_or_says_why_not(documented):
    manifest = documented["manifest"]
    keyed = {parent for node in ours(manifest["nodes"], "test").values()
             if (node.get("test_metadata") or {}).get("name") in ("unique", "unique_combination_of_columns")
             for parent in node["depends_on"]["nodes"]}
    keyless = sorted(node["name"] for uid, node in ours(manifest["nodes"], "model").items() if uid not in keyed)
    assert keyless == sorted(KEYLESS), f"models without a unique key test: {keyless}"
