-- The indicators recomputed from the I-MILO exports and the rule of each: the list that
-- int_imilo_indicator_values computes, mart_commune_year_recomputed pivots and
-- mart_reconciliation compares. suppression_basis: the count whose small values hide this
-- indicator in public marts (an amount is hidden with the count of its beneficiaries).
-- The rules of sample_inputs/imilo/recompute.md: every youth is counted in the commune of
-- residence of their current row (latest export); situations count by their start date and
-- only when confirmed (etat EN_COURS or TERMINE); an enrolment is active in a year when it
-- started on or before 31 December and has no real end before 1 January (planned end ignored).
select
    indicator_code,
    unit,
    coalesce(suppression_basis, indicator_code) as suppression_basis,
    rule
from (
    values
        ('new_registrations', 'count', null,
         'youths whose first_registration_date is in the year'),
        ('new_registrations_qpv', 'count', null,
         'new_registrations living in a QPV (latest export row)'),
        ('youths_in_contact', 'count', null,
         'distinct youths with at least one contact in the year'),
        ('youths_interviewed', 'count', null,
         'distinct youths with at least one individual_interview or group_session contact in the year'),
        ('contacts', 'count', null,
         'contacts in the year'),
        ('contacts_interviews', 'count', null,
         'individual_interview and group_session contacts in the year'),
        ('employment_contracts', 'count', null,
         'confirmed situations Emploi or Contrat en Alternance starting in the year'),
        ('alternance_contracts', 'count', null,
         'confirmed situations Contrat en Alternance starting in the year'),
        ('pec_contracts', 'count', null,
         'confirmed situations Emploi of contract type PEC starting in the year'),
        ('pmsmp_periods', 'count', null,
         'confirmed situations Pmsmp or Immersion en entreprise starting in the year'),
        ('training_entries', 'count', null,
         'distinct youths with a confirmed Formation situation starting in the year'),
        ('cej_youths', 'count', null,
         'distinct youths with a cej or garantie_jeunes enrolment active in the year'),
        ('cej_entrants', 'count', null,
         'distinct youths with a cej or garantie_jeunes enrolment starting in the year'),
        ('civic_service_youths', 'count', null,
         'distinct youths with a civic_service enrolment active in the year'),
        ('civic_service_starts', 'count', null,
         'distinct youths with a civic_service enrolment starting in the year'),
        ('pacea_allowance_beneficiaries', 'count', null,
         'distinct youths paid a PACEA allowance in the year'),
        ('pacea_allowance_amount', 'eur', 'pacea_allowance_beneficiaries',
         'PACEA allowances paid in the year, euros'),
        ('cej_allowance_beneficiaries', 'count', null,
         'distinct youths paid a CEJ allowance in the year'),
        ('cej_allowance_amount', 'eur', 'cej_allowance_beneficiaries',
         'CEJ allowances paid in the year, euros'),
        ('fajem_aid_beneficiaries', 'count', null,
         'distinct youths paid a FAJ aid in the year'),
        ('fajem_aid_amount', 'eur', 'fajem_aid_beneficiaries',
         'FAJ aid paid in the year, euros'),
        ('mobility_aid_beneficiaries', 'count', null,
         'distinct youths paid a MOBILITE aid in the year'),
        ('mobility_aid_amount', 'eur', 'mobility_aid_beneficiaries',
         'MOBILITE aid paid in the year, euros'),
        ('ml_fund_direct_aid_beneficiaries', 'count', null,
         'distinct youths paid a FONDS_ML_DIRECT aid in the year'),
        ('ml_fund_direct_aid_amount', 'eur', 'ml_fund_direct_aid_beneficiaries',
         'FONDS_ML_DIRECT aid paid in the year, euros'),
        ('ml_fund_indirect_aid_beneficiaries', 'count', null,
         'distinct youths paid a FONDS_ML_INDIRECT aid in the year'),
        ('ml_fund_indirect_aid_amount', 'eur', 'ml_fund_indirect_aid_beneficiaries',
         'FONDS_ML_INDIRECT aid paid in the year, euros')
) as rules (indicator_code, unit, suppression_basis, rule)
