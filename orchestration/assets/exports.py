"""Raw layer, I-MILO side: one asset per export folder, and the raw.imilo_* tables they land.

exports/<folder>   ingests the folder (extractors.imilo.ingest_export): its rows in raw.imilo_*
                   are replaced in one transaction; versioned by the hash of its files' hashes;
                   not ingested again while its files, reference, key and the extractors' code
                   are those of its last ingestion (orchestration/warehouse/export_reuse.py)
raw/imilo_*        the tables dbt reads (sources in dbt_project/models/exports): created empty
                   when there is no export; rows of exports no longer configured are pruned;
                   raw/imilo_reference_structures and _communes: the reference folder the codes
                   were checked against, landed whole (dim_structure and dim_commune add what
                   the MEL seeds lack)
quarantine check   on raw/imilo_quarantine: fails when a year's quarantined share exceeds the
                   configured maximum or a file of that year was rejected whole (the annual gate
                   blocks such a year: extractors.imilo.blocked_years)

Structure and commune codes are checked against the settings' reference folder
(MLW_IMILO_REFERENCE, default the MEL seeds). The pseudonymisation key comes from the environment
(extractors/imilo/keys.py): without it, and outside demo mode, the export assets fail with a
clear message. The key is never logged.
"""


import re
from pathlib import Path

from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    AssetSpec,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    asset,
    asset_check,
    multi_asset,
)

from extractors.imilo import (
    ensure_tables,
    export_content_hash,
    ingest_export,
    prune_exports,
    pseudonymisation_key,
    quarantine_by_year,
    table_counts,
)
from extractors.imilo.reference import REFERENCE_TABLES, land_reference
from extractors.imilo.spec import RAW_TABLES
from orchestration.warehouse.export_reuse import ingestion_digest, landed_unchanged, record_ingestion

RAW_GROUP = "raw"
IMILO_TABLE_KEYS = {name: AssetKey(["raw", name]) for name in RAW_TABLES}
REFERENCE_TABLE_KEYS = {name: AssetKey(["raw", name]) for name in REFERENCE_TABLES}
DEFAULT_MAX_QUARANTINE_SHARE = 0.02


def export_asset_key(folder: Path) -> AssetKey:
    return AssetKey(["exports", re.sub(r"[^A-Za-z0-9_]", "_", folder.name)])


def build_export_asset(folder: Path, settings) -> AssetsDefinition:
    """Ingestion of one export folder into raw.imilo_*, versioned by its content hash."""

    @asset(key=export_asset_key(folder), group_name=RAW_GROUP,
           description=f"I-MILO export {folder.name}: pseudonymised into raw.imilo_* (its rows "
                       f"replaced in one transaction), invalid rows quarantined with reasons.")
    def _export(context: AssetExecutionContext) -> MaterializeResult:
        version = export_content_hash(folder)
        key = pseudonymisation_key()
        digest = ingestion_digest(folder, settings.imilo_reference, key)
        kept = landed_unchanged(settings.warehouse_path, folder, digest)
        if kept is not None:  # same files, reference, key and code: its landed rows are kept
            context.log.info(f"{folder.name}: unchanged since its last ingestion, rows kept")
            return MaterializeResult(data_version=DataVersion(version), metadata={
                "folder": str(folder), "content_sha256": version, "reused": True,
                "reference": str(settings.imilo_reference),
                **{name: MetadataValue.json(value) if isinstance(value, dict) else value
                   for name, value in kept.items()}})
        report = ingest_export(folder, settings.warehouse_path, key,
                               reference_dir=settings.imilo_reference)
        record_ingestion(settings.warehouse_path, folder, digest)
        if report.demo_key:
            context.log.warning("demo pseudonymisation key (MLW_DEMO=1): sample data only")
        for error in report.file_errors:
            context.log.error(str(error))
        for warning in report.warnings:
            context.log.warning(warning)
        context.log.info(report.summary())
        reasons = "\n".join(f"- {reason}: {count}" for reason, count
                            in sorted(report.quarantine_reasons.items()))
        return MaterializeResult(
            data_version=DataVersion(version),
            metadata={
                "folder": str(folder), "content_sha256": version, "reused": False,
                "year": report.year or 0,
                "reference": str(settings.imilo_reference),
                "demo_key": report.demo_key,
                **{f"rows/{table}": count for table, count in report.rows.items()},
                "rows_read": sum(report.rows_read.values()),
                "quarantined_rows": report.quarantined,
                "quarantined_share": round(report.quarantined_share, 6),
                "quarantine_reasons": MetadataValue.md(reasons or "none"),
                "file_errors": MetadataValue.md(
                    "\n".join(f"- {error}" for error in report.file_errors) or "none"),
                "encodings": MetadataValue.json(report.encodings),
                "file_sha256": MetadataValue.json(report.sha256),
                "warnings": MetadataValue.md("\n".join(f"- {w}" for w in report.warnings) or "none"),
            },
        )

    return _export


