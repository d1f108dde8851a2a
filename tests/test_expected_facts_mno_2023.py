"""`python -m extractors` on the real 2023 ML MNO report matches the hand-typed expected facts.

tests/expected/ml_mno_rapport_activite_2023.yaml was typed from the report by hand (see the
README beside it), independently of the extractor: every cell of every table, its line and
its flags. The comparison is exact, both ways: nothing missing, nothing extra.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

EXPECTED_FILE = Path(__file__).with_name("expected") / "ml_mno_rapport_activite_2023.yaml"

Cell = tuple[str, tuple[tuple[str, str], ...], float, int, bool, tuple[str, ...]]


def _expected_cells() -> Counter[Cell]:
    data = yaml.safe_load(EXPECTED_FILE.read_text(encoding="utf-8"))
    return Counter(
        (table["indicator"], tuple(sorted((k, str(v)) for k, v in fact["dims"].items())),
         float(fact["value"]), fact["line"], bool(fact.get("total", False)),
         tuple(sorted(fact.get("flags", []))))
        for table in data["tables"] for fact in table["facts"]
    )


def _extracted_cells(report: Path) -> tuple[Counter[Cell], list[dict]]:
    printed = subprocess.run([sys.executable, "-m", "extractors", str(report)],
                             capture_output=True, text=True, check=False)
    facts = [json.loads(line) for line in printed.stdout.splitlines() if line.strip()]
    cells = Counter(
        (fact["indicator"],
         tuple(sorted((k, v) for k, v in fact["dimensions"].items() if k != "commune")),
         float(fact["value"]), fact["source"]["line"], fact["is_total"], tuple(sorted(fact["flags"])))
        for fact in facts
    )
    return cells, facts


def test_every_cell_of_the_2023_report_is_extracted_as_typed_by_hand(mno_2023):
    expected = _expected_cells()
    extracted, facts = _extracted_cells(mno_2023)
    missing = sorted(expected - extracted)
    extra = sorted(extracted - expected)
    assert not missing and not extra, (
        f"{len(missing)} expected cells not extracted, e.g. {missing[:5]}; "
        f"{len(extra)} extracted cells not expected, e.g. {extra[:5]}")
    assert {fact["year"] for fact in facts} == {2023}
    assert {fact["structure"] for fact in facts} == {"59386S00"}


def test_commune_facts_carry_the_official_name_beside_the_insee_code(mno_2023):
    _, facts = _extracted_cells(mno_2023)
    with_commune = [fact for fact in facts if "commune_insee" in fact["dimensions"]]
    assert with_commune and all(fact["dimensions"]["commune"] for fact in with_commune)
    lambersart = {fact["dimensions"]["commune"] for fact in with_commune
                  if fact["dimensions"]["commune_insee"] == "59328"}
    assert lambersart == {"Lambersart"}
