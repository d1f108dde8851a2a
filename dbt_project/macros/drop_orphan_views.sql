{#- on-run-end hook: drop the views that no model of the project builds any more. dbt never drops
    the relation of a renamed or deleted model, so without this an old staging view (say
    `staging.stg_report_facts` after its rename to `stg_documents__report_facts`) would stay in
    every existing warehouse, readable and silently stale. Only views named as models
    (`stg_`, `int_`) in the schemas where the project builds views are considered; tables are
    never dropped here (docs/naming.md, "Renaming a model"). -#}
{% macro drop_orphan_views() -%}
    {%- if execute -%}
        {%- set built = [] -%}
        {%- set view_schemas = [] -%}
        {%- for node in graph.nodes.values() if node.resource_type in ('model', 'seed', 'snapshot') -%}
            {%- do built.append((node.schema ~ '.' ~ (node.alias or node.name)) | lower) -%}
            {%- if node.config.materialized == 'view' and node.schema not in view_schemas -%}
                {%- do view_schemas.append(node.schema) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- set views = run_query(
            "select table_schema || '.' || table_name from information_schema.tables"
            ~ " where table_type = 'VIEW' and table_catalog = current_database()"
            ~ " and table_schema in ('" ~ view_schemas | join("', '") ~ "')"
            ~ " and (table_name like 'stg\\_%' escape '\\' or table_name like 'int\\_%' escape '\\')") -%}
        {%- for row in views.rows if row[0] | lower not in built -%}
            {%- do log('dropping view ' ~ row[0] ~ ': no model of the project builds it any more', info=true) -%}
            {%- do run_query('drop view if exists ' ~ row[0]) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
