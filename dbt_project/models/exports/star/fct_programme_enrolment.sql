-- One row per programme enrolment of a youth (CEJ, Garantie Jeunes, PACEA, PPAE, mentoring,
-- civic service), with its dates (is_running: no real end; the planned end plays no part in
-- whether an enrolment is active) and the youth's commune of residence (current row).
-- youth_version_key: the dim_youth version valid on the start date.
select
    md5(e.structure_code || ':' || e.enrolment_id) as enrolment_key,
    e.enrolment_id,
    e.structure_code,
    e.youth_key,
    v.youth_version_key,
    e.programme_code,
    e.start_date,
    e.planned_end_date,
    e.end_date,
    e.start_year,
    e.end_date is null as is_running,
    y.commune_insee,
    e.export_file,
    e.export_line
from {{ ref('int_imilo_enrolments') }} as e
left join {{ ref('dim_youth') }} as y
    on y.structure_code = e.structure_code and y.youth_key = e.youth_key and y.is_current
left join {{ ref('dim_youth') }} as v
    on v.structure_code = e.structure_code and v.youth_key = e.youth_key
    and (v.valid_from <= e.start_date or v.version_number = 1)
    and (v.valid_to is null or e.start_date < v.valid_to)
