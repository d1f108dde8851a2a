-- One row per programme: the conformed national schemes (ref_programmes seed), then the local
-- actions the documents describe. Aliases, carriers and communes come from every mention.
with mentions as (
    select * from {{ ref('int_documents_programme_mentions') }}
),

by_programme as (
    select
        programme_code,
        min(name order by document_path, source_line) as first_name,
        min(category order by document_path, source_line) as category,
        list_sort(list_distinct(flatten(list(carriers)))) as carriers,
        min(age_min) as age_min,
        max(age_max) as age_max,
        min(first_year) as first_year,
        max(last_year) as last_year,
        list_sort(list_distinct(list(name) || flatten(list(aliases)))) as names,
        count(distinct document_sha256) as document_count
    from mentions
    group by programme_code
),

schemes as (
    select
        s.programme_code,
        s.name,
        s.category,
        coalesce(m.carriers, []::varchar[]) as carriers,
        s.age_min,
        s.age_max,
        coalesce(s.first_year, m.first_year) as first_year,
        coalesce(s.last_year, m.last_year) as last_year,
        list_sort(list_distinct(string_split(s.aliases, '|') || coalesce(m.names, []::varchar[])))
            as aliases,
        true as is_national_scheme,
        s.successor_code,
        coalesce(m.document_count, 0) as document_count
    from {{ ref('ref_programmes') }} as s
    left join by_programme as m using (programme_code)
),

local_actions as (
    select
        programme_code,
        first_name as name,
        category,
        carriers,
        age_min,
        age_max,
        first_year,
        last_year,
        names as aliases,
        false as is_national_scheme,
        null::varchar as successor_code,
        document_count
    from by_programme
    where programme_code not in (select programme_code from {{ ref('ref_programmes') }})
)

select
    *,
    array_to_string(carriers, ' ; ') as carrier
-- by position, which sqlglot follows: both lists must keep the same columns in the same order
from (select * from schemes union all select * from local_actions)
