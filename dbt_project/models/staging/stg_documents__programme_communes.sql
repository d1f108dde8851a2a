-- Communes where a described programme runs (raw.programme_communes).
select programme_id, programme_key, document_sha256, commune_insee, commune_name
from {{ source('documents', 'programme_communes') }}
