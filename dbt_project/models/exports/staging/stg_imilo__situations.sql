-- Situations (raw.imilo_situations), typed. category keeps I-MILO's labels (Emploi, Contrat en
-- Alternance, Formation, Pmsmp...), as the recomputation rules name them; the programme context
-- (dispositif CEJ / PACEA) is conformed to dim_programme codes.
-- Annual view: created by each year's build, its tests read the year's rows only (macros/annual.sql).
{{ config(**annual_view('year(start_date)')) }}

with landed as (
    {{ landed_or_empty('imilo_situations', [
        ('situation_id', 'varchar'), ('youth_key', 'varchar'), ('structure_code', 'varchar'),
        ('category', 'varchar'), ('contract_type', 'varchar'), ('state', 'varchar'),
        ('start_date', 'date'), ('end_date', 'date'), ('programme_code', 'varchar'),
        ('export_file', 'varchar'), ('export_line', 'bigint')
    ]) }}
)

select
    cast(situation_id as varchar) as situation_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    nullif(trim(cast(category as varchar)), '') as category,
    nullif(upper(trim(cast(contract_type as varchar))), '') as contract_type,
    nullif(upper(trim(cast(state as varchar))), '') as state,
    {{ landed_date('imilo_situations', 'start_date') }} as start_date,
    {{ landed_date('imilo_situations', 'end_date') }} as end_date,
    nullif(lower(trim(cast(programme_code as varchar))), '') as programme_code,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
