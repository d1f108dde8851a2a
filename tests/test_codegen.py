"""The dbt files generated from the indicator catalogue are committed up to date."""

from __future__ import annotations

import csv

import yaml

from extractors.catalogue import load_catalogue
from orchestration.codegen import MART_PROPERTIES_FILE, SEED_FILE, generate, main
from orchestration.codegen_docs import recomputed_rules


def test_generated_files_are_up_to_date():
    assert generate(check=True) == [], "run `python -m orchestration.codegen` and commit the result"
    assert main(["--check"]) == 0


def test_generated_files_follow_the_catalogue():
    catalogue = load_catalogue()
    with SEED_FILE.open(encoding="utf-8", newline="") as handle:
        seed = {row["indicator_code"]: row for row in csv.DictReader(handle)}
    assert set(seed) == set(catalogue)
    assert seed["new_registrations"]["unit"] == "count"

    properties = yaml.safe_load(MART_PROPERTIES_FILE.read_text(encoding="utf-8"))
    (model,) = properties["models"]
    columns = [column["name"] for column in model["columns"]]
    commune_indicators = sorted(code for code, ind in catalogue.items() if ind.grain == "commune")
    assert columns == ["year", "structure_code", "commune_insee", "commune_name", "is_stated_total",
                       *commune_indicators, "inconsistent_indicators",
                       *(f"{code}_recomputed" for code in sorted(recomputed_rules())),
                       "recomputed_suppressed_indicators"]
