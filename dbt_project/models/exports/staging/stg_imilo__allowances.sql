-- Allowances and financial aid paid (raw.imilo_allowances), typed. aid_code keeps I-MILO's
-- dispositif (PACEA, CEJ, FAJ, MOBILITE, FONDS_ML_DIRECT, FONDS_ML_INDIRECT); amounts in euros.
-- Annual view: created by each year's build, its tests read the year's rows only (macros/annual.sql).
{{ config(**annual_view('year(paid_on)')) }}

with landed as (
    {{ landed_or_empty('imilo_allowances', [
        ('allowance_id', 'varchar'), ('youth_key', 'varchar'), ('structure_code', 'varchar'),
        ('aid_code', 'varchar'), ('paid_on', 'date'), ('amount_eur', 'decimal(14, 2)'),
        ('export_file', 'varchar'), ('export_line', 'bigint')
    ]) }}
)

select
    cast(allowance_id as varchar) as allowance_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    nullif(upper(trim(cast(aid_code as varchar))), '') as aid_code,
    {{ landed_date('imilo_allowances', 'paid_on') }} as paid_on,
    coalesce(try_cast(amount_eur as decimal(14, 2)),
             try_cast(replace(cast(amount_eur as varchar), ',', '.') as decimal(14, 2))) as amount_eur,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
