-- One row per landed contact row (export file x line), with its year, the interview flag and
-- the activity year of the export that lists it (export_year). Not deduplicated here:
-- fct_contact keeps one row per contact and year, from the exports of that year or earlier.
{{ config(**annual_view('year')) }}

with export_years as (
    {{ imilo_export_years() }}
)

select
    c.*,
    year(c.contact_date) as year,
    -- "entretiens" of the reports: individual interviews, workshops and collective sessions
    c.contact_nature in ('individual_interview', 'group_session') as is_interview,
    e.export_year
from {{ ref('stg_imilo__contacts') }} as c
left join export_years as e on e.export_file = c.export_file
where c.contact_id is not null
