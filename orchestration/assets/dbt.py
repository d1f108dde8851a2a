"""The dbt project as Dagster assets: reference seeds and models grouped by layer.

Models tagged `annual` (facts and marts) are partitioned by year and rebuilt one year at a
time (MLW_BUILD_YEAR, orchestration/dbt_invocation.py); everything else is built whole. dbt tests become asset checks;
tests of severity error block the assets downstream. Each model's and seed's materialisation
carries its row count, column schema and column lineage (orchestration/dbt_metadata.py).
"""

from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration.dbt_invocation import dbt_environment, dbt_target_path
from orchestration.dbt_manifest import ensure_manifest
from orchestration.dbt_metadata import stream_with_table_metadata
from orchestration.partitions import yearly_partitions
from orchestration.settings import Settings

ANNUAL = "tag:annual"
_GROUP_BY_FOLDER = {"staging": "staging", "intermediate": "intermediate", "star": "star", "marts": "marts"}


class LayeredTranslator(DagsterDbtTranslator):
    """Asset groups follow the dbt folders, which follow the warehouse layers."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "reference"
        fqn = dbt_resource_props.get("fqn", [])
        folder = fqn[1] if len(fqn) > 2 else ""
        if folder == "exports" and len(fqn) > 3:  # exports/<layer>/<model>
            folder = fqn[2]
        return _GROUP_BY_FOLDER.get(folder, "staging")


# dbt unit tests check the SQL logic on fixed inputs, not the data: they run in the test suite
# (tests/test_dbt_docs.py), not in every pipeline build.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
TRANSLATOR = LayeredTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def build_dbt_assets(settings: Settings):
    manifest = ensure_manifest()

    @dbt_assets(manifest=manifest, exclude=ANNUAL, dagster_dbt_translator=TRANSLATOR,
                name="dbt_reference_and_staging")
    def reference_and_staging(context: AssetExecutionContext, dbt: DbtCliResource):
        """Seeds, staging models and dimensions, rebuilt whole (dim_youth: the youths of new
        export files only, when nothing else changed: macros/youth_versions_rebuilt.sql)."""
        with dbt_environment(None):
            # When the load runs in part (orchestration/load_selection.py), dagster-dbt selects
            # the models by name and dbt adds every test that touches one of them: the
            # exclusion keeps out those of the annual models (their year's run tests them).
            invocation = dbt.cli(["build", *NO_UNIT_TESTS, "--exclude", ANNUAL], context=context,
                                 target_path=dbt_target_path(settings))
        yield from stream_with_table_metadata(invocation, settings.warehouse_path)

    @dbt_assets(manifest=manifest, select=ANNUAL, dagster_dbt_translator=TRANSLATOR,
                partitions_def=yearly_partitions, name="dbt_annual")
    def annual(context: AssetExecutionContext, dbt: DbtCliResource):
        """Facts and marts of one year: that year's rows are replaced, other years untouched."""
        year = int(context.partition_key)
        with dbt_environment(year):
            invocation = dbt.cli(["build", *NO_UNIT_TESTS], context=context,
                                 target_path=dbt_target_path(settings))
        yield from stream_with_table_metadata(invocation, settings.warehouse_path, year)

    return [reference_and_staging, annual]
