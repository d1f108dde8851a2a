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

{#- Pre-hook: empty what this run rebuilds (the build year, or every year without one) before
    the new rows are inserted: a year that lost all its rows keeps no stale ones, and a run
    without a build year keeps no year that is gone from the raw layer. -#}
{% macro delete_rebuilt_years(column='year') -%}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ year_filter(column) }}
    {%- else -%}
        select 1  {#- nothing to clear on a first or full-refresh build #}
    {%- endif -%}
{%- endmacro %}

{#- The configuration of every annual model (facts and marts, tag `annual`): a table emptied of
    the rebuilt years by its pre-hook, then given the new rows of those years in one insert (the
    `annual` materialization, macros/materializations/annual.sql); unique_key names the year
    column (read by annual_year_column and orchestration/dbt_metadata.py). One place, so that
    every annual model is rebuilt the same way:  {{ config(**annual_incremental()) }}
    `dimension_built=true`: the model joins the year's fact rows to a dimension written on the
    right of the join, and the hash table is built on that dimension (join_build_side_as_written). -#}
{% macro annual_incremental(year_column='year', dimension_built=false) -%}
    {%- set config = {
        'materialized': 'annual',
        'unique_key': year_column,
        'on_schema_change': 'sync_all_columns',
        'tags': ['annual'],
        'pre_hook': ["{{ delete_rebuilt_years('" ~ year_column ~ "') }}"],
    } -%}
    {%- if dimension_built -%}
        {%- do config['pre_hook'].append("{{ join_build_side_as_written(true) }}") -%}
        {%- do config.update({'post_hook': ["{{ join_build_side_as_written(false) }}"]}) -%}
    {%- endif -%}
    {{- return(config) -}}
{%- endmacro %}

{#- Pre- and post-hook of the facts that join their year's rows (millions) to dim_youth: DuckDB
    estimates each filter of the year at a default selectivity, so the fact rows look fewer
    than the dimension's and it builds its hash table on the facts (15 M contacts of a national
    year) instead of the dimension (1.1 M youth versions), which makes fct_contact ~1.5 times
    slower. While such a model runs, DuckDB keeps the build side as the SQL writes it (the
    right side of the join); the results are the same either way. The setting belongs to the
    connection: the post-hook restores it (after a failed model, the rest of that dbt command
    keeps the written build side, as every fact is written with its dimension on the right).
    Other adapters: nothing to do. -#}
{% macro join_build_side_as_written(enabled) -%}
    {%- if target.type != 'duckdb' -%}
        select 1
    {%- elif enabled -%}
        set disabled_optimizers = 'build_side_probe_side'
    {%- else -%}
        reset disabled_optimizers
    {%- endif -%}
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
