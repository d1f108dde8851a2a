-- Contacts with youths (raw.imilo_contacts), typed, nature conformed (I-MILO natures mapped
-- when landed as exported; an unknown nature passes through for the accepted_values test).
-- Annual view: created by each year's build, its tests read the year's rows only (macros/annual.sql).
{{ config(**annual_view('year(contact_date)')) }}

with landed as (
    {{ landed_or_empty('imilo_contacts', [
        ('contact_id', 'varchar'), ('youth_key', 'varchar'), ('structure_code', 'varchar'),
        ('contact_date', 'date'), ('contact_nature', 'varchar'), ('export_file', 'varchar'),
        ('export_line', 'bigint')
    ]) }}
)

select
    cast(contact_id as varchar) as contact_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    {{ landed_date('imilo_contacts', 'contact_date') }} as contact_date,
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
