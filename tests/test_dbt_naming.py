"""The dbt models follow docs/naming.md, read from dbt's own manifest (`dbt parse`, no database):
the layer prefix is the folder and the schema, a staging model is `stg_<source>__<entity>` of the
one source table it reads, an intermediate model names its source, and what the star and the
marts publish refers to the dimensions it carries a code of."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dbt_helpers import run_dbt

PROJECT = "missions_locales_warehouse"
SCHEMA_OF_PREFIX = {"stg": "staging", "int": "intermediate", "dim": "star", "fct": "star",
                    "bridge": "star", "mart": "marts"}
# A column holding a dimension's code, and the dimension it must be a key of.
DIMENSION_OF_COLUMN = {"structure_code": "dim_structure", "commune_insee": "dim_commune",
                       "indicator_code": "dim_indicator", "programme_code": "dim_programme"}


@pytest.fixture(scope="module")
def manifest(tmp_path_factory) -> dict:
    tmp_path = tmp_path_factory.mktemp("dbt_naming")
    parse = run_dbt(tmp_path, tmp_path / "warehouse.duckdb", "parse")
    assert parse.returncode == 0, parse.stdout[-4000:]
    return json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))


def models(manifest: dict) -> dict[str, dict]:
    return {uid: node for uid, node in manifest["nodes"].items()
            if node["resource_type"] == "model" and node["package_name"] == PROJECT}


def test_layer_prefix_is_folder_and_schema(manifest):
    wrong = []
    for node in models(manifest).values():
        prefix = node["name"].split("_", 1)[0]
        layer = SCHEMA_OF_PREFIX.get(prefix)
        folder = Path(node["original_file_path"]).parent.name
        if layer is None or node["schema"] != layer or folder != layer:
            wrong.append(f"{node['name']}: schema {node['schema']}, folder {folder}")
    assert wrong == [], wrong


def test_staging_model_is_named_after_its_source_and_table(manifest):
    wrong = []
    for node in models(manifest).values():
        if not node["name"].startswith("stg_"):
            continue
        sources = [manifest["sources"][uid] for uid in node["depends_on"]["nodes"] if uid.startswith("source.")]
        expected = {f"stg_{s['source_name']}__{s['name'].removeprefix(s['source_name'] + '_')}" for s in sources}
        if len(sources) != 1 or node["name"] not in expected:
            wrong.append(f"{node['name']}: reads {[s['unique_id'] for s in sources]}")
    assert wrong == [], wrong


def test_intermediate_model_names_its_source(manifest):
    source_names = {source["source_name"] for source in manifest["sources"].values()}
    pattern = re.compile(rf"int_({'|'.join(sorted(source_names))})_[a-z0-9_]+")
    wrong = sorted(node["name"] for node in models(manifest).values()
                   if node["name"].startswith("int_") and not pattern.fullmatch(node["name"]))
    assert wrong == [], f"not int_<source>_<purpose> (sources {sorted(source_names)}): {wrong}"


def test_dimension_codes_of_the_star_and_marts_are_tested_against_their_dimension(manifest):
    related = {(node["attached_node"], node["column_name"], node["test_metadata"]["kwargs"]["to"])
               for node in manifest["nodes"].values()
               if (node.get("test_metadata") or {}).get("name") == "relationships"}
    missing = [f"{node['name']}.{column} -> {dimension}"
               for uid, node in models(manifest).items() if node["schema"] in ("star", "marts")
               for column, dimension in DIMENSION_OF_COLUMN.items()
               if column in node["columns"] and node["name"] != dimension
               and (uid, column, f"ref('{dimension}')") not in related]
    assert missing == [], f"columns holding a dimension's code without a relationships test: {missing}"
