"""What a run's outcome means: inputs that could not be read, years they must block, the exit
code and the one-line summary of `mlw run`.

A document that cannot be read carries no year (its year is read from its content), so its
error cannot fail its year's gate: the year would pass on its remaining rows and publish a
release without the document's figures. But a year's inputs are known before its gate runs: the
manifest of the year's current release lists the documents it was built from, with their year.
Such a document that can no longer be read blocks the year, and the previous release stays.

Exit codes of `mlw run` (README "What happens when…"):
  0  every input was read and every year published or kept unchanged
  1  the run failed before any year (the load job failed)
  2  there is no input at all: no document and no I-MILO export (nothing was run; the message
     names the folders read and `python -m sample_inputs.demo`, which writes the demo inputs)
  3  a year was blocked (its gate failed, its run failed, or a document of its release can no
     longer be read); wins over 4 when both happen: something that should be published is not
  4  an input could not be read, every year was published or kept
  5  another run holds the warehouse's lock (nothing was run)
  6  the warehouse is not writable (nothing was run)
"""

from __future__ import annotations

import json

from orchestration.publication import MANIFEST, current_release
from orchestration.settings import Settings
from orchestration.warehouse import connect

EXIT_OK, EXIT_FAILED, EXIT_NO_INPUTS, EXIT_YEAR_BLOCKED, EXIT_INPUT_UNREADABLE = 0, 1, 2, 3, 4
EXIT_LOCKED, EXIT_NOT_WRITABLE = 5, 6


def unreadable_documents(settings: Settings) -> dict[str, str]:
    """Documents of this load that gave nothing: not recognised, with an error (empty, junk,
    truncated, encrypted, scanned...): path -> the reasons."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        rows = connection.execute(
            "select d.document_path, string_agg(i.reason, '; ' order by i.reason) "
            "from raw.documents d join raw.extraction_issues i using (document_path) "
            "where d.document_kind is null and d.error_count > 0 and i.severity = 'error' "
            "group by 1 order by 1").fetchall()
    return dict(rows)


def unreadable_export_files(settings: Settings) -> dict[str, str]:
    """I-MILO export files rejected at ingestion: folder/file -> the error."""
    with connect(settings.warehouse_path, read_only=True) as connection:
        if not connection.execute("select count(*) from information_schema.tables where table_schema "
                                  "= 'audit' and table_name = 'imilo_export_files'").fetchone()[0]:
            return {}
        rows = connection.execute(
            "select export_folder || '/' || split_part(export_file, '/', 2), file_error "
            "from audit.imilo_export_files where file_error is not null order by 1").fetchall()
    return dict(rows)


def unreadable_inputs(settings: Settings) -> list[str]:
    """One line per input that could not be read, naming the file and the reason."""
    return ([f"{path}: cannot be read: {why}" for path, why in unreadable_documents(settings).items()]
            + [f"{path}: export file rejected: {why}"
               for path, why in unreadable_export_files(settings).items()])


def years_blocked_by_inputs(settings: Settings) -> dict[int, str]:
    """Years whose current release lists a document (with that year) that can no longer be
    read: year -> the message naming the file, the year and the reason."""
    unreadable = unreadable_documents(settings)
    if not unreadable or not settings.published_dir.is_dir():
        return {}
    blocked: dict[int, str] = {}
    for year_dir in sorted(settings.published_dir.iterdir()):
        if not year_dir.name.isdigit():
            continue
        year = int(year_dir.name)
        release = current_release(settings.published_dir, year)
        if release is None or not (release / MANIFEST).is_file():
            continue
        inputs = json.loads((release / MANIFEST).read_text(encoding="utf-8")).get("inputs", [])
        lost = [f"{item['path']} ({unreadable[item['path']]})" for item in inputs
                if item.get("year") == year and item.get("path") in unreadable]
        if lost:
            blocked[year] = (f"{'; '.join(lost)}: a document of the {year} release {release.name} "
                             f"can no longer be read; {year} not rebuilt, {release.name} stays current")
    return blocked


def exit_code(loaded: bool, blocked: dict[int, str], unreadable: list[str]) -> int:
    if not loaded:
        return EXIT_FAILED
    if blocked:
        return EXIT_YEAR_BLOCKED
    return EXIT_INPUT_UNREADABLE if unreadable else EXIT_OK


def summary_line(loaded: bool, published: dict[int, str], blocked: dict[int, str],
                 unreadable: list[str], nothing_to_publish: list[int] = ()) -> str:
    """The last line of `mlw run`: what happened and the exit code, in one line."""
    code = exit_code(loaded, blocked, unreadable)
    if not loaded:
        return f"Result: FAILED, the load job failed (exit {code})"
    parts = [f"{len(published)} year(s) published or kept"]
    if nothing_to_publish:
        parts.append(f"not published, no row in any mart: "
                     f"{', '.join(str(year) for year in sorted(nothing_to_publish))}")
    if blocked:
        parts.append(f"BLOCKED: {', '.join(str(year) for year in sorted(blocked))}")
    if unreadable:
        parts.append(f"{len(unreadable)} input(s) could not be read")
    return f"Result: {'; '.join(parts)} (exit {code})"
