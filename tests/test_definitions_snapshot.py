"""The asset graph that `dagster dev -m orchestration.definitions` loads, snapshotted: asset
keys, groups, dependencies, partitions and checks. A change to the graph shows up as a diff of
tests/expected/definitions_snapshot.json, to be read in review, rather than in the UI.

Regenerate after an intended change: MLW_UPDATE_SNAPSHOT=1 .venv/bin/python -m pytest
tests/test_definitions_snapshot.py
"""

from __future__ import annotations

import importlib
import json
import os
from pathlib import Path

from dagster import Definitions

SNAPSHOT = Path(__file__).parent / "expected" / "definitions_snapshot.json"
UPDATE = "MLW_UPDATE_SNAPSHOT"


def _partitions(partitions_def) -> dict | None:
    """The partitioning, not its keys (they grow with the calendar)."""
    if partitions_def is None:
        return None
    return {"type": type(partitions_def).__name__, "start": partitions_def.start.strftime("%Y"),
            "cron_schedule": partitions_def.cron_schedule, "fmt": partitions_def.fmt,
            "end_offset": partitions_def.end_offset}


def graph_snapshot(defs: Definitions, placeholders: dict[str, str]) -> dict:
    """`placeholders`: key -> what the snapshot says instead (a key that depends on a path)."""
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "deps": sorted(parent.to_user_string() for parent in node.parent_keys),
            "partitions": _partitions(node.partitions_def),
        }
    checks = sorted(f"{check.asset_key.to_user_string()}:{check.name}" for check in graph.asset_check_keys)
    jobs = sorted(job.name for job in defs.jobs or [])
    text = json.dumps({"assets": assets, "asset_checks": checks, "jobs": jobs})
    for key, placeholder in placeholders.items():
        text = text.replace(json.dumps(key), json.dumps(placeholder))
    return json.loads(text)


def test_definitions_match_the_snapshot(tmp_path, monkeypatch):
    """One document and one export, named explicitly (their graph does not depend on their
    content): every asset and check the project defines for them."""
    from orchestration.assets.documents import document_asset_key

    document = tmp_path / "inputs" / "rapport_2023.txt"
    document.parent.mkdir()
    document.write_text("Rapport d'activité 2023\n", encoding="utf-8")
    monkeypatch.setenv("MLW_WAREHOUSE", str(tmp_path / "warehouse" / "warehouse.duckdb"))
    monkeypatch.setenv("MLW_INPUTS", str(tmp_path / "inputs"))
    monkeypatch.setenv("MLW_IMILO_EXPORTS", str(tmp_path / "exports" / "imilo_ml_2023"))
    import orchestration.definitions

    defs = importlib.reload(orchestration.definitions).defs
    snapshot = graph_snapshot(defs, {document_asset_key(document).to_user_string():
                                     "documents/rapport_2023_txt_<hash of its path>"})
    if os.environ.get(UPDATE):
        SNAPSHOT.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert snapshot == expected, (
        f"the asset graph differs from {SNAPSHOT.name}; if the change is intended, regenerate it "
        f"with {UPDATE}=1 .venv/bin/python -m pytest tests/test_definitions_snapshot.py and "
        "review the diff")
