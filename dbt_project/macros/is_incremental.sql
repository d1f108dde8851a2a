{#- dbt's is_incremental(), which only answers true for `materialized='incremental'`, extended to
    the annual models' own materialization (macros/materializations/annual.sql): true when the
    model's table exists and this is not a --full-refresh, so that a build adds to it. The
    annual models' pre-hook (delete_rebuilt_years) and int_imilo_indicator_values read it. -#}
{% macro is_incremental() -%}
    {%- if not execute -%}
        {{- return(false) -}}  {#- no introspective query while parsing #}
    {%- endif -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, this.table) -%}
    {{- return(relation is not none and relation.type == 'table'
               and model.config.materialized in ('incremental', 'annual')
               and not should_full_refresh()) -}}
{%- endmacro %}
