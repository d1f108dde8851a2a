-- The communes of the reference the exports' codes were checked against at ingestion
-- (raw.imilo_reference_communes: the folder MLW_IMILO_REFERENCE names, the MEL seeds by
-- default). dim_commune adds those the MEL seed lacks, e.g. the communes of a national export.
with landed as (
    {{ landed_or_empty('imilo_reference_communes', [
        ('code_insee', 'varchar'), ('nom_commune', 'varchar'), ('codes_postaux', 'varchar'),
        ('siren_epci', 'varchar'), ('nom_epci', 'varchar'), ('dep', 'varchar'), ('arr', 'varchar'),
        ('pop_totale_dgcl2025', 'varchar'), ('pop_municipale_dgcl2025', 'varchar'),
        ('siege_structure_imilo', 'varchar')
    ]) }}
)

select
    cast(code_insee as varchar) as code_insee,
    cast(nom_commune as varchar) as nom_commune,
    cast(codes_postaux as varchar) as codes_postaux,
    cast(siren_epci as varchar) as siren_epci,
    cast(nom_epci as varchar) as nom_epci,
    cast(dep as varchar) as dep,
    cast(arr as varchar) as arr,
    try_cast(pop_totale_dgcl2025 as integer) as pop_totale_dgcl2025,
    try_cast(pop_municipale_dgcl2025 as integer) as pop_municipale_dgcl2025,
    cast(siege_structure_imilo as varchar) as siege_structure_imilo
from landed
where code_insee is not null
qualify row_number() over (partition by code_insee order by nom_commune) = 1
