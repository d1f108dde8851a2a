-- Export rows that failed validation at ingestion (raw.imilo_quarantine): one row per failing
-- column of a row. Read by mart_reconciliation to tell how many rows a difference may miss.
{%- set src = source('imilo', 'imilo_quarantine') %}
{%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                  identifier=src.identifier) is not none %}
{%- if execute and not landed %}{% do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) %}{% endif %}

with landed as (
{%- if landed %}
    select export_file, export_line, column_name, reason, structure_code, year
    from {{ src }}
{%- else %}
    -- not landed yet (no I-MILO export ingested): an empty relation of the same shape
    select
        null::varchar as export_file, null::bigint as export_line, null::varchar as column_name,
        null::varchar as reason, null::varchar as structure_code, null::integer as year
    limit 0
{%- endif %}
)

select
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line,
    cast(column_name as varchar) as column_name,
    cast(reason as varchar) as reason,
    cast(structure_code as varchar) as structure_code,
    try_cast(year as integer) as year
from landed
