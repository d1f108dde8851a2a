-- The indicators recomputed from the I-MILO exports and the rule of each: the list that
-- int_imilo_indicator_values computes, mart_commune_year_recomputed pivots,
-- mart_reconciliation compares and `mlw trace` prints. The rules are written once, in
-- macros/imilo_indicators.sql (the rules of sample_inputs/imilo/recompute.md: every youth is
-- counted in the commune of residence of their current row (latest export); situations count
-- by their start date and only when confirmed (etat EN_COURS or TERMINE); an enrolment is
-- active in a year when it started on or before 31 December and has no real end before
-- 1 January (planned end ignored)).
-- suppression_basis: the count whose small values hide this indicator in public marts (an
-- amount is hidden with the count of its beneficiaries). counts: what a value counts (youths:
-- distinct youths; records: export rows; amount: euros of the rows). records / source_table:
-- the kind of record counted and the raw table (export file) it comes from. counted_when: the
-- condition over those records (int_imilo_indicator_records).
{%- set sources = imilo_record_sources() %}

select
    indicator_code,
    unit,
    coalesce(suppression_basis, indicator_code) as suppression_basis,
    rule,
    counts,
    records,
    source_table,
    counted_when
from (
    values
    {%- for rule in imilo_indicator_rules() %}
        ('{{ rule.code }}', '{{ rule.unit }}',
         {{ "'" ~ rule.basis ~ "'" if rule.basis else 'null' }},
         '{{ rule.rule | replace("'", "''") }}', '{{ rule.counts }}', '{{ rule.records }}',
         'raw.{{ sources[rule.records] }}', '{{ rule.where | replace("'", "''") }}')
        {{- ',' if not loop.last }}
    {%- endfor %}
) as rules (indicator_code, unit, suppression_basis, rule, counts, records, source_table, counted_when)
