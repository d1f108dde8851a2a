-- Programme enrolments (raw.imilo_enrolments), typed, programme conformed to dim_programme codes
-- (I-MILO dispositifs mapped when landed as exported).
{%- set src = source('imilo', 'imilo_enrolments') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select
        enrolment_id, youth_key, structure_code, programme_code, start_date, planned_end_date,
        end_date, export_file, export_line
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as enrolment_id, null::varchar as youth_key, null::varchar as structure_code,
        null::varchar as programme_code, null::date as start_date, null::date as planned_end_date,
        null::date as end_date, null::varchar as export_file, null::bigint as export_line
    limit 0
{%- endif %}
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
    coalesce(try_cast(start_date as date),
             try_strptime(cast(start_date as varchar), '%d/%m/%Y')::date) as start_date,
    coalesce(try_cast(planned_end_date as date),
             try_strptime(cast(planned_end_date as varchar), '%d/%m/%Y')::date) as planned_end_date,
    coalesce(try_cast(end_date as date),
             try_strptime(cast(end_date as varchar), '%d/%m/%Y')::date) as end_date,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
