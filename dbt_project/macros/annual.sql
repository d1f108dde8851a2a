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
