"""Publishing a year's marts once, and only once, its gate has passed on these very rows."""


from dagster import AssetExecutionContext, AssetKey, Failure, MaterializeResult, asset

from orchestration.assets.gate import MART_COMMUNE_YEAR_KEY, latest_gate_result
from orchestration.marts import MART_COMMUNE_YEAR, fingerprint, read_year
from orchestration.partitions import yearly_partitions
from orchestration.publication import publish_release
from orchestration.settings import Settings


def build_publish_asset(settings: Settings):
    @asset(key=AssetKey(["published", "mart_commune_year"]), group_name="published",
           deps=[MART_COMMUNE_YEAR_KEY], partitions_def=yearly_partitions,
           description="The year's mart_commune_year released as Parquet under "
                       "warehouse/published/<year>/, after its gate passed.")
    def published_mart_commune_year(context: AssetExecutionContext) -> MaterializeResult:
        year = int(context.partition_key)
        mart = read_year(settings.warehouse_path, MART_COMMUNE_YEAR, year)
        mart_fingerprint = fingerprint(mart)
        gate = latest_gate_result(settings, MART_COMMUNE_YEAR, year)
        if gate is None or not gate[0] or gate[1] != mart_fingerprint:
            raise Failure(f"{year}: the gate has not passed on the current rows of "
                          f"{MART_COMMUNE_YEAR}; run the mart with its gate first. Nothing published.")
        release, is_new = publish_release({"mart_commune_year": mart}, year,
                                          settings.published_dir, mart_fingerprint)
        context.log.info(f"{year}: {'published' if is_new else 'unchanged, kept'} {release}")
        return MaterializeResult(metadata={
            "release": str(release), "new_release": is_new, "dagster/row_count": len(mart),
            "fingerprint": mart_fingerprint})

    return published_mart_commune_year
