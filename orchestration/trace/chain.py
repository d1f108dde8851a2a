"""The links of a trace that both sources share: the year's current release (value and
checksum) and the dbt models between a mart and its raw source (dbt's manifest)."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import duckdb

from orchestration.dbt_manifest import MANIFEST
from orchestration.publication import current_release
from orchestration.settings import Settings
from orchestration.trace.query import TraceQuery, commune_condition, commune_params


def release_row(settings: Settings, query: TraceQuery, mart: str,
                columns: str) -> tuple[Path, dict, tuple | None] | None:
    """(release folder, manifest, the figure's row of `<mart>.parquet` or None) of the year's
    current release; None when nothing is published for the year."""
    release = current_release(settings.published_dir, query.year)
    if release is None:
        return None
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    parquet = release / f"{mart}.parquet"
    if not parquet.is_file():
        return release, manifest, None
    row = duckdb.connect().execute(
        f"select {columns} from read_parquet(?) where structure_code = ? and "
        f"{commune_condition(query)}", [str(parquet), query.structure, *commune_params(query)]).fetchone()
    return release, manifest, row


def release_lines(release: Path, manifest: dict, mart: str) -> list[str]:
    return [f"   release {release} (created {manifest['created_at']})",
            f"   file {mart}.parquet, SHA-256 {manifest['files'][mart + '.parquet']['sha256']}"
            " (check with `mlw verify`)"]


def lineage(start: str, target: str) -> list[str]:
    """The dbt models from `start` down to `target` (a source), the shortest way through the
    parent map of dbt's manifest: the models a figure of `start` passes through."""
    manifest = json.loads(Path(MANIFEST).read_text(encoding="utf-8"))
    parents = manifest["parent_map"]
    came_from: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue and target not in came_from:
        node = queue.popleft()
        for parent in sorted(parents.get(node, [])):
            if parent not in came_from and not parent.startswith("seed."):
                came_from[parent] = node
                queue.append(parent)
    if target not in came_from:
        return [start.split(".")[-1], f"(no path to {target.split('.')[-1]} in dbt's manifest)"]
    node: str | None = target
    chain = []
    while node:
        source = manifest["sources"].get(node)
        chain.append(f"source {source['schema']}.{source['name']}" if source else node.split(".")[-1])
        node = came_from[node]
    return chain[::-1]


def source_lines(path: str, sha256: str, page: int | None, line: int | None, bbox, text: str | None,
                 ) -> list[str]:
    """Where an extracted figure was read: document, checksum, page and line, printed text."""
    return [f"   document {path}",
            f"   SHA-256 {sha256}",
            f"   {'page ' + str(page) + ', ' if page else ''}line {line}"
            + (f", bbox {list(bbox)}" if bbox else ""),
            f"   printed: {text!r}"]


def table_exists(connection: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    return bool(connection.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table]).fetchone()[0])
