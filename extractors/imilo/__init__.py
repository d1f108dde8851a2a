"""I-MILO operational exports (docs/imilo_export_format.md) -> pseudonymised raw tables.

    from extractors.imilo import ingest_export, pseudonymisation_key
    report = ingest_export(folder, warehouse_path, pseudonymisation_key(), year=2023)

Modules: keys (the key from configuration), spec (the five files and their validation),
files (encoding, header, truncation), sql (the DuckDB query that reads a file), ingest
(staging and the one landing transaction), tables (raw tables, pruning), report, quality
(quarantine share per year, for the gate), folders (finding export folders).
"""

from extractors.imilo.folders import (
    export_content_hash,
    find_export_folders,
    is_export_folder,
)
from extractors.imilo.ingest import ingest_export
from extractors.imilo.keys import (
    DEMO_KEY,
    MissingPseudonymisationKey,
    is_demo_key,
    pseudonymisation_key,
)
from extractors.imilo.quality import YearQuarantine, blocked_years, quarantine_by_year
from extractors.imilo.report import FileError, IngestionReport
from extractors.imilo.tables import ensure_tables, prune_exports, table_counts

__all__ = [
    "DEMO_KEY", "FileError", "IngestionReport", "MissingPseudonymisationKey", "YearQuarantine",
    "blocked_years", "ensure_tables", "export_content_hash", "find_export_folders",
    "ingest_export", "is_demo_key", "is_export_folder", "prune_exports", "pseudonymisation_key",
    "quarantine_by_year", "table_counts",
]
