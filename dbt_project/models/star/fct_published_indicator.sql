-- One row per published figure: document x indicator x dimension values, with its provenance.
-- A fact whose printed label no mapping knows (flag unmapped_label, extractors/facts.py) is not
-- published: it stays in staging, withheld and listed (mart_report_audit) until a reviewer maps it.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(**annual_incremental()) }}

with certain_facts as (
    select * from {{ ref('stg_documents__report_facts') }}
    where not list_contains(flags, 'unmapped_label')
)

select
    f.fact_id,
    f.year,
    f.structure_code,
    f.commune_insee,
    f.commune_name,
    f.indicator_code,
    c.grain as indicator_grain,
    f.dimensions,
    f.dimension_key,
    f.value,
    f.unit,
    f.is_total,
    f.flags,
    f.table_ref,
    f.document_kind,
    f.document_path,
    f.document_sha256,
    f.source_page,
    f.source_line,
    f.source_bbox,
    f.source_text
from certain_facts as f
left join {{ ref('indicator_catalogue') }} as c on c.indicator_code = f.indicator_code
{{ year_filter('f.year') }}
