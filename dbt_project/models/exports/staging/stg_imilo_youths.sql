-- One row per youth file and export (raw.imilo_youths), typed and conformed. The codes are
-- conformed whether the ingestion landed them conformed (female, above_bac...) or as I-MILO
-- writes them (F, SUP_BAC, O/N, PARENTS...); an unknown code passes through unchanged, so that the
-- accepted_values tests catch it. No personal data: youth_key is the pseudonymised file key.
{%- set src = source('imilo', 'imilo_youths') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select
        youth_key, structure_code, sex, birth_year, age_band, commune_insee, qpv,
        qualification_level, driving_licence, housing, first_registration_date, exported_at,
        export_file, export_line
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as youth_key, null::varchar as structure_code, null::varchar as sex,
        null::integer as birth_year, null::varchar as age_band, null::varchar as commune_insee,
        null::boolean as qpv, null::varchar as qualification_level,
        null::boolean as driving_licence, null::varchar as housing,
        null::date as first_registration_date, null::date as exported_at,
        null::varchar as export_file, null::bigint as export_line
    limit 0
{%- endif %}
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
    coalesce(try_cast(first_registration_date as date),
             try_strptime(cast(first_registration_date as varchar), '%d/%m/%Y')::date)
        as first_registration_date,
    coalesce(try_cast(exported_at as date),
             try_strptime(cast(exported_at as varchar), '%d/%m/%Y')::date) as exported_at,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
