-- One row per youth file and export (raw.imilo_youths), typed and conformed. The codes are
-- conformed whether the ingestion landed them conformed (female, above_bac...) or as I-MILO
-- writes them (F, SUP_BAC, O/N, PARENTS...); an unknown code passes through unchanged, so that the
-- accepted_values tests catch it. No personal data: youth_key is the pseudonymised file key.
with landed as (
    {{ landed_or_empty('imilo_youths', [
        ('youth_key', 'varchar'), ('structure_code', 'varchar'), ('sex', 'varchar'),
        ('birth_year', 'integer'), ('age_band', 'varchar'), ('commune_insee', 'varchar'),
        ('qpv', 'boolean'), ('qualification_level', 'varchar'), ('driving_licence', 'boolean'),
        ('housing', 'varchar'), ('first_registration_date', 'date'), ('exported_at', 'date'),
        ('export_file', 'varchar'), ('export_line', 'bigint')
    ]) }}
)

select
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    case upper(trim(cast(sex as varchar)))
        when 'F' then 'female' when 'FEMALE' then 'female'
        when 'M' then 'male' when 'MALE' then 'male'
        else nullif(trim(cast(sex as varchar)), '')
    end as sex,
    try_cast(birth_year as integer) as birth_year,
    nullif(trim(cast(age_band as varchar)), '') as age_band,
    nullif(trim(cast(commune_insee as varchar)), '') as commune_insee,
    case
        when lower(trim(cast(qpv as varchar))) in ('true', 't', '1', 'o', 'oui', 'y', 'yes') then true
        when lower(trim(cast(qpv as varchar))) in ('false', 'f', '0', 'n', 'non', 'no') then false
    end as is_qpv,
    case upper(trim(cast(qualification_level as varchar)))
        when 'SUP_BAC' then 'above_bac' when 'BAC' then 'bac'
        when 'CAP_BEP' then 'cap_bep' when 'SANS_DIPLOME' then 'no_diploma'
        else nullif(lower(trim(cast(qualification_level as varchar))), '')
    end as qualification_level,
    case
        when lower(trim(cast(driving_licence as varchar))) in ('true', 't', '1', 'o', 'oui', 'y', 'yes', 'holder')
            then 'holder'
        when lower(trim(cast(driving_licence as varchar))) in ('false', 'f', '0', 'n', 'non', 'no', 'not_holder')
            then 'not_holder'
        else nullif(trim(cast(driving_licence as varchar)), '')
    end as driving_licence,
    case upper(trim(cast(housing as varchar)))
        when 'PARENTS' then 'with_parents' when 'AUTONOME' then 'independent'
        when 'PRECAIRE' then 'precarious'
        else nullif(lower(trim(cast(housing as varchar))), '')
    end as housing,
    {{ landed_date('imilo_youths', 'first_registration_date') }}
        as first_registration_date,
    {{ landed_date('imilo_youths', 'exported_at') }} as exported_at,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
