{#- A raw I-MILO table as landed, or, when it is not landed (a warehouse that no I-MILO export
    or reference has reached yet: dbt run on its own, the document-only tests), an empty
    relation of the same shape, so that every export model still builds, empty.
    `columns`: [(name, type), ...] in the order the model reads them. -#}
{% macro landed_or_empty(table, columns) -%}
    {%- set src = source('imilo', table) -%}
    {%- set landed = execute and adapter.get_relation(database=src.database, schema=src.schema,
                                                      identifier=src.identifier) is not none -%}
    {%- if execute and not landed -%}
        {%- do log(src ~ " is not landed: " ~ this.name ~ " is empty", info=true) -%}
    {%- endif -%}
    {%- if landed -%}
    select {% for name, type in columns %}{{ name }}{{ ", " if not loop.last }}{% endfor %}
    from {{ src }}
    {%- else -%}
    select {% for name, type in columns %}null::{{ type }} as {{ name }}{{ ", " if not loop.last }}{% endfor %}
    limit 0
    {%- endif -%}
{%- endmacro %}
