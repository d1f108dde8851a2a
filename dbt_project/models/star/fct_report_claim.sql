-- One row per figure a report states in a sentence, kept apart from the tables' figures so
-- that audits can check prose against tables. Partitioned by the edition that printed it.
-- Annual: `--vars '{year: 2023}'` rebuilds the claims of the 2023 edition only.
{{ config(**annual_incremental('report_year')) }}

select *
from {{ ref('stg_documents__report_claims') }}
{{ year_filter('report_year') }}
