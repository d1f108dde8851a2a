-- One row per contact with a youth (I-MILO event) and year: the contact as the exports of its
-- year or earlier list it (the latest of them wins; an export of a later year never changes it).
-- commune_insee: the youth's commune of residence in the dim_youth version that holds for the
-- contact's year (their latest export of that year or earlier: the commune the recomputed
-- indicators use); youth_version_key: that version. Orphans (no youth row landed) keep a null
-- commune. Annual: `--vars '{year: 2023}'` builds 2023's contacts only.
{{ config(**annual_incremental(dimension_built=true)) }}

{%- set listed -%}
    select *
    from {{ ref('int_imilo_contacts') }} as c
    where c.year is not null and {{ imilo_export_of_year('c', 'c.year') }}{{ and_year_is('c.year') }}
        {{- and_date_in_build_year('c.contact_date') }}
{%- endset %}

with contacts as (
    {{ latest_listing(listed, ['structure_code', 'contact_id', 'year']) }}
)

select
    md5(c.structure_code || ':' || c.contact_id) as contact_key,
    c.contact_id,
    c.structure_code,
    c.youth_key,
    y.youth_version_key,
    c.contact_date,
    c.year,
    c.contact_nature,
    c.is_interview,
    y.commune_insee,
    c.export_file,
    c.export_line
from contacts as c
-- youth_key hashes the structure code with the file id (ingestion): a key of its own
left join {{ ref('dim_youth') }} as y
    on y.youth_key = c.youth_key
    and {{ imilo_youth_version_of_year('y', 'c.year') }}
