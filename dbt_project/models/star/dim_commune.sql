-- One row per commune, keyed by INSEE code: the MEL communes (seed), and those of the I-MILO
-- exports' reference that the seed lacks (MLW_IMILO_REFERENCE, e.g. a national export's: no
-- covering structure, no QPV known). Postcodes are kept as a list for display only.
with communes as (
    select * from {{ ref('ref_communes') }}
    union all by name
    select * from {{ ref('stg_imilo__reference_communes') }}
    where code_insee not in (select code_insee from {{ ref('ref_communes') }})
),

qpv as (
    select code_insee, count(*) as qpv_count
    from {{ ref('ref_qpv') }}
    group by code_insee
)

select
    c.code_insee as commune_insee,
    c.nom_commune as commune_name,
    string_split(c.codes_postaux, ';') as postcodes,
    c.siren_epci as epci_siren,
    c.nom_epci as epci_name,
    c.dep as department_code,
    c.arr as arrondissement_code,
    c.pop_totale_dgcl2025 as population_total_2025,
    c.pop_municipale_dgcl2025 as population_municipal_2025,
    t.structure_code,                             -- structure covering the commune, if known
    c.siege_structure_imilo as seat_structure_code,  -- structure whose seat is in the commune
    coalesce(q.qpv_count, 0) as qpv_count
from communes as c
left join {{ ref('ref_structure_territory') }} as t on t.commune_insee = c.code_insee
left join qpv as q on q.code_insee = c.code_insee
