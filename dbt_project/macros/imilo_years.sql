{#- Year-stable figures: what a year's I-MILO figures may read. An export covers one activity
    year (audit.imilo_export_files.year, set at ingestion); year Y reads only the exports of
    years <= Y, and a youth's attributes for year Y (commune, sex, qualification...) are those of
    their latest export of a year <= Y. So an export of a later year never changes an earlier
    year's figures, and adding a year rebuilds that year only. -#}

{#- One row per landed export file and the activity year of its export, from the ingestion's
    audit table; empty where no export went through the ingestion (a hand-made raw layer): rows
    of unknown export year are then read by every year. -#}
{% macro imilo_export_years() -%}
    {%- set audit = adapter.get_relation(database=target.database, schema='audit',
                                         identifier='imilo_export_files') if execute else none -%}
    {%- if audit is not none -%}
    select export_file, year as export_year from {{ audit }}
    {%- else -%}
    select null::varchar as export_file, null::integer as export_year limit 0
    {%- endif -%}
{%- endmacro %}

{#- An export row may count for the year `year_expr`: its export's year is not later. -#}
{% macro imilo_export_of_year(alias, year_expr) -%}
    ({{ alias }}.export_year is null or {{ alias }}.export_year <= {{ year_expr }})
{%- endmacro %}

{#- The dim_youth version that holds for year `year_expr`: the version of the youth's latest
    export of a year <= year_expr (valid_from_year <= Y < valid_to_year). Also the rows of
    int_imilo_territory that hold for a year (the same span, from the versions). -#}
{% macro imilo_youth_version_of_year(alias, year_expr) -%}
    (coalesce({{ alias }}.valid_from_year, 0) <= {{ year_expr }}
     and ({{ alias }}.valid_to_year is null or {{ alias }}.valid_to_year > {{ year_expr }}))
{%- endmacro %}

{#- ` and <column> = <year>` when a year is given, nothing otherwise. -#}
{% macro and_year_equals(column, year) -%}
    {%- if year is not none %} and {{ column }} = {{ year | int }}{% endif -%}
{%- endmacro %}

{#- ` and <column> = Y` when one year is built (build_year()), nothing otherwise. -#}
{% macro and_year_is(column) -%}
    {{- and_year_equals(column, build_year()) -}}
{%- endmacro %}

{#- `and <date> in Y` when one year is built, as a range on the date: DuckDB pushes a range on
    a landed date down to the raw table's scan and skips the row groups of other years (the
    exports of other years), where `year(<date>) = Y` reads every row landed. -#}
{% macro and_date_in_build_year(date_column) -%}
    {%- set year = build_year() -%}
    {%- if year is not none %} and {{ date_column }} >= date '{{ year }}-01-01' and {{ date_column }} < date '{{ year + 1 }}-01-01'{% endif -%}
{%- endmacro %}

{#- The rows of the query `listed` (SQL text), one per `key` (a list of its columns, the year
    among them): the row of the latest export (export year, then file, then line). An export
    lists an id once (the ingestion quarantines a repeated natural key), so rows from one export
    file need no choice, and the window, which sorts every row, runs only when they come from
    several files (a year whose rows two exports list, a build of every year, an export landed
    twice). Which case holds is asked of the warehouse when the model runs (one count of the
    year's export files): deciding it inside the query made DuckDB materialise the 15 M rows of a
    national year's contacts to read them twice (~2.6 s of fct_contact's ~13 s). A raw layer not
    landed by the ingestion that repeats an id in one file keeps both rows: the facts' unique key
    tests (severity error) stop the build. -#}
{% macro latest_listing(listed, key) -%}
    {%- if listed_from_one_file(listed) -%}
    {{ listed }}
    {%- else -%}
    select * from ({{ listed }}) as listed
    qualify row_number() over (
        partition by {{ key | join(', ') }}
        order by export_year desc nulls last, export_file desc nulls last, export_line desc nulls last
    ) = 1
    {%- endif -%}
{%- endmacro %}

{#- True when the rows of `listed` come from at most one export file, counted when a model is
    built (dbt run or build); false otherwise (parsing, compiling, the docs), where the SQL must
    be right for any rows. -#}
{% macro listed_from_one_file(listed) -%}
    {%- if execute and flags.WHICH in ('run', 'build') -%}
        {%- set files = run_query('select count(distinct export_file) from (' ~ listed ~ ') as listed') -%}
        {{- return(files.columns[0].values()[0] <= 1) -}}
    {%- endif -%}
    {{- return(false) -}}
{%- endmacro %}
