-- One row per situation (structure_code x situation_id), kept once when two landed exports list
-- it. Adds the conformed situation type and contract type (dimension_codes) beside I-MILO's.
select
    s.*,
    year(s.start_date) as start_year,
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
where s.situation_id is not null
qualify row_number() over (
    partition by s.structure_code, s.situation_id
    order by s.export_file desc nulls last, s.export_line desc nulls last
) = 1
