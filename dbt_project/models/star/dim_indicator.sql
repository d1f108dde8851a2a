-- One row per indicator of the catalogue (seed generated from extractors/catalogue/indicators.yaml).
select
    indicator_code,
    label,
    unit,
    grain,
    definition,
    string_split(reports, '|') as reports,
    first_year,
    last_year
from {{ ref('indicator_catalogue') }}
