{#- The indicators recomputed from the I-MILO exports (sample_inputs/imilo/recompute.md), written
    once: which records each one counts and how. Three models read them, so that the figures and
    the records behind them cannot drift apart:
      int_imilo_recomputed_indicators  the rules as a table (what `mlw trace` prints);
      int_imilo_indicator_values       the values: one aggregate per rule over its records;
      int_imilo_indicator_records      the records each value counts, with their export file and
                                       line (what `mlw trace` lists).
    A rule: code, unit, basis (the count whose small values hide it in public marts; an amount
    is hidden with its beneficiaries), records (the kind of record it reads, see
    imilo_indicator_records_of), counts (youths: distinct youth_key; records: rows; amount:
    sum of amount_eur), where (SQL condition over those records), rule (in words). -#}

{% macro imilo_indicator_rules() -%}
    {{- return([
        {'code': 'new_registrations', 'unit': 'count', 'records': 'youths', 'counts': 'youths',
         'where': 'true', 'rule': 'youths whose first_registration_date is in the year'},
        {'code': 'new_registrations_qpv', 'unit': 'count', 'records': 'youths', 'counts': 'youths',
         'where': 'is_qpv', 'rule': 'new_registrations living in a QPV (latest export row)'},
        {'code': 'youths_in_contact', 'unit': 'count', 'records': 'contacts', 'counts': 'youths',
         'where': 'true', 'rule': 'distinct youths with at least one contact in the year'},
        {'code': 'youths_interviewed', 'unit': 'count', 'records': 'contacts', 'counts': 'youths',
         'where': 'is_interview',
         'rule': 'distinct youths with at least one individual_interview or group_session contact in the year'},
        {'code': 'contacts', 'unit': 'count', 'records': 'contacts', 'counts': 'records',
         'where': 'true', 'rule': 'contacts in the year'},
        {'code': 'contacts_interviews', 'unit': 'count', 'records': 'contacts', 'counts': 'records',
         'where': 'is_interview', 'rule': 'individual_interview and group_session contacts in the year'},
        {'code': 'employment_contracts', 'unit': 'count', 'records': 'situations', 'counts': 'records',
         'where': 'is_employment_contract',
         'rule': 'confirmed situations Emploi or Contrat en Alternance starting in the year'},
        {'code': 'alternance_contracts', 'unit': 'count', 'records': 'situations', 'counts': 'records',
         'where': 'is_alternance_contract',
         'rule': 'confirmed situations Contrat en Alternance starting in the year'},
        {'code': 'pec_contracts', 'unit': 'count', 'records': 'situations', 'counts': 'records',
         'where': 'is_pec_contract',
         'rule': 'confirmed situations Emploi of contract type PEC starting in the year'},
        {'code': 'pmsmp_periods', 'unit': 'count', 'records': 'situations', 'counts': 'records',
         'where': 'is_work_placement',
         'rule': 'confirmed situations Pmsmp or Immersion en entreprise starting in the year'},
        {'code': 'training_entries', 'unit': 'count', 'records': 'situations', 'counts': 'youths',
         'where': 'is_training',
         'rule': 'distinct youths with a confirmed Formation situation starting in the year'},
        {'code': 'cej_youths', 'unit': 'count', 'records': 'enrolments', 'counts': 'youths',
         'where': "programme_code in ('cej', 'garantie_jeunes')",
         'rule': 'distinct youths with a cej or garantie_jeunes enrolment active in the year'},
        {'code': 'cej_entrants', 'unit': 'count', 'records': 'enrolments', 'counts': 'youths',
         'where': "programme_code in ('cej', 'garantie_jeunes') and start_year = year",
         'rule': 'distinct youths with a cej or garantie_jeunes enrolment starting in the year'},
        {'code': 'civic_service_youths', 'unit': 'count', 'records': 'enrolments', 'counts': 'youths',
         'where': "programme_code = 'civic_service'",
         'rule': 'distinct youths with a civic_service enrolment active in the year'},
        {'code': 'civic_service_starts', 'unit': 'count', 'records': 'enrolments', 'counts': 'youths',
         'where': "programme_code = 'civic_service' and start_year = year",
         'rule': 'distinct youths with a civic_service enrolment starting in the year'},
    ] + imilo_aid_rules([
        ('pacea_allowance', 'PACEA', 'a PACEA allowance', 'PACEA allowances'),
        ('cej_allowance', 'CEJ', 'a CEJ allowance', 'CEJ allowances'),
        ('fajem_aid', 'FAJ', 'a FAJ aid', 'FAJ aid'),
        ('mobility_aid', 'MOBILITE', 'a MOBILITE aid', 'MOBILITE aid'),
        ('ml_fund_direct_aid', 'FONDS_ML_DIRECT', 'a FONDS_ML_DIRECT aid', 'FONDS_ML_DIRECT aid'),
        ('ml_fund_indirect_aid', 'FONDS_ML_INDIRECT', 'a FONDS_ML_INDIRECT aid', 'FONDS_ML_INDIRECT aid'),
    ])) -}}
{%- endmacro %}

{#- Two rules per aid (int_imilo_allowances.aid_indicator): its beneficiaries and its amount. -#}
{% macro imilo_aid_rules(aids) -%}
    {%- set rules = [] -%}
    {%- for indicator, code, one, paid in aids -%}
        {%- do rules.append({'code': indicator ~ '_beneficiaries', 'unit': 'count',
                             'records': 'allowances', 'counts': 'youths',
                             'where': "aid_indicator = '" ~ indicator ~ "'",
                             'rule': 'distinct youths paid ' ~ one ~ ' in the year'}) -%}
        {%- do rules.append({'code': indicator ~ '_amount', 'unit': 'eur',
                             'basis': indicator ~ '_beneficiaries',
                             'records': 'allowances', 'counts': 'amount',
                             'where': "aid_indicator = '" ~ indicator ~ "'",
                             'rule': paid ~ ' paid in the year, euros'}) -%}
    {%- endfor -%}
    {{- return(rules) -}}
{%- endmacro %}

{#- The kinds of records the rules read, and the raw table (export file) each comes from. -#}
{% macro imilo_record_sources() -%}
    {{- return({'youths': 'imilo_youths', 'contacts': 'imilo_contacts',
                'situations': 'imilo_situations', 'enrolments': 'imilo_enrolments',
                'allowances': 'imilo_allowances'}) -}}
{%- endmacro %}

{#- The records of one kind, each with the year it counts for, in the shape every rule reads:
    year, structure_code, commune_insee (the youth's commune for that year: their latest export
    of that year or earlier, macros/imilo_years.sql), youth_key, amount_eur, export_file,
    export_line, plus the columns the rules test. Conventions of recompute.md: youths count in
    the year of their first registration (the dim_youth version that holds for that year);
    situations only when confirmed, in the year they start; an enrolment counts in every year of
    the scope it is active in (fct_programme_enrolment: started on or before 31 December, no real
    end before 1 January); payments in the year they are paid.
    `year`: only the records that count for that year (none: every year). The filter sits on the
    fact tables' own year columns, where DuckDB prunes their row groups; a filter on the
    aggregated values above would leave every year to compute first. -#}
{% macro imilo_indicator_records_of(records, year=none) -%}
    {%- if records == 'youths' -%}
        select *, first_registration_year as year, null::decimal(12, 2) as amount_eur
        from {{ ref('dim_youth') }} as y
        where y.first_registration_year is not null
            and {{ imilo_youth_version_of_year('y', 'y.first_registration_year') }}
            {{- and_year_equals('y.first_registration_year', year) }}
    {%- elif records == 'contacts' -%}
        select *, null::decimal(12, 2) as amount_eur
        from {{ ref('fct_contact') }}
        where year is not null{{ and_year_equals('year', year) }}
    {%- elif records == 'situations' -%}
        select *, start_year as year, null::decimal(12, 2) as amount_eur
        from {{ ref('fct_outcome') }}
        where start_year is not null and is_confirmed{{ and_year_equals('start_year', year) }}
    {%- elif records == 'enrolments' -%}
        select e.*, null::decimal(12, 2) as amount_eur
        from {{ ref('fct_programme_enrolment') }} as e
        inner join ({{ imilo_indicator_scope(year) }}) as s
            on s.structure_code = e.structure_code and s.year = e.year
        where true{{ and_year_equals('e.year', year) }}
    {%- elif records == 'allowances' -%}
        select *
        from {{ ref('fct_allowance') }}
        where aid_indicator is not null and year is not null{{ and_year_equals('year', year) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("unknown kind of I-MILO records: " ~ records) }}
    {%- endif -%}
{%- endmacro %}

{#- The (structure, year) pairs an export covers: at least one contact (of `year` only if given). -#}
{% macro imilo_indicator_scope(year=none) -%}
    select distinct structure_code, year
    from {{ ref('fct_contact') }}
    where structure_code is not null and year is not null{{ and_year_equals('year', year) }}
{%- endmacro %}

{#- Every commune of each structure's territory in each year of the scope: the cells the
    recomputed indicators have a value for (records outside them count nowhere); of `year` only
    if given. -#}
{% macro imilo_indicator_cells(year=none) -%}
    select distinct s.structure_code, s.year, t.commune_insee
    from ({{ imilo_indicator_scope(year) }}) as s
    inner join {{ ref('int_imilo_territory') }} as t
        on t.structure_code = s.structure_code and {{ imilo_youth_version_of_year('t', 's.year') }}
{%- endmacro %}

{#- The aggregate that turns a rule's records into its value. -#}
{% macro imilo_indicator_aggregate(rule) -%}
    {%- set measure = {'youths': 'count(distinct youth_key)', 'records': 'count(*)',
                       'amount': 'sum(amount_eur)'}[rule.counts] -%}
    {{ measure }} filter (where {{ rule.where }})
{%- endmacro %}
