-- One row per contact with a youth (I-MILO event). commune_insee: the youth's commune of
-- residence in their latest export (the commune the recomputed indicators use);
-- youth_version_key: the dim_youth version valid on the contact date (the first version when the
-- contact precedes every export). Orphans (no youth row landed) keep a null commune.
select
    md5(c.structure_code || ':' || c.contact_id) as contact_key,
    c.contact_id,
    c.structure_code,
    c.youth_key,
    v.youth_version_key,
    c.contact_date,
    c.year,
    c.contact_nature,
    c.is_interview,
    y.commune_insee,
    c.export_file,
    c.export_line
from {{ ref('int_imilo_contacts') }} as c
left join {{ ref('dim_youth') }} as y
    on y.structure_code = c.structure_code and y.youth_key = c.youth_key and y.is_current
left join {{ ref('dim_youth') }} as v
    on v.structure_code = c.structure_code and v.youth_key = c.youth_key
    and (v.valid_from <= c.contact_date or v.version_number = 1)
    and (v.valid_to is null or c.contact_date < v.valid_to)
