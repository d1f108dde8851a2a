-- The communes each structure's recomputed indicators are computed for (its "territory"): the
-- structure's communes in ref_structure_territory (dim_commune.structure_code); for a structure
-- the reference does not map, the communes its youths live in (current rows). A youth living
-- outside their structure's territory counts in no recomputed figure (recompute.md).
with reference_territory as (
    select structure_code, commune_insee, true as is_reference
    from {{ ref('dim_commune') }}
    where structure_code is not null
)

select * from reference_territory
union all
select distinct structure_code, commune_insee, false
from {{ ref('dim_youth') }}
where is_current
    and commune_insee is not null
    and structure_code not in (select structure_code from reference_territory)
