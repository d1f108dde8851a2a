"""What `mlw run` depends on, and the re-run that decides from digests without Dagster or dbt.

A re-run with nothing changed used to take ~10 s, most of it importing Dagster and parsing the
dbt project only to skip every step. Here the same digests as the full run (orchestration/run.py)
are compared before either is imported: the load's (documents, export files, reference, the
pseudonymisation key's fingerprint, extractors and curation folder, code) and each year's (its
raw rows and the files of the exports of that year or earlier years: a later year's export
never changes an earlier year). When all match the
last successful run and every year's current release is intact, nothing would run: each year is
reported unchanged. Any difference, or a warehouse another run holds, falls through to the full run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from extractors.documents import file_sha256
from extractors.imilo import export_content_hash
from extractors.imilo.folders import use_digest_store
from extractors.imilo.keys import MissingPseudonymisationKey, key_fingerprint, pseudonymisation_key
from orchestration.publication import current_release, release_problems
from orchestration.run_outcome import unreadable_inputs, years_blocked_by_inputs
from orchestration.settings import Settings
from orchestration.warehouse import connect
from orchestration.warehouse.build_inputs import last_digest, load_digest, year_digest

# A year whose marts have no row is refused by its gate; its digest is recorded with this prefix
# so that the next run with the same inputs skips it instead of rebuilding it to refuse it again.
NOTHING_TO_PUBLISH = "nothing:"
# What `mlw run` says of such a year when it is not rebuilt (the fast path and the full run).
STILL_NOTHING_TO_PUBLISH = "still no row in any mart, not published"
# How the load's inputs are named in its digest and state (orchestration/load_selection.py).
REFERENCE_INPUT = "imilo_reference:"
KEY_INPUT = "pseudonymisation key"


def export_input(folder: Path) -> str:
    return f"export:{folder}"


def unchanged_years(settings: Settings) -> list[int] | None:
    """Every year the full run would consider, when none would be built again; else None."""
    if not settings.warehouse_path.is_file():
        return None
    try:
        if last_digest(settings.warehouse_path, "load") != load_digest(load_inputs(settings)):
            return None
        if unreadable_inputs(settings) or years_blocked_by_inputs(settings):
            return None  # the full run reports them and exits non-zero
        years = report_years(settings)
        if years and all(_year_unchanged(settings, year) for year in years):
            return years
    except duckdb.Error:  # e.g. another run holds the warehouse: let the full run say so
        return None
    return None


def _year_unchanged(settings: Settings, year: int) -> bool:
    recorded = last_digest(settings.warehouse_path, f"year:{year}")
    if recorded is None:
        return False
    current = year_digest(settings.warehouse_path, year)
    if recorded == NOTHING_TO_PUBLISH + current:
        return True
    release = current_release(settings.published_dir, year)
    return recorded == current and release is not None and not release_problems(release)


def _content_hash(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError:
        return "unreadable"  # the load job reports it; its digest still changes when it is fixed


def load_inputs(settings: Settings) -> list[tuple[str, str]]:
    """(name, content hash) of what the load job reads: documents, I-MILO export folders, the
    reference their codes are checked against and the pseudonymisation key's fingerprint, so
    that a changed export is ingested again."""
    documents = [(str(path), _content_hash(path)) for path in settings.document_paths()]
    use_digest_store(settings.warehouse_dir)  # export files unchanged since the last run: not hashed
    exports = [(export_input(folder), export_content_hash(folder))
               for folder in settings.imilo_export_folders()]
    reference = (f"{REFERENCE_INPUT}{settings.imilo_reference}",
                 export_content_hash(settings.imilo_reference))
    return [*documents, *exports, reference, (KEY_INPUT, _key_fingerprint())]


def _key_fingerprint() -> str:
    """Which pseudonymisation key the exports are hashed with (a keyed hash of a constant, never
    the key): a new key must ingest every export again, not only the new ones."""
    try:
        return key_fingerprint(pseudonymisation_key())
    except MissingPseudonymisationKey:
        return "none"  # no export can be ingested: the load job says so


def report_years(settings: Settings) -> list[int]:
    """The partitions to build: years of the recognised documents, of the figures they print
    (a 2020 guide dates its actions' results to 2017-2020) and of the ingested I-MILO exports
    (a year only an export covers is built, gated and published too)."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        has_exports = connection.execute(
            "select count(*) from information_schema.tables where table_schema = 'audit' "
            "and table_name = 'imilo_export_files'").fetchone()[0]
        exports = ("union select year from audit.imilo_export_files where year is not null "
                   if has_exports else "")
        rows = connection.execute(
            "select year from raw.documents where year is not null "
            "union select year from raw.report_facts where year is not null "
            "union select report_year from raw.report_claims where report_year is not null "
            f"{exports}order by 1").fetchall()
    return [row[0] for row in rows]
