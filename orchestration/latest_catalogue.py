"""`published/latest.duckdb`: every year's current release in one place, so that a trend across
years is one query.

One view per table of the releases, over the Parquet files of every year's current release
(`read_parquet([...], union_by_name = true)`: a column a year lacks reads as NULL), the commune-
only views, the dimensions of the newest release, and `releases` (one row per year: its release
folder, whether demo data was used, each mart's gate status). Comments are copied from the
newest release's marts.duckdb.

Paths: DuckDB resolves a relative path in a view against the *process's* working directory, not
the database file's folder, so the views name the release files by **absolute path**, resolved
through `current` to the immutable release folder: the catalogue is a consistent snapshot that a
later publication never changes under a reader, and it is rebuilt after each publication. Moving
the `published` folder therefore needs a rebuild (`build_latest_catalogue`). The file is written
beside itself and renamed, so a reader sees the previous catalogue or the new one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb

from orchestration.bi_database import COMMUNE_VIEWS, STORAGE_VERSION, commune_view_sql
from orchestration.publication import BI_DATABASE, CURRENT, MANIFEST

LATEST = "latest.duckdb"
DIMENSIONS = ("dim_structure", "dim_commune", "dim_indicator")


def current_releases(published_dir: Path) -> dict[int, Path]:
    """year -> its current release folder (resolved), for every published year."""
    releases = {}
    for year_dir in sorted(published_dir.iterdir()) if published_dir.is_dir() else []:
        link = year_dir / CURRENT
        if year_dir.name.isdigit() and link.exists():
            releases[int(year_dir.name)] = link.resolve()
    return releases


def build_latest_catalogue(published_dir: Path) -> Path | None:
    """(Re)write published/latest.duckdb from the current releases; None when there is none."""
    releases = current_releases(published_dir)
    if not releases:
        return None
    target = published_dir / LATEST
    partial = published_dir / f".{LATEST}.partial"
    partial.unlink(missing_ok=True)
    newest = releases[max(releases)]
    try:
        with duckdb.connect() as connection:
            connection.execute(f"attach '{_literal(partial)}' as latest "
                               f"(storage_version '{STORAGE_VERSION}')")
            _create_views(connection, releases, newest)
            _create_releases_table(connection, releases)
            _copy_comments(connection, newest / BI_DATABASE)
            connection.execute("detach latest")
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def _create_views(connection: duckdb.DuckDBPyConnection, releases: dict[int, Path], newest: Path) -> None:
    tables = sorted({path.stem for release in releases.values() for path in release.glob("*.parquet")})
    for table in tables:
        if table in DIMENSIONS:  # dimensions are not by year: the newest release's
            files = [newest / f"{table}.parquet"] if (newest / f"{table}.parquet").is_file() else []
        else:
            files = [release / f"{table}.parquet" for _, release in sorted(releases.items())
                     if (release / f"{table}.parquet").is_file()]
        if not files:
            continue
        listed = ", ".join(f"'{_literal(path)}'" for path in files)
        connection.execute(f'create view latest."{table}" as select * from '
                           f"read_parquet([{listed}], union_by_name = true)")
    for view, table in COMMUNE_VIEWS.items():
        if table in tables:
            connection.execute(f'create view latest."{view}" as '
                               + commune_view_sql(table).replace(f'from "{table}"', f'from latest."{table}"'))


def _create_releases_table(connection: duckdb.DuckDBPyConnection, releases: dict[int, Path]) -> None:
    connection.execute("create table latest.releases (year integer, release varchar, "
                       "folder varchar, demo boolean, mart_status json)")
    for year, release in sorted(releases.items()):
        manifest = json.loads((release / MANIFEST).read_text(encoding="utf-8"))
        connection.execute("insert into latest.releases values (?, ?, ?, ?, ?)",
                           [year, release.name, str(release), bool(manifest.get("demo")),
                            json.dumps(manifest.get("mart_status") or {})])
    connection.execute("comment on table latest.releases is 'One row per published year: its "
                       "current release folder, whether demo (generated) export data was used, "
                       "and each mart''s gate status (checked / empty).'")


def _copy_comments(connection: duckdb.DuckDBPyConnection, bi_database: Path) -> None:
    """The newest release's table and column comments onto the catalogue's views of the same name."""
    if not bi_database.is_file():
        return
    connection.execute(f"attach '{_literal(bi_database)}' as newest (read_only)")
    views = {row[0] for row in connection.execute(
        "select view_name from duckdb_views() where database_name = 'latest'").fetchall()}
    columns = {(t, c) for t, c in connection.execute(
        "select table_name, column_name from duckdb_columns() where database_name = 'latest'").fetchall()}
    for name, comment in connection.execute(
            "select table_name, comment from duckdb_tables() where database_name = 'newest' union all "
            "select view_name, comment from duckdb_views() where database_name = 'newest'").fetchall():
        if name in views and comment:
            connection.execute(f"comment on view latest.\"{name}\" is '{_literal(comment)}'")
    for table, column, comment in connection.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where database_name = 'newest' and comment is not null").fetchall():
        if (table, column) in columns and table in views:
            connection.execute(f"comment on column latest.\"{table}\".\"{column}\" is '{_literal(comment)}'")
    connection.execute("detach newest")


def _literal(text: object) -> str:
    return str(text).replace("'", "''")
