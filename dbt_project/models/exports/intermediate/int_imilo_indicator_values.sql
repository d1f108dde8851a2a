-- The indicators of int_imilo_recomputed_indicators recomputed from the star's individual
-- records (sample_inputs/imilo/recompute.md): one row per year x structure x commune of the
-- structure's territory x indicator, UNSUPPRESSED (small counts included): internal, read by
-- mart_commune_year_recomputed (which suppresses them) and mart_reconciliation.
--
-- - Every youth is counted in the commune of residence of their current row (latest export,
--   dim_youth.is_current), for every year. Rows whose youth has no youth row (orphans: they
--   belong in the quarantine) and youths living outside the structure's territory count nowhere.
-- - Territory (int_imilo_territory): the structure's communes in ref_structure_territory; for a
--   structure without any there, the communes its youths live in.
-- - Scope: the (structure, year) pairs an export covers, i.e. with at least one contact. Within
--   a scope every indicator has a value for every commune of the territory, 0 when no record
--   counts (an export holds the whole year's activity).
with indicators as (
    select * from {{ ref('int_imilo_recomputed_indicators') }}
),

scope as (
    select distinct structure_code, year
    from {{ ref('fct_contact') }}
    where structure_code is not null and year is not null
),

current_youths as (
    select * from {{ ref('dim_youth') }} where is_current
),

registrations as (
    select
        structure_code,
        first_registration_year as year,
        commune_insee,
        count(*) as new_registrations,
        count(*) filter (where is_qpv) as new_registrations_qpv
    from current_youths
    where first_registration_year is not null
    group by all
),

contacts as (
    select
        structure_code,
        year,
        commune_insee,
        count(distinct youth_key) as youths_in_contact,
        count(distinct youth_key) filter (where is_interview) as youths_interviewed,
        count(*) as contacts,
        count(*) filter (where is_interview) as contacts_interviews
    from {{ ref('fct_contact') }}
    group by all
),

situations as (
    -- counted situations: confirmed (EN_COURS or TERMINE, never PREVU), started in the year
    select
        structure_code,
        start_year as year,
        commune_insee,
        count(*) filter (where is_employment_contract) as employment_contracts,
        count(*) filter (where is_alternance_contract) as alternance_contracts,
        count(*) filter (where is_pec_contract) as pec_contracts,
        count(*) filter (where is_work_placement) as pmsmp_periods,
        count(distinct youth_key) filter (where is_training) as training_entries
    from {{ ref('fct_outcome') }}
    where start_year is not null and is_confirmed
    group by all
),

enrolments as (
    -- enrolments active in a year of the scope: started on or before 31 December and without a
    -- real end before 1 January (the planned end plays no part: no real end = still running)
    select
        s.structure_code,
        s.year,
        e.commune_insee,
        count(distinct e.youth_key) filter (where e.programme_code in ('cej', 'garantie_jeunes'))
            as cej_youths,
        count(distinct e.youth_key) filter (
            where e.programme_code in ('cej', 'garantie_jeunes') and e.start_year = s.year
        ) as cej_entrants,
        count(distinct e.youth_key) filter (where e.programme_code = 'civic_service')
            as civic_service_youths,
        count(distinct e.youth_key) filter (
            where e.programme_code = 'civic_service' and e.start_year = s.year
        ) as civic_service_starts
    from {{ ref('fct_programme_enrolment') }} as e
    inner join scope as s
        on s.structure_code = e.structure_code
        and e.start_year <= s.year
        and (e.end_date is null or year(e.end_date) >= s.year)
    where e.programme_code in ('cej', 'garantie_jeunes', 'civic_service')
    group by all
),

aids as (
    select
        structure_code,
        year,
        commune_insee,
        aid_indicator,
        count(distinct youth_key) as beneficiaries,
        sum(amount_eur) as amount
    from {{ ref('fct_allowance') }}
    where aid_indicator is not null and year is not null
    group by all
),

computed as (
    select structure_code, year, commune_insee, indicator_code, value::decimal(18, 2) as value
    from (
        unpivot registrations on new_registrations, new_registrations_qpv
        into name indicator_code value value
    )
    union all
    select structure_code, year, commune_insee, indicator_code, value::decimal(18, 2)
    from (
        unpivot contacts on youths_in_contact, youths_interviewed, contacts, contacts_interviews
        into name indicator_code value value
    )
    union all
    select structure_code, year, commune_insee, indicator_code, value::decimal(18, 2)
    from (
        unpivot situations on employment_contracts, alternance_contracts, pec_contracts,
            pmsmp_periods, training_entries
        into name indicator_code value value
    )
    union all
    select structure_code, year, commune_insee, indicator_code, value::decimal(18, 2)
    from (
        unpivot enrolments on cej_youths, cej_entrants, civic_service_youths, civic_service_starts
        into name indicator_code value value
    )
    union all
    select structure_code, year, commune_insee, aid_indicator || '_beneficiaries', beneficiaries::decimal(18, 2)
    from aids
    union all
    select structure_code, year, commune_insee, aid_indicator || '_amount', amount::decimal(18, 2)
    from aids
),

cells as (
    -- every commune of the territory, every year of the scope
    select s.structure_code, s.year, t.commune_insee
    from scope as s
    inner join {{ ref('int_imilo_territory') }} as t on t.structure_code = s.structure_code
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
