-- One row per situation of a youth (job, alternance, training, placement...) with a start date,
-- as the exports of its start year or earlier list it: I-MILO category and the conformed
-- situation type, contract, state, start and end, programme context (the dispositif it was
-- recorded under: cej, pacea), youth, and commune of residence in the dim_youth version that
-- holds for the start year (their latest export of that year or earlier).
-- youth_version_key: that version. is_confirmed: etat EN_COURS
-- or TERMINE; a planned situation (PREVU) was never confirmed and counts for nothing.
-- Annual by start_year: `--vars '{year: 2023}'` builds the situations starting in 2023.
{{ config(**annual_incremental('start_year', dimension_built=true)) }}

{%- set listed -%}
    select *
    from {{ ref('int_imilo_situations') }} as s
    where s.start_year is not null and {{ imilo_export_of_year('s', 's.start_year') }}{{ and_year_is('s.start_year') }}
        {{- and_date_in_build_year('s.start_date') }}
{%- endset %}

with situations as (
    {{ latest_listing(listed, ['structure_code', 'situation_id', 'start_year']) }}
)

select
    md5(s.structure_code || ':' || s.situation_id) as outcome_key,
    s.situation_id,
    s.structure_code,
    s.youth_key,
    y.youth_version_key,
    s.category,
    s.situation_type,
    s.contract_type,
    s.contract_type_code,
    s.state,
    s.start_date,
    s.end_date,
    s.start_year,
    s.programme_code,
    y.commune_insee,
    coalesce(s.state in ('EN_COURS', 'TERMINE'), false) as is_confirmed,
    s.category in ('Emploi', 'Contrat en Alternance') as is_employment_contract,
    s.category = 'Contrat en Alternance' as is_alternance_contract,
    coalesce(s.category = 'Emploi' and s.contract_type = 'PEC', false) as is_pec_contract,
    s.category in ('Pmsmp', 'Immersion en entreprise') as is_work_placement,
    s.category = 'Formation' as is_training,
    s.export_file,
    s.export_line
from situations as s
-- youth_key hashes the structure code with the file id (ingestion): a key of its own
left join {{ ref('dim_youth') }} as y
    on y.youth_key = s.youth_key
    and {{ imilo_youth_version_of_year('y', 's.start_year') }}
