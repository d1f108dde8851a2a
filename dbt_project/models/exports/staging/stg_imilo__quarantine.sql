-- Export rows that failed validation at ingestion (raw.imilo_quarantine): one row per failing
-- column of a row. Read by mart_reconciliation to tell how many rows a difference may miss.
-- Annual view: created by each year's build, its tests read the year's rows only (macros/annual.sql).
{{ config(**annual_view('year')) }}

with landed as (
    {{ landed_or_empty('imilo_quarantine', [
        ('export_file', 'varchar'), ('export_line', 'bigint'), ('column_name', 'varchar'),
        ('reason', 'varchar'), ('structure_code', 'varchar'), ('year', 'integer')
    ]) }}
)

select
    cast(export_file as varchar) as export_file,
    try_cast(export_line as bigint) as export_line,
    cast(column_name as varchar) as column_name,
    cast(reason as varchar) as reason,
    cast(structure_code as varchar) as structure_code,
    try_cast(year as integer) as year
from landed
