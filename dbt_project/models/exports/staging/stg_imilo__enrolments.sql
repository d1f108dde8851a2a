-- Programme enrolments (raw.imilo_enrolments), typed, programme conformed to dim_programme codes
-- (I-MILO dispositifs mapped when landed as exported).
-- Annual view: created by each year's build, its tests read the year's rows only (macros/annual.sql).
{{ config(**annual_view('year(start_date)')) }}

with landed as (
    {{ landed_or_empty('imilo_enrolments', [
        ('enrolment_id', 'varchar'), ('youth_key', 'varchar'), ('structure_code', 'varchar'),
        ('programme_code', 'varchar'), ('start_date', 'date'), ('planned_end_date', 'date'),
        ('end_date', 'date'), ('export_file', 'varchar'), ('export_line', 'bigint')
    ]) }}
)

select
    cast(enrolment_id as varchar) as enrolment_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    case upper(trim(cast(programme_code as varchar)))
        when 'PARRAINAGE' then 'mentoring'
        when 'SERVICE_CIVIQUE' then 'civic_service'
        else nullif(lower(trim(cast(programme_code as varchar))), '')
    end as programme_code,
    {{ landed_date('imilo_enrolments', 'start_date') }} as start_date,
    {{ landed_date('imilo_enrolments', 'planned_end_date') }} as planned_end_date,
    {{ landed_date('imilo_enrolments', 'end_date') }} as end_date,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