def build_imilo_tables_asset(folders: list[Path], settings) -> AssetsDefinition:
    """raw/imilo_*: after every export asset; drops the rows of exports no longer configured,
    and lands the reference their codes were checked against (raw/imilo_reference_*)."""

    @multi_asset(
        specs=[*(AssetSpec(key, group_name=RAW_GROUP, deps=[export_asset_key(f) for f in folders],
                           description=f"raw.{name}: I-MILO exports, pseudonymised at ingestion.")
                 for name, key in IMILO_TABLE_KEYS.items()),
               *(AssetSpec(key, group_name=RAW_GROUP,
                           description=f"raw.{name}: the reference the exports' codes are checked "
                                       f"against (MLW_IMILO_REFERENCE, default the MEL seeds).")
                 for name, key in REFERENCE_TABLE_KEYS.items())],
        name="imilo_raw_tables",
    )
    def _tables(context: AssetExecutionContext):
        ensure_tables(settings.warehouse_path)
        pruned = prune_exports(settings.warehouse_path, [folder.name for folder in folders])
        if pruned:
            context.log.info(f"rows of exports no longer configured deleted: {', '.join(pruned)}")
        counts = table_counts(settings.warehouse_path)
        for name, key in IMILO_TABLE_KEYS.items():
            yield MaterializeResult(asset_key=key, metadata={
                "dagster/row_count": counts[name], "table": f"raw.{name}",
                "exports": len(folders), "pruned_exports": ", ".join(pruned) or "none"})
        reference = land_reference(settings.warehouse_path, settings.imilo_reference)
        for name, key in REFERENCE_TABLE_KEYS.items():
            yield MaterializeResult(asset_key=key, metadata={
                "dagster/row_count": reference[name], "table": f"raw.{name}",
                "reference": str(settings.imilo_reference)})

    return _tables


def build_quarantine_check(settings, max_share: float | None = None, blocking: bool = False):
    """Quarantine share per year on raw/imilo_quarantine. Not blocking by default: it is a
    per-year matter, and blocking here would stop the whole dbt build, every year and the
    documents with it; the annual gate blocks the years (extractors.imilo.blocked_years)."""
    if max_share is None:
        max_share = getattr(settings, "imilo_max_quarantine_share", DEFAULT_MAX_QUARANTINE_SHARE)

    @asset_check(asset=IMILO_TABLE_KEYS["imilo_quarantine"], name="quarantine_share",
                 blocking=blocking,
                 description=f"Share of I-MILO export rows quarantined, per year, at most "
                             f"{max_share:.1%}; no export file rejected whole.")
    def _check() -> AssetCheckResult:
        years = quarantine_by_year(settings.warehouse_path)
        blocked = [year for year, quarantine in years.items() if quarantine.blocked(max_share)]
        return AssetCheckResult(
            passed=not blocked, severity=AssetCheckSeverity.ERROR,
            metadata={
                "max_share": max_share, "blocked_years": ", ".join(map(str, blocked)) or "none",
                "by_year": MetadataValue.md("\n".join(
                    f"- {year}: {q.rows_quarantined}/{q.rows_read} ({q.share:.2%})"
                    + (f", rejected files: {', '.join(q.rejected_files)}" if q.rejected_files else "")
                    for year, q in years.items()) or "no export"),
            },
        )

    return _check
