-- One row per payment (structure_code x allowance_id), kept once when two landed exports list
-- it, with the catalogue indicators it feeds (<aid_indicator>_beneficiaries / _amount) and the
-- programme it belongs to, if any.
with aids (aid_code, aid_indicator, programme_code) as (
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
    aids.programme_code
from {{ ref('stg_imilo__allowances') }} as a
left join aids on aids.aid_code = a.aid_code
where a.allowance_id is not null
qualify row_number() over (
    partition by a.structure_code, a.allowance_id
    order by a.export_file desc nulls last, a.export_line desc nulls last
) = 1
