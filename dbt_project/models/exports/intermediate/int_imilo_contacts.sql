-- One row per contact (structure_code x contact_id): a contact listed by two landed exports is
-- kept once (the last export file and line win). Adds the year and the interview flag.
select
    *,
    year(contact_date) as year,
    -- "entretiens" of the reports: individual interviews, workshops and collective sessions
    contact_nature in ('individual_interview', 'group_session') as is_interview
from {{ ref('stg_imilo__contacts') }}
where contact_id is not null
qualify row_number() over (
    partition by structure_code, contact_id
    order by export_file desc nulls last, export_line desc nulls last
) = 1
