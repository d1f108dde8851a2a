-- One row per year x structure x commune, plus one row per year x structure holding the stated
-- totals (is_stated_total, commune 'Total'). One column per commune-grain indicator of the
-- catalogue, read from the indicator_catalogue seed at run time: a new catalogue entry adds a
-- column without editing this file (then run orchestration/codegen.py for the seed and the docs).
-- Extended with the indicators recomputed from the I-MILO exports: one `<code>_recomputed`
-- column per indicator of int_imilo_recomputed_indicators, from mart_commune_year_recomputed
-- (same key; small counts suppressed there, null when hidden or when no export covers the row),
-- and recomputed_suppressed_indicators. Rows are those the reports print: a commune or a year
-- that only the exports cover is in mart_commune_year_recomputed alone.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(**annual_incremental()) }}

{%- set catalogue = ref('indicator_catalogue') -%}
{%- set sql_types = {'count': 'bigint', 'eur': 'decimal(14, 2)', 'percent': 'double'} -%}
{%- set indicators = [] -%}
{%- set recomputed = [] -%}
{%- set recomputed_rules = ref('int_imilo_recomputed_indicators') -%}
{%- if execute -%}
    {%- set rows = run_query(
        "select indicator_code, unit from " ~ catalogue ~ " where grain = 'commune' order by indicator_code"
    ) -%}
    {%- for row in rows -%}
        {%- do indicators.append({'code': row[0], 'type': sql_types[row[1]]}) -%}
    {%- endfor -%}
    {%- set recomputed_rows = run_query(
        "select indicator_code from " ~ recomputed_rules ~ " order by indicator_code"
    ) -%}
    {%- for row in recomputed_rows -%}
        {%- do recomputed.append(row[0]) -%}
    {%- endfor -%}
{%- endif %}

with facts as (
    select
        f.year,
        f.structure_code,
        f.commune_insee,
        case when f.is_total then 'Total' else f.commune_name end as commune_name,
        f.is_total as is_stated_total,
        f.indicator_code,
        f.value,
        f.flags
    from {{ ref('fct_published_indicator') }} as f
    -- only the indicators that have a column here
    inner join {{ catalogue }} as c
        on c.indicator_code = f.indicator_code and c.grain = 'commune'
    {{ year_filter('f.year') }}
),

printed as (
    select
        year,
        structure_code,
        commune_insee,
        commune_name,
        is_stated_total,
        {%- for indicator in indicators %}
        cast(max(value) filter (where indicator_code = '{{ indicator.code }}') as {{ indicator.type }})
            as {{ adapter.quote(indicator.code) }},
        {%- endfor %}
        -- on the stated-total row: indicators whose printed total does not add up in the source
        coalesce(
            list(distinct indicator_code order by indicator_code)
                filter (where is_stated_total and list_contains(flags, 'source_total_mismatch')),
            []::varchar[]
        ) as inconsistent_indicators
    from facts
    group by year, structure_code, commune_insee, commune_name, is_stated_total
)

select
    p.*,
    {%- for code in recomputed %}
    r.{{ adapter.quote(code) }} as {{ adapter.quote(code ~ '_recomputed') }},
    {%- endfor %}
    coalesce(r.suppressed_indicators, []::varchar[]) as recomputed_suppressed_indicators
from printed as p
left join {{ ref('mart_commune_year_recomputed') }} as r
    on r.year = p.year
    and r.structure_code = p.structure_code
    and r.is_stated_total = p.is_stated_total
    and r.commune_insee is not distinct from p.commune_insee
