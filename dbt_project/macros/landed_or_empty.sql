{#- A raw I-MILO table (the source imilo.<table>) when it is landed, none when it is not or
    before execution (the source is still named, so that dbt records the dependency). -#}
{% macro landed_relation(table) -%}
    {%- set src = source('imilo', table) -%}
    {%- if execute and adapter.get_relation(database=src.database, schema=src.schema,
                                            identifier=src.identifier) is not none -%}
        {{- return(src) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{#- A raw I-MILO table as landed, or, when it is not landed (a warehouse that no I-MILO export
    or reference has reached yet: dbt run on its own, the document-only tests), an empty
    relation of the same shape, so that every export model still builds, empty.
    `columns`: [(name, type), ...] in the order the model reads them. -#}
{% macro landed_or_empty(table, columns) -%}
    {%- set landed = landed_relation(table) -%}
    {%- if execute and landed is none -%}
        {%- do log(source('imilo', table) ~ " is not landed: " ~ this.name ~ " is empty", info=true) -%}
    {%- endif -%}
    {%- if landed is not none -%}
    select {% for name, type in columns %}{{ name }}{{ ", " if not loop.last }}{% endfor %}
    from {{ landed }}
    {%- else -%}
    select {% for name, type in columns %}null::{{ type }} as {{ name }}{{ ", " if not loop.last }}{% endfor %}
    limit 0
    {%- endif -%}
{%- endmacro %}

{#- A date column of a raw I-MILO table, as a DATE. The ingestion lands dates typed: the column
    is then read as it is, so that a date range on it reaches the raw table's scan, where DuckDB
    skips the row groups outside the range (the other years' exports: a year's build reads its
    own rows, not every export held; see and_date_in_build_year). A raw layer that holds dates
    as text (landed by hand) is parsed: ISO dates or dd/mm/yyyy, null when neither. -#}
{% macro landed_date(table, column) -%}
    {%- if landed_type(table, column) == 'DATE' -%}
        {{ column }}
    {%- else -%}
        coalesce(try_cast({{ column }} as date), try_strptime(cast({{ column }} as varchar), '%d/%m/%Y')::date)
    {%- endif -%}
{%- endmacro %}

{#- The DuckDB type of a raw I-MILO table's column (upper case), none when the table is not
    landed or not at execution. -#}
{% macro landed_type(table, column) -%}
    {%- if not execute -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set relation = landed_relation(table) -%}
    {%- if relation is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- for landed in adapter.get_columns_in_relation(relation) if landed.name | lower == column | lower -%}
        {{- return(landed.dtype | upper) -}}
    {%- endfor -%}
    {{- return(none) -}}
{%- endmacro %}
