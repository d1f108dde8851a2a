-- Every mention of a programme in a document, conformed to one programme_code: a national
-- scheme's code when the extractor recognised one (CEJ, PACEA...), else the slug of its name,
-- so that one local action named alike in several documents is one programme.
select
    coalesce(m.national_scheme, m.programme_key) as programme_code,
    m.national_scheme is not null as is_national_scheme,
    m.*
from {{ ref('stg_documents__programmes') }} as m
