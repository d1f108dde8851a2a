-- Extracted figures, typed, with the commune pulled out of the JSON dimensions.
-- Totals have empty dimensions, hence null commune_name / commune_insee.
select
    fact_id,
    cast(year as integer) as year,
    structure_code,
    indicator_code,
    json_extract_string(dimensions, '$.commune') as commune_name,
    json_extract_string(dimensions, '$.commune_insee') as commune_insee,
    dimensions,
    cast(value as double) as value,
    unit,
    is_total,
    coalesce(flags, []::varchar[]) as flags,
    table_ref,
    document_path,
    document_sha256,
    document_kind,
    source_page,
    source_line,
    source_bbox,
    source_text
from {{ source('raw', 'report_facts') }}
