-- The commune-grain indicators recomputed from the I-MILO exports (recompute.md), laid out as
-- mart_commune_year: one row per year x structure x commune of the structure's territory, and
-- one total row per year x structure (is_stated_total, commune 'Total': the sum over the
-- territory's communes). One column per recomputed indicator (int_imilo_recomputed_indicators).
--
-- Small-count suppression (var suppression_threshold, default 5), per year x structure x
-- indicator:
--   primary:   a count with 0 < value < threshold is null;
--   secondary: when the suppressed commune counts add up to less than the threshold (one small
--              commune alone could be recovered as total - visible communes), the smallest
--              non-zero visible communes are suppressed too, until they add up to the threshold;
--   totals:    computed from the unsuppressed records, so the total row stays the true total
--              (hidden only when itself below the threshold); total - sum of visible communes is
--              then 0 or at least the threshold;
--   amounts:   hidden with the count of their beneficiaries (suppression_basis).
-- Zeros are shown. suppressed_indicators lists the indicators hidden on a row; on the total row,
-- incomplete_indicators lists those whose communes do not add up to the total because of it.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(**annual_incremental()) }}

{%- set threshold = var('suppression_threshold', 5) | int -%}
{%- set sql_types = {'count': 'bigint', 'eur': 'decimal(14, 2)'} -%}
{%- set rules = ref('int_imilo_recomputed_indicators') -%}
{%- set indicators = [] -%}
{%- if execute -%}
    {%- set rows = run_query("select indicator_code, unit from " ~ rules ~ " order by indicator_code") -%}
    {%- for row in rows -%}
        {%- do indicators.append({'code': row[0], 'type': sql_types[row[1]]}) -%}
    {%- endfor -%}
{%- endif %}

with communes as (
    select year, structure_code, commune_insee, false as is_total, indicator_code, unit,
        suppression_basis, value
    from {{ ref('int_imilo_indicator_values') }}
    {{ year_filter() }}
),

cells as (
    select * from communes
    union all
    select year, structure_code, null, true, indicator_code, unit, suppression_basis, sum(value)
    from communes
    group by year, structure_code, indicator_code, unit, suppression_basis
),

-- suppression is decided on the counts; amounts follow their basis count
counts as (
    select *, value > 0 and value < {{ threshold }} as is_primary
    from cells
    where indicator_code = suppression_basis
),

commune_counts as (
    select * from counts where not is_total
),

commune_decisions as (
    {{ small_count_suppression('commune_counts', ['year', 'structure_code', 'indicator_code'],
                               ['commune_insee'], 'value', 'is_primary', threshold) }}
),

decisions as (
    -- communes: primary and secondary; totals: hidden only when themselves small
    select year, structure_code, commune_insee, false as is_total, indicator_code, suppression
    from commune_decisions
    union all
    select year, structure_code, commune_insee, true, indicator_code,
        case when is_primary then 'primary' end
    from counts
    where is_total
),

incomplete as (
    -- (year, structure, indicator) whose commune rows do not add up to the total
    select distinct year, structure_code, indicator_code
    from decisions
    where not is_total and suppression is not null
),

decided as (
    select
        v.*,
        d.suppression,
        i.indicator_code is not null and v.is_total as is_incomplete
    from cells as v
    inner join decisions as d
        on d.year = v.year and d.structure_code = v.structure_code
        and d.commune_insee is not distinct from v.commune_insee
        and d.is_total = v.is_total and d.indicator_code = v.suppression_basis
    left join incomplete as i
        on i.year = v.year and i.structure_code = v.structure_code
        and i.indicator_code = v.suppression_basis
)

select
    v.year,
    v.structure_code,
    v.commune_insee,
    case when v.is_total then 'Total' else d.commune_name end as commune_name,
    v.is_total as is_stated_total,
    {%- for indicator in indicators %}
    cast(max(v.value) filter (where v.indicator_code = '{{ indicator.code }}' and v.suppression is null)
        as {{ indicator.type }}) as {{ adapter.quote(indicator.code) }},
    {%- endfor %}
    coalesce(list(v.indicator_code order by v.indicator_code) filter (where v.suppression is not null),
             []::varchar[]) as suppressed_indicators,
    coalesce(list(v.indicator_code order by v.indicator_code) filter (where v.is_incomplete),
             []::varchar[]) as incomplete_indicators,
    {{ threshold }} as suppression_threshold
from decided as v
left join {{ ref('dim_commune') }} as d on d.commune_insee = v.commune_insee
group by v.year, v.structure_code, v.commune_insee, v.is_total, d.commune_name
