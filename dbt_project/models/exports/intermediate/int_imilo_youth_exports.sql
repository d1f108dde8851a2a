-- One row per youth file and export date: the staging rows, one kept when the same export was
-- landed twice (same youth_key and exported_at; the last export file and line win, so that the
-- choice is deterministic). dim_youth turns these rows into a history of attribute changes.
select *
from {{ ref('stg_imilo__youths') }}
where youth_key is not null and exported_at is not null
qualify row_number() over (
    partition by youth_key, exported_at
    order by export_file desc nulls last, export_line desc nulls last
) = 1
