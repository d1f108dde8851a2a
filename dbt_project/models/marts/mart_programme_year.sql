-- Participants and results per programme and year (programme-grain indicators), one row per
-- printed figure with its provenance, and the programme's conformed attributes.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only.
{{ config(**annual_incremental()) }}

with programme_facts as (
    select f.*, json_extract_string(f.dimensions, '$.programme') as programme_key
    from {{ ref('fct_published_indicator') }} as f
    where f.indicator_grain = 'programme'
    {{- and_year_is('f.year') }}
),

conformed as (
    -- a figure's programme, conformed as its mention in the same document was
    select distinct document_sha256, programme_key, programme_code
    from {{ ref('int_documents_programme_mentions') }}
)

select
    f.fact_id,
    f.year,
    coalesce(c.programme_code, f.programme_key) as programme_code,
    p.name as programme_name,
    p.category as programme_category,
    f.structure_code,
    f.indicator_code,
    f.value,
    f.unit,
    f.flags,
    f.document_path,
    f.document_sha256,
    f.source_page,
    f.source_line,
    f.source_text
from programme_facts as f
left join conformed as c
    on c.document_sha256 = f.document_sha256 and c.programme_key = f.programme_key
left join {{ ref('dim_programme') }} as p
    on p.programme_code = coalesce(c.programme_code, f.programme_key)
