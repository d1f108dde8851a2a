-- The communes each structure's recomputed indicators are computed for (its "territory"): the
-- structure's communes in ref_structure_territory (dim_commune.structure_code); for a structure
-- the reference does not map, the communes its youths live in, each from the first year a
-- youth's version holds it (from_year: the activity year of the export that first showed it, so
-- that a later export never adds a commune to an earlier year). A youth living outside their
-- structure's territory counts in no recomputed figure (recompute.md).
with reference_territory as (
    select structure_code, commune_insee, true as is_reference, null::integer as from_year
    from {{ ref('dim_commune') }}
    where structure_code is not null
)

select * from reference_territory
union all
select structure_code, commune_insee, false, min(coalesce(valid_from_year, 0))
from {{ ref('dim_youth') }}
where commune_insee is not null
    and structure_code not in (select structure_code from reference_territory)
group by structure_code, commune_insee
