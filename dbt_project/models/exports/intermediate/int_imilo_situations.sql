-- One row per landed situation row (export file x line), with the conformed situation type and
-- contract type (dimension_codes) beside I-MILO's and the activity year of the export that
-- lists it (export_year). Not deduplicated here: fct_outcome keeps one row per situation, from
-- the exports of its start year or earlier.
{{ config(**annual_view('start_year')) }}

with export_years as (
    {{ imilo_export_years() }}
)

select
    s.*,
    year(s.start_date) as start_year,
    e.export_year,
    case s.category
        when 'Emploi' then 'employment'
        when 'Contrat en Alternance' then 'alternance'
        when 'Formation' then 'training'
        when 'Immersion en entreprise' then 'work_placement'
        when 'Pmsmp' then 'work_placement'
        when 'Contrat de volontariat - bénévolat' then 'civic_service'
        when 'Scolarité' then 'other'
        when 'Demandeur d''emploi' then 'other'
    end as situation_type,
    case s.contract_type
        when 'CDD' then 'fixed_term'
        when 'CDI' then 'permanent'
        when 'INTERIM' then 'temporary_seasonal'
        when 'APPRENTISSAGE' then 'alternance'
        when 'PROFESSIONNALISATION' then 'alternance'
        when 'PEC' then 'subsidised'
        when 'CREATION' then 'self_employed'
    end as contract_type_code
from {{ ref('stg_imilo__situations') }} as s
left join export_years as e on e.export_file = s.export_file
where s.situation_id is not null
