"""Publishing a year's marts once, and only once, its gate has passed on these very rows."""


from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, MetadataValue, asset

from orchestration.assets.gate import latest_gate_result
from orchestration.audit_page.publish_hook import write_audit_page
from orchestration.marts import (
    MART_COMMUNE_YEAR,
    PUBLISHED_MARTS,
    combined_fingerprint,
    read_year,
)
from orchestration.partitions import yearly_partitions
from orchestration.provenance import record_attempt, release_provenance
from orchestration.latest_catalogue import build_latest_catalogue
from orchestration.publication import publish_release
from orchestration.review.withheld import review_provenance
from orchestration.release_contents import column_types, read_dimensions
from orchestration.release_metadata import release_metadata
from orchestration.settings import Settings


def build_publish_asset(settings: Settings):
    @asset(key=AssetKey(["published", "mart_commune_year"]), group_name="published",
           deps=[AssetKey(table.split(".")) for table in PUBLISHED_MARTS.values()],
           partitions_def=yearly_partitions,
           description="The year's marts released under warehouse/published/<year>/ (Parquet, a "
                       "read-only DuckDB file with comments, dimensions and commune-only views, a "
                       "README, a data dictionary, a manifest with checksums, inputs, code version "
                       "and gate results), after the year's gate passed; then "
                       "published/latest.duckdb, every year in one place, is rebuilt. Metadata: the release, "
                       "its manifest's SHA-256, its inputs (documents and I-MILO export files "
                       "with SHA-256) and the document line of each report figure.")
    def published_mart_commune_year(context: AssetExecutionContext) -> MaterializeResult:
        year = int(context.partition_key)
        frames = {name: read_year(settings.warehouse_path, table, year)
                  for name, table in PUBLISHED_MARTS.items()}
        marts_fingerprint = combined_fingerprint(frames)
        gate = latest_gate_result(settings, MART_COMMUNE_YEAR, year)
        if gate is None or not gate[0] or gate[1] != marts_fingerprint:
            reason = (f"{year}: the gate has not passed on the current rows of "
                      f"{', '.join(PUBLISHED_MARTS)}; run the marts with their gate first. "
                      "Nothing published.")
            record_attempt(settings, year, "refused", None, reason)
            raise Failure(reason)
        try:
            release, is_new = publish_release(frames, year, settings.published_dir, marts_fingerprint,
                                              {**release_provenance(settings, year, MART_COMMUNE_YEAR),
                                               **review_provenance(settings.warehouse_path, year)},
                                              read_dimensions(settings.warehouse_path),
                                              column_types(settings.warehouse_path, PUBLISHED_MARTS))
        except Exception as error:
            record_attempt(settings, year, "failed", None, f"{type(error).__name__}: {error}")
            raise
        record_attempt(settings, year, "published" if is_new else "unchanged", str(release), None)
        audit_page = write_audit_page(settings, release, year, is_new, context.log)
        context.log.info(f"{year}: {'published' if is_new else 'unchanged, kept'} {release}")
        # every year in one place, rebuilt after each publication (published/latest.duckdb)
        catalogue = build_latest_catalogue(settings.published_dir)
        # The release's provenance, as its manifest states it: path, manifest checksum, inputs
        # (documents and export files with SHA-256), and each report figure's document line.
        return MaterializeResult(metadata={
            **release_metadata(settings, release, year), "new_release": is_new,
            "latest_catalogue": str(catalogue),
            "dagster/row_count": sum(len(frame) for frame in frames.values()),
            "rows_by_mart": {name: len(frame) for name, frame in frames.items()},
            "fingerprint": marts_fingerprint,
            **({"audit_page": MetadataValue.path(str(audit_page))} if audit_page else {})})

    return published_mart_commune_year
