-- Contacts with youths (raw.imilo_contacts), typed, nature conformed (I-MILO natures mapped
-- when landed as exported; an unknown nature passes through for the accepted_values test).
{%- set src = source('imilo', 'imilo_contacts') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select contact_id, youth_key, structure_code, contact_date, contact_nature, export_file, export_line
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as contact_id, null::varchar as youth_key, null::varchar as structure_code,
        null::date as contact_date, null::varchar as contact_nature,
        null::varchar as export_file, null::bigint as export_line
    limit 0
{%- endif %}
)

select
    cast(contact_id as varchar) as contact_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    coalesce(try_cast(contact_date as date),
             try_strptime(cast(contact_date as varchar), '%d/%m/%Y')::date) as contact_date,
    case upper(trim(cast(contact_nature as varchar)))
        when 'ENTRETIEN_INDIVIDUEL' then 'individual_interview'
        when 'ATELIER' then 'group_session'
        when 'SMS' then 'sms'
        when 'MAIL' then 'email'
        when 'TELEPHONE' then 'phone'
        when 'AUTRE' then 'other'
        else nullif(lower(trim(cast(contact_nature as varchar))), '')
    end as contact_nature,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
