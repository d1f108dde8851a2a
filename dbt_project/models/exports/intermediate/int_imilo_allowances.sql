-- One row per landed payment row (export file x line), with the catalogue indicators it feeds
-- (<aid_indicator>_beneficiaries / _amount), the programme it belongs to, if any, and the
-- activity year of the export that lists it (export_year). Not deduplicated here: fct_allowance
-- keeps one row per payment, from the exports of its year or earlier.
{{ config(**annual_view('year')) }}

with export_years as (
    {{ imilo_export_years() }}
),

aids (aid_code, aid_indicator, programme_code) as (
    values
        ('PACEA', 'pacea_allowance', 'pacea'),
        ('CEJ', 'cej_allowance', 'cej'),
        ('FAJ', 'fajem_aid', 'faj'),
        ('MOBILITE', 'mobility_aid', null),
        ('FONDS_ML_DIRECT', 'ml_fund_direct_aid', null),
        ('FONDS_ML_INDIRECT', 'ml_fund_indirect_aid', null)
)

select
    a.*,
    year(a.paid_on) as year,
    aids.aid_indicator,
    aids.programme_code,
    e.export_year
from {{ ref('stg_imilo__allowances') }} as a
left join aids on aids.aid_code = a.aid_code
left join export_years as e on e.export_file = a.export_file
where a.allowance_id is not null
