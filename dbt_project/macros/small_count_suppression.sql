{#- Small-count suppression of the cells of `cells` (a CTE or relation), within each group of
    `groups` columns, a cell being identified by `groups` + `cell_keys`:
      primary:   the cell's `is_primary` column is true (a small count, decided by the caller);
      secondary: when the primary cells of a group add up to less than `threshold` (one of them
                 could be recovered from a total), the smallest non-zero visible cells are hidden
                 too, smallest first (ties by the cell keys), until they add up to the threshold.
    Returns one row per cell: the `groups` and `cell_keys` columns and `suppression` ('primary',
    'secondary' or null). Used by the public marts built from individual records. -#}
{% macro small_count_suppression(cells, groups, cell_keys, value, is_primary, threshold) -%}
    {%- set keys = groups + cell_keys -%}
    with residuals as (
        select {{ groups | join(', ') }},
            coalesce(sum({{ value }}) filter (where {{ is_primary }}), 0) as residual
        from {{ cells }}
        group by all
    ),

    candidates as (
        -- visible non-zero cells, smallest first, with what the smaller ones already add
        select
            {% for key in keys %}c.{{ key }}, {% endfor %}r.residual,
            coalesce(sum(c.{{ value }}) over (
                partition by {% for key in groups %}c.{{ key }}{{ ", " if not loop.last }}{% endfor %}
                order by c.{{ value }}{% for key in cell_keys %}, c.{{ key }}{% endfor %}
                rows between unbounded preceding and 1 preceding
            ), 0) as added_before
        from {{ cells }} as c
        inner join residuals as r using ({{ groups | join(', ') }})
        where not c.{{ is_primary }} and c.{{ value }} > 0
    )

    select
        {% for key in keys %}c.{{ key }}, {% endfor %}
        case
            when c.{{ is_primary }} then 'primary'
            when s.residual is not null then 'secondary'
        end as suppression
    from {{ cells }} as c
    -- a candidate is hidden while the hidden cells add up to less than the threshold
    left join candidates as s
        on {% for key in keys %}s.{{ key }} is not distinct from c.{{ key }} and {% endfor %}s.residual > 0
        and s.residual + s.added_before < {{ threshold }}
{%- endmacro %}
