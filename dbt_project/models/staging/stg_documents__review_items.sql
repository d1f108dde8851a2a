-- Numbers whose meaning the extractor could not settle: kept for a reviewer, never published.
select
    review_id, document_path, document_sha256, document_kind, cast(year as integer) as year,
    structure_code, value_text, cast(value as double) as value, reason, context,
    source_page, source_line, source_text, kind as review_kind, indicator as indicator_code,
    dimension, label, suggestion, table_id
from {{ source('documents', 'review_items') }}
