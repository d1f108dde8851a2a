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
    -- the figure's other dimensions as "name=code" sorted and ','-joined ('' for none), so that
    -- figures split along the same dimensions compare and group alike
    array_to_string(list_sort(list_transform(
        list_filter(json_keys(dimensions), lambda k: k not in ('commune', 'commune_insee')),
        lambda k: k || '=' || json_extract_string(dimensions, '$."' || k || '"'))), ',') as dimension_key,
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
from {{ source('documents', 'report_facts') }}
