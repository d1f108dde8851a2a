{#- The materialization of the annual models (config `annual_incremental()`, macros/annual.sql):
    an incremental table that one year's build fills with that year's rows, written once. Also
    dim_youth's, whose pre-hook deletes the youths it rebuilds (macros/youth_versions_rebuilt.sql).

    dbt's `incremental` materialization first writes the new rows into a temporary table, then
    copies them into the model's table: for the 15 M contacts of a national year (three
    32-character keys a row), 17.5 s to create the temporary table and 13.6 s to copy it, of
    fct_contact's ~32 s. Here the rows go straight into the table: the pre-hook
    (delete_rebuilt_years) has already deleted the years being rebuilt, so nothing is left to
    merge, and the year's query runs once, inside the insert (fct_contact on a three-year
    national warehouse: median 25.5 s before, 16.9 s after).

    - No table yet, a view in its place (an earlier version), or --full-refresh: the table is
      created from the query (every year when no build year is given).
    - Otherwise: the query is a view for the time of the build, so that dbt's own schema-change
      handling (`on_schema_change`, sync_all_columns for the annual models) compares its
      columns with the table's, then `insert into ... select` from it.

    Portable SQL only (create view, insert into ... select, drop), through dbt's adapter macros:
    the same materialization serves any adapter. is_incremental() counts it as incremental
    (macros/is_incremental.sql). -#}
{% materialization annual, default %}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set rows_relation = make_intermediate_relation(target_relation, suffix='__dbt_rows').incorporate(type='view') -%}
    {%- set create_whole = existing_relation is none or existing_relation.type != 'table'
                           or should_full_refresh() -%}
    {{ drop_relation_if_exists(load_cached_relation(rows_relation)) }}  {#- left by a failed build #}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}  {#- BEGIN; the rebuilt years are deleted #}

    {%- if create_whole %}
        {%- if existing_relation is not none %}
            {%- do adapter.drop_relation(existing_relation) %}
        {%- endif %}
        {%- call statement('main') -%}
            {{ create_table_as(False, target_relation, sql) }}
        {%- endcall %}
    {%- else %}
        {%- call statement('rows_view') -%}
            {{ create_view_as(rows_relation, sql) }}
        {%- endcall %}
        {%- do adapter.expand_target_column_types(from_relation=rows_relation, to_relation=target_relation) %}
        {%- set dest_columns = process_schema_changes(config.get('on_schema_change', 'ignore'),
                                                      rows_relation, existing_relation) %}
        {%- if not dest_columns %}
            {%- set dest_columns = adapter.get_columns_in_relation(existing_relation) %}
        {%- endif %}
        {%- set columns = get_quoted_csv(dest_columns | map(attribute='name')) %}
        {%- call statement('main') -%}
            insert into {{ target_relation }} ({{ columns }})
            select {{ columns }} from {{ rows_relation }}
        {%- endcall %}
        {%- do adapter.drop_relation(rows_relation) %}
    {%- endif %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {%- do persist_docs(target_relation, model) %}
    {%- do adapter.commit() %}
    {{ run_hooks(post_hooks, inside_transaction=False) }}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
