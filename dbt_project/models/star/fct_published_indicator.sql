-- One row per published figure: document x indicator x dimension values, with its provenance.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='year',
    tags=['annual'],
    pre_hook="{{ delete_rebuilt_years() }}",
) }}

select
    fact_id,
    year,
    structure_code,
    commune_insee,
    commune_name,
    indicator_code,
    dimensions,
    dimension_key,
    value,
    unit,
    is_total,
    flags,
    table_ref,
    document_path,
    document_sha256,
    source_page,
    source_line,
    source_bbox,
    source_text
from {{ ref('stg_report_facts') }}
{{ year_filter() }}
