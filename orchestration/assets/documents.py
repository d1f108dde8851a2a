"""Raw layer: one asset per input document, and the raw tables built from all of them."""


import hashlib
import re
from pathlib import Path

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    AssetsDefinition,
    DataVersion,
    MaterializeResult,
    MetadataValue,
    asset,
    multi_asset,
)

from extractors.facts import ExtractionIssue
from extractors.result import ExtractionResult
from orchestration.extraction_cache import extract_cached
from orchestration.settings import Settings
from orchestration.warehouse.raw_layer import land_raw_layer

RAW_GROUP = "raw"
RAW_TABLE_KEYS = {name: AssetKey(["raw", name])
                  for name in ("report_facts", "report_claims", "programmes", "programme_communes",
                               "review_items", "extraction_issues", "documents")}


def document_asset_key(path: Path) -> AssetKey:
    """`documents/<name>_<8 hex of the path's SHA-256>`: Dagster names allow only [A-Za-z0-9_],
    so `site-wattrelos.txt` and `site_wattrelos.txt` sanitise alike; the path's hash keeps
    every input's name unique by construction (and stable while the file stays where it is)."""
    suffix = hashlib.sha256(str(path).encode()).hexdigest()[:8]
    return AssetKey(["documents", f"{re.sub(r'[^A-Za-z0-9_]', '_', path.name)}_{suffix}"])


def build_document_asset(path: Path, settings: Settings) -> AssetsDefinition:
    """The extraction of one document, versioned by its content hash (cached by it too)."""

    @asset(key=document_asset_key(path), group_name=RAW_GROUP,
           description=f"Facts extracted from {path.name} (re-extracted only when its content changes).")
    def _document(context: AssetExecutionContext) -> MaterializeResult:
        result, reused = extract_cached(path, settings.extracted_dir)
        for issue in result.issues:
            (context.log.error if issue.severity == "error" else context.log.warning)(str(issue))
        return MaterializeResult(
            data_version=DataVersion(result.sha256 or "unreadable"),
            metadata={
                "path": str(path), "sha256": result.sha256 or "", "kind": result.kind or "not recognised",
                "year": result.year or 0, "structure": result.structure or "",
                "facts": len(result.facts), "errors": len(result.errors),
                "warnings": len(result.issues) - len(result.errors),
                "reused_from_cache": reused,
                "issues": MetadataValue.md("\n".join(f"- {issue}" for issue in result.issues) or "none"),
            },
        )

    return _document


def build_raw_tables_asset(paths: list[Path], settings: Settings) -> AssetsDefinition:
    """Every raw table (facts, claims, programmes, review items, issues, documents), rebuilt
    from every document's extraction in one transaction."""

    @multi_asset(
        specs=[AssetSpec(key, group_name=RAW_GROUP, deps=[document_asset_key(p) for p in paths],
                         description=f"raw.{name}: landed as extracted, one row per "
                                     f"{name.rstrip('s').replace('_', ' ')}.")
               for name, key in RAW_TABLE_KEYS.items()],
        name="raw_tables",
    )
    def _raw_tables(context: AssetExecutionContext):
        results = read_once([extract_cached(path, settings.extracted_dir)[0] for path in paths])
        counts = land_raw_layer(settings.warehouse_path, results)
        for name, key in RAW_TABLE_KEYS.items():
            yield MaterializeResult(asset_key=key, metadata={
                "dagster/row_count": counts[name], "table": f"raw.{name}",
                "warehouse": str(settings.warehouse_path)})

    return _raw_tables


def read_once(results: list[ExtractionResult]) -> list[ExtractionResult]:
    """The same document given twice (same SHA-256 under two paths) is landed once: its facts
    would count twice. The copy lands as a document with only a warning naming the original."""
    first: dict[str, str] = {}
    kept = []
    for result in results:
        # (unreadable copies keep their own error: an empty file is not "the same document")
        original = first.setdefault(result.sha256, result.path) if result.kind else result.path
        if original == result.path:
            kept.append(result)
            continue
        kept.append(ExtractionResult(path=result.path, sha256=result.sha256, issues=[ExtractionIssue(
            result.path, result.sha256, "warning",
            f"same document as {original} (same SHA-256): read once, from {original}")]))
    return kept

