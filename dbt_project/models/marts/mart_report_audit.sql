-- Every internal-consistency check of every report, with its evidence (mart_report_audit):
--   rows_against_stated_total  the cells of a table against each total printed for them
--                              (commune tables, cross-tab rows and columns, lists)
--   claim_against_figure       a headline count or share against the table figures it states
--   change_against_previous    a headline change ("progressé de 8 %") against the previous
--                              edition's figure, when that edition is in the warehouse
--   withheld                   an open review item or an extraction error: cells not published
-- status: consistent | explained_by_footnote | inconsistent | not_checkable | withheld. Figures are never
-- corrected: the audit says which printed figures disagree and where they are.
-- Annual: `--vars '{year: 2023}'` rebuilds the audit of the 2023 editions.
{{ config(**annual_incremental()) }}

with facts as (
    select * from {{ ref('fct_published_indicator') }}
),

totals as (
    select * from facts where is_total
),

table_checks as (
    select
        t.year,
        t.structure_code,
        t.document_path,
        t.document_sha256,
        'rows_against_stated_total' as check_kind,
        t.fact_id as checked_ref,
        t.indicator_code || case when t.dimension_key <> '' then ' [' || t.dimension_key || ']'
                                 else '' end as subject,
        t.value as stated_value,
        sum(c.value) as computed_value,
        case
            when abs(t.value - sum(c.value)) < 0.005 then 'consistent'
            when list_contains(t.flags, 'explained_by_footnote') then 'explained_by_footnote'
            else 'inconsistent'
        end as status,
        [t.fact_id] || list(c.fact_id order by c.source_line) as evidence_fact_ids,
        t.source_line,
        t.source_text
    from totals as t
    inner join facts as c
        on not c.is_total
        and c.document_sha256 = t.document_sha256
        and c.table_ref = t.table_ref
        and c.indicator_code = t.indicator_code
        and json_contains(c.dimensions, t.dimensions)
    {{ year_filter('t.year') }}
    group by t.year, t.structure_code, t.document_path, t.document_sha256, t.indicator_code,
        t.dimension_key, t.value, t.flags, t.fact_id, t.source_line, t.source_text
),

claims as (
    select c.*, k.check_id, k.kind as check_type, k.indicator_code as checked_indicator,
        k.dimensions as checked_dimensions, k.denominator_code
    from {{ ref('fct_report_claim') }} as c
    inner join {{ ref('claim_checks') }} as k
        on k.kind = c.kind
        and starts_with(c.subject, k.subject_prefix)
    where c.year = c.report_year
    {{- and_year_is('c.report_year') }}
),

-- one stated total per (document, indicator, dimensions): the first printed
stated as (
    select document_sha256, structure_code, year, indicator_code, cast(dimensions as varchar) as dims,
        arg_min(value, source_line) as value, arg_min(fact_id, source_line) as fact_id
    from totals
    group by all
),

claim_checks as (
    select
        c.report_year as year,
        c.structure_code,
        c.document_path,
        c.document_sha256,
        case c.check_type when 'change' then 'change_against_previous'
                          else 'claim_against_figure' end as check_kind,
        c.claim_id || ':' || c.check_id as checked_ref,
        c.sentence as subject,
        c.value as stated_value,
        case c.check_type
            when 'count' then n.value
            when 'share' then round(100 * n.value / d.value, 1)
            when 'change' then round(100 * (n.value - p.value) / p.value, 1)
        end as computed_value,
        case
            when computed_value is null then 'not_checkable'
            when c.check_type = 'count' and abs(c.value - computed_value) < 0.005 then 'consistent'
            when c.check_type <> 'count' and abs(c.value - computed_value) <= 0.5 then 'consistent'
            else 'inconsistent'
        end as status,
        list_filter([n.fact_id, d.fact_id, p.fact_id], lambda x: x is not null) as evidence_fact_ids,
        c.source_line,
        c.source_text
    from claims as c
    left join stated as n
        on n.document_sha256 = c.document_sha256 and n.indicator_code = c.checked_indicator
        and n.dims = c.checked_dimensions
    left join stated as d
        on d.document_sha256 = c.document_sha256 and d.indicator_code = c.denominator_code
        and d.dims = '{}'
    left join stated as p
        on c.check_type = 'change' and p.structure_code = c.structure_code
        and p.year = c.report_year - 1 and p.indicator_code = c.checked_indicator
        and p.dims = c.checked_dimensions
),

-- what could not be read is withheld, not published (expectations/withheld.py): each open
-- review item and each extraction error, with its reason
withheld_items as (
    select year, structure_code, document_path, document_sha256, 'withheld' as check_kind,
        review_id as checked_ref,
        review_kind || ': ' || reason || coalesce(' (' || label || ')', '') as subject,
        null as stated_value, null as computed_value, 'withheld' as status,
        null::varchar[] as evidence_fact_ids, source_line, source_text
    from {{ ref('stg_documents__review_items') }}
    where year is not null
    {{- and_year_is('year') }}
),

withheld_errors as (
    select year, structure_code, document_path, document_sha256, 'withheld' as check_kind,
        md5(concat_ws(':', document_sha256, line, reason)) as checked_ref,
        'extraction error: ' || reason as subject, null as stated_value, null as computed_value,
        'withheld' as status, null::varchar[] as evidence_fact_ids, line as source_line,
        i.text as source_text
    from {{ ref('stg_documents__extraction_issues') }} as i
    where severity = 'error' and year is not null
    {{- and_year_is('year') }}
)

select
    md5(check_kind || ':' || checked_ref) as audit_id,
    *,
    computed_value - stated_value as difference
-- a union by position, not `union all by name`, which sqlglot cannot follow (the audit keeps its
-- column lineage): the four lists of checks must keep the same columns in the same order
from (select * from table_checks union all select * from claim_checks
      union all select * from withheld_items union all select * from withheld_errors)
