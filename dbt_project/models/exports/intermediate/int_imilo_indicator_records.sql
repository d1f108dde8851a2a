-- The export records each recomputed value counts: one row per indicator x record (a contact
-- counts for youths_in_contact and for contacts), with the cell it counts in (year x structure
-- x commune of the territory), the pseudonymised youth_key, the amount (payments) and the
-- export file and line it was read from. The same rules as int_imilo_indicator_values
-- (macros/imilo_indicators.sql): grouped by cell and indicator, count(*) (counts 'records'),
-- count(distinct youth_key) ('youths') or sum(amount_eur) ('amount') is the value.
-- A view, read one figure at a time by `mlw trace` (filter on indicator_code, year,
-- structure_code, commune_insee).
{{ config(**annual_view('year')) }}

with cells as (
    {{ imilo_indicator_cells() }}
)
{% for rule in imilo_indicator_rules() %}
select
    '{{ rule.code }}' as indicator_code,
    '{{ rule.counts }}' as counts,
    r.year::integer as year,
    r.structure_code,
    r.commune_insee,
    r.youth_key,
    r.amount_eur,
    r.export_file,
    r.export_line
from (
    select * from ({{ imilo_indicator_records_of(rule.records) }}) where {{ rule.where }}
) as r
inner join cells as c
    on c.structure_code = r.structure_code and c.year = r.year and c.commune_insee = r.commune_insee
{% if not loop.last %}union all{% endif %}
{%- endfor %}
