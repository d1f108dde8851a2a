-- The structures of the reference the exports' codes were checked against at ingestion
-- (raw.imilo_reference_structures: the folder MLW_IMILO_REFERENCE names, the MEL seeds by
-- default). dim_structure adds those the MEL seed lacks, e.g. the structures of a national export.
{%- set src = source('imilo', 'imilo_reference_structures') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select code_structure_imilo, nom_officiel, nom_usuel, code_insee_siege_deduit_du_code
    from {{ src }}
{%- else %}
    -- not landed yet (the load job lands it): an empty relation of the same shape
    select
        null::varchar as code_structure_imilo, null::varchar as nom_officiel,
        null::varchar as nom_usuel, null::varchar as code_insee_siege_deduit_du_code
    limit 0
{%- endif %}
)

select
    cast(code_structure_imilo as varchar) as structure_code,
    cast(nom_officiel as varchar) as official_name,
    cast(nom_usuel as varchar) as usual_name,
    cast(code_insee_siege_deduit_du_code as varchar) as seat_commune_insee
from landed
where code_structure_imilo is not null
qualify row_number() over (partition by code_structure_imilo order by nom_officiel) = 1
