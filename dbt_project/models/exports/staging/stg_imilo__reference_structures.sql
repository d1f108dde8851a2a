-- The structures of the reference the exports' codes were checked against at ingestion
-- (raw.imilo_reference_structures: the folder MLW_IMILO_REFERENCE names, the MEL seeds by
-- default). dim_structure adds those the MEL seed lacks, e.g. the structures of a national export.
with landed as (
    {{ landed_or_empty('imilo_reference_structures', [
        ('code_structure_imilo', 'varchar'), ('nom_officiel', 'varchar'), ('nom_usuel', 'varchar'),
        ('code_insee_siege_deduit_du_code', 'varchar')
    ]) }}
)

select
    cast(code_structure_imilo as varchar) as structure_code,
    cast(nom_officiel as varchar) as official_name,
    cast(nom_usuel as varchar) as usual_name,
    cast(code_insee_siege_deduit_du_code as varchar) as seat_commune_insee
from landed
where code_structure_imilo is not null
qualify row_number() over (partition by code_structure_imilo order by nom_officiel) = 1
