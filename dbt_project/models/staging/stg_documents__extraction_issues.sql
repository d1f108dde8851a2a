-- Extraction issues as landed; candidates are the readings left open, never guessed.
select
    document_path,
    document_sha256,
    severity,
    reason,
    page,
    line,
    text,
    cast(year as integer) as year,
    structure_code,
    coalesce(candidates, []::varchar[]) as candidates
from {{ source('documents', 'extraction_issues') }}
