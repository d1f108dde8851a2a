-- Input documents; kind, year and structure are null when the document was not identified.
select
    document_path,
    document_sha256,
    document_kind,
    cast(year as integer) as year,
    structure_code,
    page_count,
    fact_count,
    error_count,
    warning_count
from {{ source('documents', 'documents') }}
