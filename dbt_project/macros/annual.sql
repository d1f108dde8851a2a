{#- Helpers of the annual models (tag `annual`): one year is rebuilt per run when
    `--vars '{year: 2023}'` is given, every year otherwise. -#}

{% macro year_filter(column='year') -%}
    {%- if var('year', none) is not none -%}
        where {{ column }} = {{ var('year') | int }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: empty what this run rebuilds before the delete+insert. delete+insert alone only
    deletes years present in the new rows, so a year that lost all its rows would keep stale
    ones, and a run without the var would keep years that are gone from the raw layer. -#}
{% macro delete_rebuilt_years(column='year') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ year_filter(column) }}
    {%- else -%}
        select 1  {#- nothing to clear on a first or full-refresh build #}
    {%- endif -%}
{%- endmacro %}

{#- The configuration of every annual model (facts and marts, tag `annual`): incremental,
    delete+insert on the year column, emptied of the rebuilt years first. One place, so that
    every annual model is rebuilt the same way:  {{ config(**annual_incremental()) }} -#}
{% macro annual_incremental(year_column='year') -%}
    {{- return({
        'materialized': 'incremental',
        'incremental_strategy': 'delete+insert',
        'unique_key': year_column,
        'on_schema_change': 'sync_all_columns',
        'tags': ['annual'],
        'pre_hook': "{{ delete_rebuilt_years('" ~ year_column ~ "') }}",
    }) -}}
{%- endmacro %}
