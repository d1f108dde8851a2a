"""How the project's Dagster `Definitions` are assembled for given settings.

Assets, by group (= warehouse layer):
  raw        documents/<file> (extraction of each input, versioned by content hash) -> raw.*
  reference  dbt seeds (communes, structures, indicator catalogue)
  staging / star / marts   dbt models; facts and marts are partitioned by year
  published  published/mart_commune_year, after the blocking GX gate on mart_commune_year
"""

from __future__ import annotations

from dagster import AssetSelection, Definitions, define_asset_job, in_process_executor

from orchestration.assets.dbt import build_dbt_assets
from orchestration.assets.documents import build_document_asset, build_raw_tables_asset
from orchestration.assets.exports import (
    build_export_asset,
    build_imilo_tables_asset,
    build_quarantine_check,
)
from orchestration.assets.gate import build_gate_check
from orchestration.assets.publish import build_publish_asset
from orchestration.dbt_docs import DBT_EXECUTABLE  # the venv's dbt: runs need no activated venv
from orchestration.dbt_invocation import PipelineDbtCli
from orchestration.partitions import yearly_partitions
from orchestration.settings import DBT_PROJECT_DIR, Settings

LOAD_JOB = "load_documents_and_reference"
ANNUAL_JOB = "build_and_publish_year"


def build_definitions(settings: Settings) -> Definitions:
    settings.set_dbt_environment()
    paths = settings.document_paths()
    document_assets = [build_document_asset(path, settings) for path in paths]
    export_folders = settings.imilo_export_folders()
    export_assets = [build_export_asset(folder, settings) for folder in export_folders]
    reference_and_staging, annual = build_dbt_assets(settings)
    publish = build_publish_asset(settings)
    annual_selection = AssetSelection.assets(annual, publish)
    return Definitions(
        assets=[*document_assets, build_raw_tables_asset(paths, settings),
                *export_assets, build_imilo_tables_asset(export_folders, settings),
                reference_and_staging, annual, publish],
        asset_checks=[build_gate_check(settings), build_quarantine_check(settings)],
        jobs=[
            define_asset_job(LOAD_JOB, selection=AssetSelection.all() - annual_selection,
                             description="Extract every document, land raw tables, build "
                                         "reference, staging and dimensions."),
            define_asset_job(ANNUAL_JOB, selection=annual_selection, partitions_def=yearly_partitions,
                             description="Build one year's facts and marts, gate them, publish."),
        ],
        resources={"dbt": PipelineDbtCli(project_dir=str(DBT_PROJECT_DIR),
                                         profiles_dir=str(DBT_PROJECT_DIR),
                                         dbt_executable=DBT_EXECUTABLE)},
        # DuckDB takes one writer per file: run steps one after the other in one process.
        executor=in_process_executor,
    )

