-- One row per landed enrolment row (export file x line), with its start year and the activity
-- year of the export that lists it (export_year). Not deduplicated here: fct_programme_enrolment
-- keeps, for each year, the enrolment as the latest export of that year or earlier lists it. An
-- enrolment is active in a year when it started on or before 31 December and its real end
-- (end_date) is empty or on or after 1 January: the planned end plays no part.
{{ config(**annual_view('start_year')) }}

with export_years as (
    {{ imilo_export_years() }}
)

select
    n.*,
    year(n.start_date) as start_year,
    e.export_year
from {{ ref('stg_imilo__enrolments') }} as n
left join export_years as e on e.export_file = n.export_file
where n.enrolment_id is not null
