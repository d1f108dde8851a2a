-- Situations (raw.imilo_situations), typed. category keeps I-MILO's labels (Emploi, Contrat en
-- Alternance, Formation, Pmsmp...), as the recomputation rules name them; the programme context
-- (dispositif CEJ / PACEA) is conformed to dim_programme codes.
{%- set src = source('imilo', 'imilo_situations') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select
        situation_id, youth_key, structure_code, category, contract_type, state, start_date,
        end_date, programme_code, export_file, export_line
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as situation_id, null::varchar as youth_key, null::varchar as structure_code,
        null::varchar as category, null::varchar as contract_type, null::varchar as state,
        null::date as start_date, null::date as end_date, null::varchar as programme_code,
        null::varchar as export_file, null::bigint as export_line
    limit 0
{%- endif %}
)

select
    cast(situation_id as varchar) as situation_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    nullif(trim(cast(category as varchar)), '') as category,
    nullif(upper(trim(cast(contract_type as varchar))), '') as contract_type,
    nullif(upper(trim(cast(state as varchar))), '') as state,
    coalesce(try_cast(start_date as date),
             try_strptime(cast(start_date as varchar), '%d/%m/%Y')::date) as start_date,
    coalesce(try_cast(end_date as date),
             try_strptime(cast(end_date as varchar), '%d/%m/%Y')::date) as end_date,
    nullif(lower(trim(cast(programme_code as varchar))), '') as programme_code,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
