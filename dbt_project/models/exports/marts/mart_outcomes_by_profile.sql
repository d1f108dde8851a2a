-- Outcome rates by profile: one row per year x structure x sex x age band x qualification level
-- x outcome, plus one total row per year x structure x outcome (is_total, profile columns null).
-- Cohort: the youths in contact with the Mission Locale during the year (at least one contact)
-- and living in the structure's territory: the youths_in_contact of the commune tables (a youth
-- with no youth row, or living outside the territory, counts nowhere, as in recompute.md).
-- Profile: sex and qualification level of the youth's latest export of the year or earlier
-- (the dim_youth version that holds for the year; 'unknown' when missing),
-- age band at 31 December of the year from birth_year. Outcome: at least one confirmed (not
-- PREVU) situation of that kind starting in the year: employment (Emploi or Contrat en Alternance), alternance,
-- training (Formation), work_placement (Pmsmp or Immersion en entreprise), positive_outcome
-- (employment or training).
--
-- Small-count suppression (var suppression_threshold, default 5), a public mart:
--   primary:   youths (a cell's cohort) or youths_with_outcome with 0 < n < threshold is null;
--              a cell whose youths are hidden hides its youths_with_outcome too;
--   secondary: per year x structure (youths) and per year x structure x outcome
--              (youths_with_outcome), when the hidden cells add up to less than the threshold,
--              the smallest non-zero visible cells are hidden too until they reach it;
--   totals:    the total rows are computed from the unsuppressed records (true totals, hidden
--              only when themselves below the threshold) and carry has_suppressed_cells; total -
--              sum of visible cells is then 0 or at least the threshold, so no hidden cell can be
--              recovered by subtraction;
--   rates:     null when their numerator or denominator is hidden.
-- is_suppressed: a value of the row is hidden. Not protected: a small complement (youths -
-- youths_with_outcome), disclosed by a visible pair of counts.
-- Annual: `--vars '{year: 2023}'` rebuilds 2023 only; without the var, every year is rebuilt.
{{ config(**annual_incremental()) }}

{%- set threshold = var('suppression_threshold', 5) | int %}

with cohort as (
    select distinct c.year, c.structure_code, c.youth_key
    from {{ ref('fct_contact') }} as c
    inner join {{ ref('int_imilo_territory') }} as t
        on t.structure_code = c.structure_code and t.commune_insee = c.commune_insee
        and {{ imilo_youth_version_of_year('t', 'c.year') }}
    where c.year is not null
    {{- and_year_is('c.year') }}
),

outcomes as (
    select
        structure_code,
        youth_key,
        start_year as year,
        bool_or(is_employment_contract) as employment,
        bool_or(is_alternance_contract) as alternance,
        bool_or(is_training) as training,
        bool_or(is_work_placement) as work_placement
    from {{ ref('fct_outcome') }}
    where start_year is not null and is_confirmed  -- a planned (PREVU) situation is no outcome
        -- the year built only: the cohort's, which the join below keeps (DuckDB does not carry
        -- that year through the join, and grouped every year's situations first)
        {{- and_year_is('start_year') }}
    group by structure_code, youth_key, start_year
),

youths as (
    select
        c.year,
        c.structure_code,
        c.youth_key,
        coalesce(y.sex, 'unknown') as sex,
        case
            when y.birth_year is null then 'unknown'
            when c.year - y.birth_year <= 17 then '16_17'
            when c.year - y.birth_year <= 21 then '18_21'
            when c.year - y.birth_year <= 25 then '22_25'
            else '26_plus'
        end as age_band,
        coalesce(y.qualification_level, 'unknown') as qualification_level,
        coalesce(o.employment, false) as employment,
        coalesce(o.alternance, false) as alternance,
        coalesce(o.training, false) as training,
        coalesce(o.work_placement, false) as work_placement,
        coalesce(o.employment or o.training, false) as positive_outcome
    from cohort as c
    inner join {{ ref('dim_youth') }} as y
        on y.structure_code = c.structure_code and y.youth_key = c.youth_key
        and {{ imilo_youth_version_of_year('y', 'c.year') }}
    left join outcomes as o
        on o.structure_code = c.structure_code and o.youth_key = c.youth_key and o.year = c.year
),

-- one row per youth and outcome: a union rather than UNPIVOT (not portable, and sqlglot cannot
-- follow it for the column lineage)
youth_outcomes as (
    {%- for outcome in ['employment', 'alternance', 'training', 'work_placement', 'positive_outcome'] %}
    select year, structure_code, sex, age_band, qualification_level, '{{ outcome }}' as outcome,
        {{ outcome }} as achieved
    from youths
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

cells as (
    select
        year, structure_code, sex, age_band, qualification_level, outcome,
        count(*) as youths,
        count(*) filter (where achieved) as youths_with_outcome
    from youth_outcomes
    group by all
),

-- the cohort of each cell (the same for every outcome), suppressed first
cohorts as (
    select distinct year, structure_code, sex, age_band, qualification_level, youths,
        youths > 0 and youths < {{ threshold }} as is_primary
    from cells
),

cohort_decisions as (
    {{ small_count_suppression('cohorts', ['year', 'structure_code'],
                               ['sex', 'age_band', 'qualification_level'], 'youths', 'is_primary', threshold) }}
),

numerators as (
    select
        c.*,
        d.suppression as youths_suppression,
        d.suppression is not null
            or (c.youths_with_outcome > 0 and c.youths_with_outcome < {{ threshold }}) as is_primary
    from cells as c
    inner join cohort_decisions as d using (year, structure_code, sex, age_band, qualification_level)
),

outcome_decisions as (
    {{ small_count_suppression('numerators', ['year', 'structure_code', 'outcome'],
                               ['sex', 'age_band', 'qualification_level'], 'youths_with_outcome',
                               'is_primary', threshold) }}
),

decided_cells as (
    select
        n.year, n.structure_code, false as is_total, n.sex, n.age_band, n.qualification_level,
        n.outcome, n.youths, n.youths_with_outcome, n.youths_suppression,
        d.suppression as outcome_suppression
    from numerators as n
    inner join outcome_decisions as d
        using (year, structure_code, outcome, sex, age_band, qualification_level)
),

totals as (
    select
        year, structure_code, true as is_total, null::varchar as sex, null::varchar as age_band,
        null::varchar as qualification_level, outcome,
        sum(youths) as youths,
        sum(youths_with_outcome) as youths_with_outcome,
        bool_or(youths_suppression is not null or outcome_suppression is not null) as has_suppressed_cells
    from decided_cells
    group by year, structure_code, outcome
),

decided_totals as (
    select
        year, structure_code, is_total, sex, age_band, qualification_level, outcome, youths,
        youths_with_outcome,
        case when youths > 0 and youths < {{ threshold }} then 'primary' end as youths_suppression,
        case
            when youths > 0 and youths < {{ threshold }} then 'primary'
            when youths_with_outcome > 0 and youths_with_outcome < {{ threshold }} then 'primary'
        end as outcome_suppression,
        has_suppressed_cells
    from totals
),

decided as (
    select *, false as has_suppressed_cells from decided_cells
    union all by name
    select * from decided_totals
)

select
    year,
    structure_code,
    is_total,
    sex,
    age_band,
    qualification_level,
    outcome,
    case when youths_suppression is null then youths end::bigint as youths,
    case when outcome_suppression is null then youths_with_outcome end::bigint as youths_with_outcome,
    case
        when youths_suppression is null and outcome_suppression is null and youths > 0
            then round(youths_with_outcome / youths, 4)
    end as outcome_rate,
    youths_suppression is not null or outcome_suppression is not null as is_suppressed,
    youths_suppression,
    outcome_suppression,
    has_suppressed_cells,
    {{ threshold }} as suppression_threshold
from decided
