-- The communes of the reference the exports' codes were checked against at ingestion
-- (raw.imilo_reference_communes: the folder MLW_IMILO_REFERENCE names, the MEL seeds by
-- default). dim_commune adds those the MEL seed lacks, e.g. the communes of a national export.
{%- set src = source('imilo', 'imilo_reference_communes') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select
        code_insee, nom_commune, codes_postaux, siren_epci, nom_epci, dep, arr,
        pop_totale_dgcl2025, pop_municipale_dgcl2025, siege_structure_imilo
    from {{ src }}
{%- else %}
    -- not landed yet (the load job lands it): an empty relation of the same shape
    select
        null::varchar as code_insee, null::varchar as nom_commune, null::varchar as codes_postaux,
        null::varchar as siren_epci, null::varchar as nom_epci, null::varchar as dep,
        null::varchar as arr, null::varchar as pop_totale_dgcl2025,
        null::varchar as pop_municipale_dgcl2025, null::varchar as siege_structure_imilo
    limit 0
{%- endif %}
)

select
    cast(code_insee as varchar) as code_insee,
    cast(nom_commune as varchar) as nom_commune,
    cast(codes_postaux as varchar) as codes_postaux,
    cast(siren_epci as varchar) as siren_epci,
    cast(nom_epci as varchar) as nom_epci,
    cast(dep as varchar) as dep,
    cast(arr as varchar) as arr,
    try_cast(pop_totale_dgcl2025 as integer) as pop_totale_dgcl2025,
    try_cast(pop_municipale_dgcl2025 as integer) as pop_municipale_dgcl2025,
    cast(siege_structure_imilo as varchar) as siege_structure_imilo
from landed
where code_insee is not null
qualify row_number() over (partition by code_insee order by nom_commune) = 1
