-- One row per Mission Locale (I-MILO structure code), with its territory and the profile
-- figures its own publications state (latest edition that states each). The structures: the MEL
-- seed, and those of the I-MILO exports' reference that it lacks (MLW_IMILO_REFERENCE, e.g. a
-- national export's; their territory is then the communes their youths live in,
-- int_imilo_territory).
with structures as (
    select
        code_structure_imilo as structure_code,
        nom_officiel as official_name,
        nom_usuel as usual_name,
        code_insee_siege_deduit_du_code as seat_commune_insee
    from {{ ref('ref_structures') }}
    union all
    select structure_code, official_name, usual_name, seat_commune_insee
    from {{ ref('stg_imilo__reference_structures') }}
    where structure_code not in (select code_structure_imilo from {{ ref('ref_structures') }})
),

aliases as (
    select structure_code, list(alias order by alias) as aliases
    from {{ ref('ref_structure_aliases') }}
    group by structure_code
),

-- the territory: the reference seed, and the communes the structure's documents list
territory_communes as (
    select structure_code, commune_insee from {{ ref('ref_structure_territory') }}
    union
    select structure_code, commune_insee from {{ ref('stg_documents__report_facts') }}
    where indicator_code in ('territory_commune', 'structure_page_territory_commune')
        and commune_insee is not null and structure_code is not null
),

territory as (
    select structure_code, count(*) as territory_commune_count,
        list(commune_insee order by commune_insee) as territory_communes
    from territory_communes
    group by structure_code
),

-- profile figures: the latest value each structure's documents print
profile as (
    select
        structure_code,
        arg_max(value, year) filter (where indicator_code = 'territory_population') as territory_population,
        arg_max(value, year) filter (where indicator_code = 'territory_unemployment_rate')
            as territory_unemployment_rate_percent,
        arg_max(value, year) filter (where indicator_code = 'territory_population_share_under_44')
            as territory_population_share_under_44_percent,
        arg_max(value, year) filter (where indicator_code = 'territory_foreign_population')
            as territory_foreign_population,
        max(year) as profile_year
    from {{ ref('stg_documents__report_facts') }}
    where indicator_code in ('territory_population', 'territory_unemployment_rate',
                             'territory_population_share_under_44', 'territory_foreign_population')
    group by structure_code
)

select
    s.structure_code,
    s.official_name,
    s.usual_name,
    s.seat_commune_insee,
    coalesce(a.aliases, []::varchar[]) as aliases,
    coalesce(t.territory_commune_count, 0) as territory_commune_count,
    coalesce(t.territory_communes, []::varchar[]) as territory_communes,
    p.territory_population,
    p.territory_unemployment_rate_percent,
    p.territory_population_share_under_44_percent,
    p.territory_foreign_population,
    p.profile_year
from structures as s
left join aliases as a on a.structure_code = s.structure_code
left join territory as t on t.structure_code = s.structure_code
left join profile as p on p.structure_code = s.structure_code
