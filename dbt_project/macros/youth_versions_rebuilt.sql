{#- Which youths dim_youth rebuilds. A youth's versions are computed from that youth's export
    rows alone (every window of dim_youth and int_imilo_youth_exports is partitioned by
    youth_key), so when the only change since the last build is new export files, rebuilding
    the youths those files list gives the same table as rebuilding every youth: with three
    national years held, 3.5 s instead of 13.8 s, and the whole rebuild grows with every year
    held. Anything else rebuilds every youth: no table yet or --full-refresh, a recorded file
    gone or with other rows, another dbt project (the pipeline passes the digest of the dbt
    project in MLW_DBT_PROJECT_DIGEST; without it, as in a plain `dbt build`, every youth).

    What the table was built from is recorded by its post-hook in audit.dim_youth_sources: per
    export file of the youth rows, the number of rows and a digest of their landed values and
    export year, with the dbt project's digest (the staging model is a function of the landed
    rows and of the dbt project). The digests use DuckDB's hash(), which may change with
    DuckDB's version: every recorded file then looks changed, and every youth is rebuilt.

    Cost: every export's landed youth rows are read three times for the digests (~0.2 s each
    with three national years held): to decide, once when the model is compiled and again in the
    pre-hook (dbt renders them apart, with no state between them), then to record. They are read
    from the raw table, not from stg_imilo__youths, whose code conformance costs DuckDB a pass
    over every row even when no code is read (0.75 s a read with three national years). -#}

{% macro youth_sources_relation() -%}
    {{- return(api.Relation.create(database=target.database, schema='audit', identifier='dim_youth_sources')) -}}
{%- endmacro %}

{#- Per export file of the landed youth rows (raw.imilo_youths): its rows and a digest of them
    and of its export's year (order-free); no row when nothing is landed. -#}
{% macro youth_export_digests() -%}
    {%- set landed = landed_relation('imilo_youths') -%}
    {%- if landed is none -%}
    select null::varchar as export_file, 0::bigint as row_count, null::varchar as row_digest limit 0
    {%- else -%}
    with export_years as (
        {{ imilo_export_years() }}
    )
    select y.export_file::varchar as export_file, count(*) as row_count,
        sum(hash(y, e.export_year))::varchar as row_digest
    from {{ landed }} as y
    left join export_years as e on e.export_file = y.export_file
    group by y.export_file
    {%- endif -%}
{%- endmacro %}

{#- The export files whose youths are rebuilt (a list, maybe empty), or none for every youth.
    Asked of the warehouse when the model runs (dbt run or build) only. -#}
{% macro youth_files_to_rebuild() -%}
    {%- set project_digest = env_var('MLW_DBT_PROJECT_DIGEST', '') if execute else '' -%}
    {%- if not (execute and flags.WHICH in ('run', 'build') and project_digest and is_incremental()) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set recorded = youth_sources_relation() -%}
    {%- if adapter.get_relation(recorded.database, recorded.schema, recorded.identifier) is none -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set comparison -%}
        with current_files as materialized ({{ youth_export_digests() }}),
        recorded_files as (
            select export_file, row_count, row_digest from {{ recorded }}
            where dbt_project_digest = '{{ project_digest }}'
        )
        select 'changed' as kind, null::varchar as export_file
        from (
            select export_file from {{ recorded }} where dbt_project_digest <> '{{ project_digest }}'
            union all
            select export_file from (select * from recorded_files except select * from current_files)
        )
        union all
        select 'new', export_file from (select * from current_files except select * from recorded_files)
    {%- endset -%}
    {%- set files_new = [] -%}
    {%- for kind, export_file in run_query(comparison).rows -%}
        {%- if kind == 'changed' or export_file is none -%}
            {{- return(none) -}}
        {%- endif -%}
        {%- do files_new.append(export_file) -%}
    {%- endfor -%}
    {{- return(files_new | sort) -}}
{%- endmacro %}

{#- `where youth_key in (...)`: the youths listed by these export files (none: no filter). -#}
{% macro where_youth_in_files(files) -%}
    {%- if files is none -%}
    {%- elif files | length == 0 -%}
        where false
    {%- else -%}
        where youth_key in (
            select youth_key from {{ landed_relation('imilo_youths') }}
            where export_file in ({% for file in files %}'{{ file | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %})
        )
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook: delete the versions of the youths rebuilt (every youth but on new files only). -#}
{% macro delete_rebuilt_youths() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} {{ where_youth_in_files(youth_files_to_rebuild()) }}
    {%- else -%}
        select 1  {#- the table is created whole #}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook: record what the table now holds the versions of. -#}
{% macro record_youth_sources() -%}
    {%- set project_digest = env_var('MLW_DBT_PROJECT_DIGEST', '') if execute else '' -%}
    create schema if not exists {{ youth_sources_relation().schema }};
    create or replace table {{ youth_sources_relation() }} as
    select *, '{{ project_digest }}' as dbt_project_digest from ({{ youth_export_digests() }}) as digests
{%- endmacro %}
