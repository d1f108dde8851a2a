-- Allowances and financial aid paid (raw.imilo_allowances), typed. aid_code keeps I-MILO's
-- dispositif (PACEA, CEJ, FAJ, MOBILITE, FONDS_ML_DIRECT, FONDS_ML_INDIRECT); amounts in euros.
{%- set src = source('imilo', 'imilo_allowances') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select allowance_id, youth_key, structure_code, aid_code, paid_on, amount_eur, export_file, export_line
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as allowance_id, null::varchar as youth_key, null::varchar as structure_code,
        null::varchar as aid_code, null::date as paid_on, null::decimal(14, 2) as amount_eur,
        null::varchar as export_file, null::bigint as export_line
    limit 0
{%- endif %}
)

select
    cast(allowance_id as varchar) as allowance_id,
    cast(youth_key as varchar) as youth_key,
    cast(structure_code as varchar) as structure_code,
    nullif(upper(trim(cast(aid_code as varchar))), '') as aid_code,
    coalesce(try_cast(paid_on as date),
             try_strptime(cast(paid_on as varchar), '%d/%m/%Y')::date) as paid_on,
    coalesce(try_cast(amount_eur as decimal(14, 2)),
             try_cast(replace(cast(amount_eur as varchar), ',', '.') as decimal(14, 2))) as amount_eur,
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line
from landed
