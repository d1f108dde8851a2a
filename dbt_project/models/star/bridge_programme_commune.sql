-- Which programme runs in which commune, and which document says so.
select distinct
    m.programme_code,
    c.commune_insee,
    c.commune_name,
    m.document_path,
    m.document_sha256
from {{ ref('stg_documents__programme_communes') }} as c
inner join {{ ref('int_programme_mentions') }} as m using (programme_id)
