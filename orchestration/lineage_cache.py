"""Column lineage of the dbt models, kept from one dbt run to the next while its inputs stay.

Column lineage (dbt_metadata.py) comes from sqlglot, which parses and optimises each model's
compiled SQL: ~6 s for the 24 annual models with dagster-dbt's builder (~2 s since
column_lineage.py computes a model in one pass), whatever the size of the data, paid again for
every year although a model's lineage only changes with its SQL and the columns it reads. So
each model's lineage is stored with the digest of what it is computed from:

- the compiled SQL without its comments, with the build year and the year after it (the date
  range of the year's rows: macros/imilo_years.sql) written as placeholders, since a literal
  never makes a column depend on another;
- the columns and types of the model and of the relations it reads, and the asset keys of
  the latter (what the lineage names);
- the versions of sqlglot, which computes it, and of dagster-dbt, which names the assets, and
  how the entry stores it.

A model whose digest is the stored one reuses the stored lineage (none, when sqlglot could not
follow its SQL); any other is computed and replaces it. One entry per model, in
`<dbt target folder>/column_lineage.json`, next to dbt's own partial parse.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib.metadata import version as installed_version
from pathlib import Path
from typing import Any

from dagster import TableColumnLineage, deserialize_value, serialize_value

CACHE_FILE = "column_lineage.json"
# How an entry stores its lineage (dagster's serialisation): part of the digest, so that an entry
# stored otherwise is computed again, never misread.
_ENTRY_FORMAT = "dagster-serialize_value"


class LineageCache:
    """The stored lineage of each model (unique_id -> digest and lineage) of one target folder."""

    def __init__(self, target_path: Path) -> None:
        self.path = target_path / CACHE_FILE
        self.reused = 0
        self.computed = 0
        try:
            self._entries: dict[str, dict[str, Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):  # none yet, or unreadable: every lineage is computed
            self._entries = {}

    def lineage(self, unique_id: str, digest: str,
                compute: Callable[[], TableColumnLineage | None]) -> TableColumnLineage | None:
        """The stored lineage when `digest` is the stored one, else `compute()`'s, stored."""
        entry = self._entries.get(unique_id)
        if entry is not None and entry["digest"] == digest:
            self.reused += 1
            stored = entry["lineage"]
            return None if stored is None else deserialize_value(stored, TableColumnLineage)
        lineage = compute()
        self.computed += 1
        self._entries[unique_id] = {"digest": digest,
                                    "lineage": None if lineage is None else serialize_value(lineage)}
        return lineage

    def save(self) -> None:
        """Write the entries (atomically: a run stopped halfway leaves the previous file)."""
        if not self.computed:
            return
        partial = self.path.with_suffix(".partial")
        partial.write_text(json.dumps(self._entries, sort_keys=True), encoding="utf-8")
        partial.replace(self.path)


def lineage_digest(unique_id: str, compiled_sql: str, year: int | None,
                   columns_read: Mapping[str, Mapping[str, Any]], own_columns: Mapping[str, Any],
                   parent_assets: list[str]) -> str:
    """What a model's column lineage is computed from (see the module's docstring)."""
    compiled_sql = _without_comments(compiled_sql)  # e.g. "`--vars '{year: 2023}'` builds 2023"
    if year is not None:
        compiled_sql = re.sub(rf"\b{year}\b", "{build_year}", compiled_sql)
        compiled_sql = re.sub(rf"\b{year + 1}\b", "{year_after}", compiled_sql)
    parts = [unique_id, compiled_sql, sorted((name, repr(columns)) for name, columns in columns_read.items()),
             repr(own_columns), parent_assets, _computing_versions(), _ENTRY_FORMAT]
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


# A string literal (kept: quotes may hold "--"), a line comment or a block comment.
_LITERAL_OR_COMMENT = re.compile(r"'(?:[^']|'')*'|--[^\n]*|/\*.*?\*/", re.DOTALL)


def _without_comments(sql: str) -> str:
    return _LITERAL_OR_COMMENT.sub(lambda match: match[0] if match[0].startswith("'") else "", sql)


@cache
def _computing_versions() -> tuple[str, ...]:
    """sqlglot's and dagster-dbt's versions: read once, when a digest is first needed."""
    return tuple(installed_version(package) for package in ("sqlglot", "dagster-dbt"))
