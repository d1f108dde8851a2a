-- One row per youth file and export date: the staging rows, one kept when the same export was
-- landed twice (same youth_key and exported_at; the last export file and line win, so that the
-- choice is deterministic), with the activity year of their export (export_year, null when the
-- rows did not come through the ingestion). dim_youth turns these rows into a history of
-- attribute changes.
with export_years as (
    {{ imilo_export_years() }}
)

select y.*, e.export_year
from {{ ref('stg_imilo__youths') }} as y
left join export_years as e on e.export_file = y.export_file
where y.youth_key is not null and y.exported_at is not null
qualify row_number() over (
    partition by y.youth_key, y.exported_at
    order by y.export_file desc nulls last, y.export_line desc nulls last
) = 1
