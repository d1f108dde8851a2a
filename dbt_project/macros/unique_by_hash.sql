{#- The key tests on DuckDB: the rows whose key repeats, found from 64-bit hashes of the key
    first. Grouping 15 M contacts of a national year by a 32-character key (or a file name and
    a line) costs 1.3-1.5 times as much as grouping their hashes; only the rows whose hash repeats
    are then grouped by the key itself, so the answer is the same rows as dbt's test: equal
    keys have equal hashes, and a hash collision alone is not reported. Other adapters keep
    dbt's SQL (default__test_unique, default__test_unique_combination_of_columns). -#}

{#- `unique` (dbt's built-in test): dbt dispatches test_unique to the root project first. -#}
{% macro duckdb__test_unique(model, column_name) %}
    {{ repeated_by_hash(model, [column_name], 'n_records', not_null=true, alias='unique_field') }}
{% endmacro %}

{#- The key values (`columns`) found on more than one row of `model`, with their row count
    (`count_name`); `not_null`: rows with a null key are left out (dbt's `unique`); `alias`
    names the one key column as dbt's `unique` does. -#}
{% macro repeated_by_hash(model, columns, count_name, not_null=false, alias=none) %}
    {%- set key = columns | join(', ') -%}
    {%- set kept = 'where ' ~ columns[0] ~ ' is not null' if not_null else '' -%}
    with repeated_hashes as (
        select hash({{ key }}) as key_hash
        from {{ model }}
        {{ kept }}
        group by key_hash
        having count(*) > 1
    )
    select {{ key }}{{ ' as ' ~ alias if alias }}, count(*) as {{ count_name }}
    from {{ model }}
    where hash({{ key }}) in (select key_hash from repeated_hashes)
        {{- ' and ' ~ columns[0] ~ ' is not null' if not_null }}
    group by {{ key }}
    having count(*) > 1
{% endmacro %}
