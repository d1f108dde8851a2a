-- One row per Mission Locale (I-MILO structure code).
with aliases as (
    select structure_code, list(alias order by alias) as aliases
    from {{ ref('ref_structure_aliases') }}
    group by structure_code
),

territory as (
    select structure_code, count(*) as territory_commune_count
    from {{ ref('ref_structure_territory') }}
    group by structure_code
)

select
    s.code_structure_imilo as structure_code,
    s.nom_officiel as official_name,
    s.nom_usuel as usual_name,
    s.code_insee_siege_deduit_du_code as seat_commune_insee,
    coalesce(a.aliases, []::varchar[]) as aliases,
    coalesce(t.territory_commune_count, 0) as territory_commune_count
from {{ ref('ref_structures') }} as s
left join aliases as a on a.structure_code = s.code_structure_imilo
left join territory as t on t.structure_code = s.code_structure_imilo
