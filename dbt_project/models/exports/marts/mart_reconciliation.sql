-- Published figures against the same indicators recomputed from the I-MILO exports: one row
-- per indicator x year x structure x commune (and one per stated total, is_total, commune null),
-- for the indicators of int_imilo_recomputed_indicators. Full outer join of
-- fct_published_indicator (commune-grain figures and stated totals, as printed) and
-- int_imilo_indicator_values (summed over communes for the totals):
-- difference = recomputed_value - published_value, null when one side is missing (status
-- published_only: no export covers that year and structure, or the commune is not one of its
-- scope; recomputed_only: the report does not print it). A stated total flagged
-- source_total_mismatch (published_flags) does not add up in the report itself: it cannot be
-- recomputed and its difference says so.
--
-- INTERNAL, NOT SUPPRESSED: a reconciliation needs the exact recomputed counts, small ones
-- included. It is an audit mart for the Missions Locales' data team, not a published mart (it is
-- not in the releases); is_small_count flags the recomputed values that a public mart would hide
-- (a count, or the beneficiaries of an amount, with 0 < value < suppression_threshold), so that
-- an extract of it can drop them. The published values are public already.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(**annual_incremental()) }}

{%- set threshold = var('suppression_threshold', 5) | int %}

with indicators as (
    select indicator_code, unit from {{ ref('int_imilo_recomputed_indicators') }}
),

communes as (
    select year, structure_code, commune_insee, false as is_total, indicator_code, suppression_basis, value
    from {{ ref('int_imilo_indicator_values') }}
    {{ year_filter() }}
),

cells as (
    select * from communes
    union all
    select year, structure_code, null, true, indicator_code, suppression_basis, sum(value)
    from communes
    group by year, structure_code, indicator_code, suppression_basis
),

recomputed as (
    -- basis_value: the count that decides suppression (an amount's beneficiaries)
    select
        *,
        max(value) filter (where indicator_code = suppression_basis) over (
            partition by year, structure_code, commune_insee, is_total, suppression_basis
        ) as basis_value
    from cells
),

published as (
    -- the same figure printed by two documents is one row (max, as mart_commune_year does);
    -- published_fact_ids lists them and published_values_disagree flags different values
    select
        f.year,
        f.structure_code,
        f.commune_insee,
        f.is_total,
        f.indicator_code,
        max(f.commune_name) as commune_name,
        max(f.value) as published_value,
        min(f.value) <> max(f.value) as published_values_disagree,
        list(f.fact_id order by f.fact_id) as published_fact_ids,
        list_sort(list_distinct(flatten(list(f.flags)))) as published_flags
    from {{ ref('fct_published_indicator') }} as f
    inner join indicators as i on i.indicator_code = f.indicator_code
    where f.indicator_grain = 'commune'
    {{- and_year_is('f.year') }}
    group by f.year, f.structure_code, f.commune_insee, f.is_total, f.indicator_code
),

quarantine as (
    -- export rows set aside at ingestion: a difference may come from them
    select year, structure_code, count(distinct (export_file, export_line)) as quarantined_rows  -- noqa: LT01, LT06
    from {{ ref('stg_imilo__quarantine') }}
    group by year, structure_code
),

joined as (
    select
        coalesce(p.year, r.year) as year,
        coalesce(p.structure_code, r.structure_code) as structure_code,
        coalesce(p.commune_insee, r.commune_insee) as commune_insee,
        coalesce(p.is_total, r.is_total) as is_total,
        coalesce(p.indicator_code, r.indicator_code) as indicator_code,
        p.commune_name as published_commune_name,
        p.published_value,
        r.value::double as recomputed_value,
        r.basis_value,
        p.published_values_disagree,
        p.published_fact_ids,
        p.published_flags
    from published as p
    full outer join recomputed as r
        on r.year = p.year
        and r.structure_code = p.structure_code
        and r.indicator_code = p.indicator_code
        and r.is_total = p.is_total
        and r.commune_insee is not distinct from p.commune_insee
)

select
    j.indicator_code,
    j.year,
    j.structure_code,
    j.commune_insee,
    case when j.is_total then 'Total' else coalesce(d.commune_name, j.published_commune_name) end
        as commune_name,
    j.is_total,
    i.unit,
    j.published_value,
    j.recomputed_value,
    round(j.recomputed_value - j.published_value, 2) as difference,
    case when j.published_value <> 0 then round((j.recomputed_value - j.published_value) / j.published_value, 4) end
        as relative_difference,
    case
        when j.published_value is null then 'recomputed_only'
        when j.recomputed_value is null then 'published_only'
        when round(j.recomputed_value - j.published_value, 2) = 0 then 'match'
        else 'mismatch'
    end as status,
    coalesce(j.basis_value > 0 and j.basis_value < {{ threshold }}, false) as is_small_count,
    coalesce(j.published_values_disagree, false) as published_values_disagree,
    coalesce(j.published_fact_ids, []::varchar[]) as published_fact_ids,
    coalesce(j.published_flags, []::varchar[]) as published_flags,
    coalesce(q.quarantined_rows, 0) as quarantined_rows
from joined as j
inner join indicators as i on i.indicator_code = j.indicator_code
left join {{ ref('dim_commune') }} as d on d.commune_insee = j.commune_insee
left join quarantine as q on q.year = j.year and q.structure_code = j.structure_code
