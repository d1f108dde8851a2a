-- The communes each structure's recomputed indicators are computed for (its "territory"): the
-- structure's communes in ref_structure_territory (dim_commune.structure_code), every year; for a
-- structure the reference does not map, the communes its youths live in in year Y: those of the
-- youths' versions that hold for Y (valid_from_year <= Y < valid_to_year, as the facts read
-- them), so that a later export never adds a commune to an earlier year and a commune a youth
-- left within the year (an earlier export row of it) is not one. One row per commune and span
-- of years of a version that lives there; consumers keep the rows that hold for their year
-- (imilo_youth_version_of_year). A youth living outside their structure's territory counts in no
-- recomputed figure (recompute.md).
with reference_territory as (
    select
        structure_code,
        commune_insee,
        true as is_reference,
        null::integer as valid_from_year,
        null::integer as valid_to_year
    from {{ ref('dim_commune') }}
    where structure_code is not null
)

select * from reference_territory
union all
select distinct structure_code, commune_insee, false, coalesce(valid_from_year, 0), valid_to_year
from {{ ref('dim_youth') }}
where commune_insee is not null
    and structure_code not in (select structure_code from reference_territory)
    -- a version superseded within its own export year holds for no year
    and (valid_to_year is null or valid_to_year > coalesce(valid_from_year, 0))
