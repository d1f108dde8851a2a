{#- Helpers of the annual models (tag `annual`): one year is rebuilt per run when a build year
    is given (see build_year), every year otherwise. -#}

{#- The year being built: `--vars '{year: 2023}'` on the command line, else the environment
    variable MLW_BUILD_YEAR (what the pipeline sets), else none (every year).
    The pipeline passes the year through the environment, not `--vars`, because dbt re-parses
    the whole project (~5 s) whenever the vars change, and each year's build would change them.
    The variable is read only at execution (`execute`), so parsing never records it and the
    partial parse survives from one year to the next. -#}
{% macro build_year() -%}
    {%- if var('year', none) is not none -%}
        {{- return(var('year') | int) -}}
    {%- elif execute and env_var('MLW_BUILD_YEAR', '') | trim != '' -%}
        {{- return(env_var('MLW_BUILD_YEAR') | int) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}

{% macro year_filter(column='year') -%}
    {%- if build_year() is not none -%}
        where {{ column }} = {{ build_year() }}
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

{#- The configuration of an annual VIEW (export rows read by the annual facts): tagged `annual`
    so that it is created by the annual build and its tests are scoped to the year built;
    `year_column` is the SQL expression of a row's year (meta.year_column). -#}
{% macro annual_view(year_column) -%}
    {{- return({'materialized': 'view', 'tags': ['annual'], 'meta': {'year_column': year_column}}) -}}
{%- endmacro %}

{#- The year expression of an annual model: meta.year_column, else its unique_key (the year
    column of annual_incremental), else `year`. -#}
{% macro annual_year_column(node) -%}
    {%- set config = node.get('config', {}) -%}
    {{- return(config.get('meta', {}).get('year_column') or config.get('unique_key') or 'year') -}}
{%- endmacro %}

{#- dbt's test filter (`where` config), overridden so that every test of an annual model only
    reads the rows of the year being built when a build year is given: a year's build
    tests that year's rows, not every year's. Other tests, and builds without the var, are as dbt
    makes them. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if build_year() is not none and execute -%}
        {%- set tested = model.get('attached_node') or (model.get('depends_on', {}).get('nodes') or [none])[0] -%}
        {%- set node = graph.nodes.get(tested) if tested else none -%}
        {%- if node and 'annual' in node.get('tags', []) -%}
            {%- set scope = '(' ~ annual_year_column(node) ~ ') = ' ~ build_year() -%}
            {%- set where = '(' ~ where ~ ') and ' ~ scope if where else scope -%}
        {%- endif -%}
    {%- endif -%}
    {%- if where -%}
        {%- do return('(select * from ' ~ relation ~ ' where ' ~ where ~ ') dbt_subquery') -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
