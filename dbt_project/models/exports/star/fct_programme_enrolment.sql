-- One row per programme enrolment of a youth (CEJ, Garantie Jeunes, PACEA, PPAE, mentoring,
-- civic service) and year it is active in (year: started on or before 31 December, no real end
-- before 1 January; the planned end plays no part), the enrolment as the latest export of that
-- year or earlier lists it (is_running: no real end there), with the youth's commune of
-- residence in the dim_youth version that holds for the year (their latest export of that year
-- or earlier). youth_version_key: that version.
-- Years: the one built (`--vars '{year: 2023}'`), else every year with a contact.
{{ config(**annual_incremental()) }}

{%- set contacts = ref('int_imilo_contacts') %}

with years as (
    {%- if build_year() is not none %}
    select {{ build_year() }} as year
    {%- else %}
    select distinct year from {{ contacts }} where year is not null
    {%- endif %}
),

known as (
    -- each enrolment as the latest export of a year <= the year lists it
    select e.*, y.year
    from {{ ref('int_imilo_enrolments') }} as e
    inner join years as y on {{ imilo_export_of_year('e', 'y.year') }}
    qualify row_number() over (
        partition by e.structure_code, e.enrolment_id, y.year
        order by e.export_year desc nulls last, e.export_file desc nulls last, e.export_line desc nulls last
    ) = 1
),

active as (
    select * from known
    where start_year <= year and (end_date is null or year(end_date) >= year)
)

select
    md5(e.structure_code || ':' || e.enrolment_id) as enrolment_key,
    e.enrolment_id,
    e.structure_code,
    e.youth_key,
    y.youth_version_key,
    e.programme_code,
    e.year,
    e.start_date,
    e.planned_end_date,
    e.end_date,
    e.start_year,
    e.end_date is null as is_running,
    y.commune_insee,
    e.export_file,
    e.export_line
from active as e
-- youth_key hashes the structure code with the file id (ingestion): a key of its own
left join {{ ref('dim_youth') }} as y
    on y.youth_key = e.youth_key
    and {{ imilo_youth_version_of_year('y', 'e.year') }}
