-- One row per programme enrolment (structure_code x enrolment_id), kept once when two landed
-- exports list it. An enrolment is active in a year when it started on or before 31 December
-- and its real end (end_date) is empty or on or after 1 January: the planned end plays no part.
select
    *,
    year(start_date) as start_year
from {{ ref('stg_imilo__enrolments') }}
where enrolment_id is not null
qualify row_number() over (
    partition by structure_code, enrolment_id
    order by export_file desc nulls last, export_line desc nulls last
) = 1
