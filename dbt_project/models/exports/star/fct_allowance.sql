-- One row per allowance or aid payment to a youth: I-MILO dispositif, the catalogue indicator it
-- feeds (aid_indicator), programme (pacea, cej, faj, null for the other aids), date, amount in
-- euros and the youth's commune of residence in the dim_youth version that holds for the
-- payment's year (their latest export of that year or earlier), as the exports of that year or
-- earlier list it. youth_version_key: that version.
-- Annual: `--vars '{year: 2023}'` builds 2023's payments only.
{{ config(**annual_incremental(dimension_built=true)) }}

{%- set listed -%}
    select *
    from {{ ref('int_imilo_allowances') }} as a
    where a.year is not null and {{ imilo_export_of_year('a', 'a.year') }}{{ and_year_is('a.year') }}
        {{- and_date_in_build_year('a.paid_on') }}
{%- endset %}

with allowances as (
    {{ latest_listing(listed, ['structure_code', 'allowance_id', 'year']) }}
)

select
    md5(a.structure_code || ':' || a.allowance_id) as allowance_key,
    a.allowance_id,
    a.structure_code,
    a.youth_key,
    y.youth_version_key,
    a.aid_code,
    a.aid_indicator,
    a.programme_code,
    a.paid_on,
    a.year,
    a.amount_eur,
    y.commune_insee,
    a.export_file,
    a.export_line
from allowances as a
-- youth_key hashes the structure code with the file id (ingestion): a key of its own
left join {{ ref('dim_youth') }} as y
    on y.youth_key = a.youth_key
    and {{ imilo_youth_version_of_year('y', 'a.year') }}
