-- The indicators of int_imilo_recomputed_indicators recomputed from the star's individual
-- records (sample_inputs/imilo/recompute.md): one row per year x structure x commune of the
-- structure's territory x indicator, UNSUPPRESSED (small counts included): internal, read by
-- mart_commune_year_recomputed (which suppresses them) and mart_reconciliation.
--
-- The rules are those of macros/imilo_indicators.sql, the same that list the records behind
-- each value in int_imilo_indicator_records: one aggregate per rule, over its kind of records
-- (one pass per kind).
-- - A youth is counted, for year Y, in their commune of residence in the dim_youth version that
--   holds for Y (their latest export of year Y or earlier: a later export never changes Y).
--   Rows whose youth has no youth row for Y (orphans: they belong in the quarantine) and youths
--   living outside the structure's territory count nowhere.
-- - Territory (int_imilo_territory): the structure's communes in ref_structure_territory; for a
--   structure without any there, the communes its youths live in.
-- - Scope: the (structure, year) pairs an export covers, i.e. with at least one contact. Within
--   a scope every indicator has a value for every commune of the territory, 0 when no record
--   counts (an export holds the whole year's activity).
-- An annual table (annual_incremental): each year's build computes that year's values once, from
-- that year's facts only, and both marts and the tests read them. (As a view, each of the three
-- recomputed every year's values before keeping one year: its cost grew with the years held.)
-- A first build (the table missing, or a view left by an earlier version) computes every year
-- of the facts, so that no year built before is missing from it.
{{ config(**annual_incremental()) }}
{%- set rules = imilo_indicator_rules() %}
{%- set kinds = imilo_record_sources().keys() | list %}
{%- set only_year = build_year() if is_incremental() else none %}

with indicators as (
    select * from {{ ref('int_imilo_recomputed_indicators') }}
),
{% for kind in kinds %}
{{ kind }}_values as (
    select
        structure_code,
        year,
        commune_insee,
        {%- for rule in rules if rule.records == kind %}
        ({{ imilo_indicator_aggregate(rule) }})::decimal(18, 2) as {{ rule.code }}{{ ',' if not loop.last }}
        {%- endfor %}
    from ({{ imilo_indicator_records_of(kind, only_year) }})
    group by all
),
{% endfor %}
-- one row per value: a union of one select per indicator rather than UNPIVOT, which is not
-- portable (Trino has none) and which sqlglot cannot follow, so the column lineage stopped here
computed as (
    {%- for kind in kinds %}
    {%- for rule in rules if rule.records == kind %}
    select structure_code, year, commune_insee, '{{ rule.code }}' as indicator_code, {{ rule.code }} as value
    from {{ kind }}_values
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

cells as (
    -- every commune of the territory, every year of the scope
    {{ imilo_indicator_cells(only_year) }}
)

select
    c.year::integer as year,
    c.structure_code,
    c.commune_insee,
    i.indicator_code,
    i.unit,
    i.suppression_basis,
    coalesce(v.value, 0)::decimal(18, 2) as value
from cells as c
cross join indicators as i
left join computed as v
    on v.structure_code = c.structure_code
    and v.year = c.year
    and v.commune_insee = c.commune_insee
    and v.indicator_code = i.indicator_code
