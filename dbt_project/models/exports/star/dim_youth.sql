-- One row per youth (youth_key, pseudonymised) and version of their attributes: a slowly
-- changing dimension (type 2) computed from every landed export, not a dbt snapshot, so that
-- the history is that of the exports, not of the dbt runs, and is rebuilt the same from the same
-- exports. Rows are in the order of their export's activity year, then of dateExport (a youth
-- listed by two years' exports, or exported twice in one, can have dates that interleave);
-- consecutive rows with the same attributes are one version.
-- age_band is not kept: it is relative to the export year; the marts derive the age band of a
-- year from birth_year. valid_from_year / valid_to_year: the activity years of the exports that
-- start this version and the next one: the version that holds for year Y (the youth's latest
-- export row of a year <= Y, macros/imilo_years.sql) is the one with valid_from_year <= Y <
-- valid_to_year (at most one: years never decrease along the versions); the annual facts and
-- marts read a youth's commune, profile and youth_version_key from it.
-- A load that only adds export files rebuilds the youths they list, not every youth
-- (macros/youth_versions_rebuilt.sql): the same rows, in a time that follows the new export
-- (only a digest of every export's youth rows still reads them all).
{{ config(
    materialized='annual',
    on_schema_change='sync_all_columns',
    pre_hook=["{{ delete_rebuilt_youths() }}"],
    post_hook=["{{ record_youth_sources() }}"],
) }}
{%- set rebuilt_files = youth_files_to_rebuild() %}

with exports as (
    select
        *,
        {
            'sex': sex, 'birth_year': birth_year, 'commune_insee': commune_insee, 'is_qpv': is_qpv,
            'qualification_level': qualification_level, 'driving_licence': driving_licence,
            'housing': housing, 'first_registration_date': first_registration_date
        } as attributes
    from {{ ref('int_imilo_youth_exports') }}
    {{ where_youth_in_files(rebuilt_files) }}
),

changes as (
    select
        *,
        -- a new version starts at the first export and wherever an attribute changed
        (lag(attributes) over by_export is distinct from attributes) as is_change
    from exports
    window by_export as (partition by youth_key order by coalesce(export_year, 0), exported_at)
),

islands as (
    select
        *,
        sum(is_change::integer) over (
            partition by youth_key order by coalesce(export_year, 0), exported_at rows unbounded preceding
        ) as version_number
    from changes
),

versions as (
    select
        youth_key,
        version_number,
        any_value(structure_code) as structure_code,
        any_value(attributes) as attributes,
        min(exported_at) as valid_from,
        min(export_year) as valid_from_year,
        max(exported_at) as last_exported_at,
        count(*) as export_count,
        arg_min(export_file, exported_at) as export_file,
        arg_min(export_line, exported_at) as export_line
    from islands
    group by youth_key, version_number
)

select
    md5(youth_key || ':' || version_number) as youth_version_key,
    youth_key,
    structure_code,
    version_number::integer as version_number,
    valid_from,
    lead(valid_from) over (partition by youth_key order by version_number) as valid_to,
    lead(valid_from) over (partition by youth_key order by version_number) is null as is_current,
    valid_from_year,
    -- 0 when the next version's export year is unknown: a version never holds for a year then
    lead(coalesce(valid_from_year, 0)) over (partition by youth_key order by version_number)
        as valid_to_year,
    attributes.sex,
    attributes.birth_year,
    attributes.commune_insee,
    attributes.is_qpv,
    attributes.qualification_level,
    attributes.driving_licence,
    attributes.housing,
    attributes.first_registration_date,
    year(attributes.first_registration_date) as first_registration_year,
    last_exported_at,
    export_count::integer as export_count,
    export_file,
    export_line
from versions
