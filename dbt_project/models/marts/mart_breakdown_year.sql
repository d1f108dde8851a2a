-- Structure-level indicators (grains 'breakdown' and 'structure' in the catalogue: profiles,
-- key figures): one row per printed figure, one
-- column per conformed dimension, read from the dimension_codes seed at run time (a new
-- dimension adds a column without editing this file; then run `mlw codegen` for the docs).
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only.
-- depends_on: {{ ref('dimension_codes') }}
{{ config(**annual_incremental()) }}

{%- set dimensions = [] -%}
{%- if execute -%}
    {%- for row in run_query("select distinct dimension from " ~ ref('dimension_codes') ~ " order by 1") -%}
        {%- do dimensions.append(row[0]) -%}
    {%- endfor -%}
{%- endif %}

select
    f.fact_id,
    f.year,
    f.structure_code,
    f.indicator_code,
    f.unit,
    f.commune_insee,
    {%- for dimension in dimensions %}
    json_extract_string(f.dimensions, '$.{{ dimension }}') as {{ adapter.quote(dimension) }},
    {%- endfor %}
    f.is_total as is_stated_total,
    f.value,
    f.flags,
    f.table_ref
from {{ ref('fct_published_indicator') }} as f
inner join {{ ref('indicator_catalogue') }} as c
    on c.indicator_code = f.indicator_code and c.grain in ('breakdown', 'structure')
{{ year_filter('f.year') }}
