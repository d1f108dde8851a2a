-- Figures stated in prose ("49 % des nouveaux inscrits sont des femmes (48 % en 2022)"), typed.
-- report_year is the edition that printed the claim; year is the year the figure is about.
select
    claim_id,
    cast(report_year as integer) as report_year,
    cast(year as integer) as year,
    structure_code,
    kind,
    cast(value as double) as value,
    unit,
    subject,
    cast(comparison_year as integer) as comparison_year,
    sentence,
    document_path,
    document_sha256,
    document_kind,
    source_page,
    source_line,
    source_lines,
    source_bbox,
    source_text
from {{ source('documents', 'report_claims') }}
