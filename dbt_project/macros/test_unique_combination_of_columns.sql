{#- Generic test: no two rows share these columns (nulls compare equal, so the one stated-total
    row per year and structure, whose commune_insee is null, is covered too). We do not use
    dbt packages, hence this small stand-in for dbt_utils.unique_combination_of_columns.
    DuckDB compares the columns' hashes first (macros/unique_by_hash.sql). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}
    {{ adapter.dispatch('test_unique_combination_of_columns')(model, combination_of_columns) }}
{% endtest %}

{% macro default__test_unique_combination_of_columns(model, combination_of_columns) %}
    select {{ combination_of_columns | join(', ') }}, count(*) as row_count
    from {{ model }}
    group by {{ combination_of_columns | join(', ') }}
    having count(*) > 1
{% endmacro %}

{% macro duckdb__test_unique_combination_of_columns(model, combination_of_columns) %}
    {{ repeated_by_hash(model, combination_of_columns, 'row_count') }}
{% endmacro %}
