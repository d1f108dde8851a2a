"""The I-MILO export format's files, columns and codes (docs/imilo_export_format.md), and the
conformed codes of the report indicators they are recomputed into (recompute.md).

Every code list is a tuple: a generated value is stored as its index in the tuple.
"""

from __future__ import annotations

# --- the five files and their columns, in the documented order ---------------------------------

FILES: dict[str, tuple[str, ...]] = {
    "dossiers": (
        "idDossier", "codeStructure", "nomNaissance", "nomUsage", "prenom", "dateNaissance", "sexe",
        "mail", "telephone", "numeroSecuriteSociale", "adresseNumero", "adresseLibelleVoie",
        "adresseCodePostal", "adresseCommune", "codeInseeCommune", "residentQPV",
        "niveauQualification", "permisB", "logement", "datePremierAccueil", "dateExport",
    ),
    "evenements": ("idEvenement", "idDossier", "codeStructure", "dateEvenement", "nature"),
    "situations": ("idSituation", "idDossier", "codeStructure", "categorieSituation", "typeContrat",
                   "etat", "dateDebut", "dateFin", "dispositif"),
    "accompagnements": ("idAccompagnement", "idDossier", "codeStructure", "dispositif", "dateDebut",
                        "dateFinPrevue", "dateFinReelle"),
    "allocations": ("idAllocation", "idDossier", "codeStructure", "dispositif", "dateVersement",
                    "montant"),
}
# Identity columns: personal data a real export carries (pseudonymised or dropped at ingestion).
IDENTITY_COLUMNS = ("nomNaissance", "nomUsage", "prenom", "dateNaissance", "mail", "telephone",
                    "numeroSecuriteSociale", "adresseNumero", "adresseLibelleVoie",
                    "adresseCodePostal")

# --- youth attributes: export code, conformed code -----------------------------------------------

SEXES = ("F", "M")
SEX_CODES = ("female", "male")
AGE_BANDS = ("16_17", "18_21", "22_25", "26_plus")  # age at 31 December of the export year
QUALIFICATIONS = ("SUP_BAC", "BAC", "CAP_BEP", "SANS_DIPLOME")
QUALIFICATION_CODES = ("above_bac", "bac", "cap_bep", "no_diploma")
QUALIFICATION3_CODES = ("bac_or_above", "cap_bep", "no_diploma")  # coarse: "BAC et plus"
QUALIFICATION3_OF = (0, 0, 1, 2)  # fine index -> coarse index
HOUSINGS = ("PARENTS", "AUTONOME", "PRECAIRE")
HOUSING_CODES = ("with_parents", "independent", "precarious")
YES_NO = ("N", "O")  # index 1 = yes
LICENCE_CODES = ("not_holder", "holder")

# --- evenements -----------------------------------------------------------------------------------

NATURES = ("ENTRETIEN_INDIVIDUEL", "ATELIER", "SMS", "MAIL", "TELEPHONE", "AUTRE")
NATURE_CODES = ("individual_interview", "group_session", "sms", "email", "phone", "other")
INTERVIEW_NATURES = (0, 1)  # ENTRETIEN_INDIVIDUEL, ATELIER: the "entretiens"
IND, ATELIER, SMS, MAIL, TELEPHONE, AUTRE = range(6)

# --- situations -----------------------------------------------------------------------------------

CATEGORIES = ("Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
              "Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi")
EMPLOI, ALTERNANCE, FORMATION, IMMERSION, PMSMP, VOLONTARIAT, SCOLARITE, DEMANDEUR = range(8)
CONTRACTS = ("", "CDD", "CDI", "INTERIM", "APPRENTISSAGE", "PROFESSIONNALISATION", "PEC",
             "CREATION")
NO_CONTRACT, CDD, CDI, INTERIM, APPRENTISSAGE, PROFESSIONNALISATION, PEC, CREATION = range(8)
STATES = ("PREVU", "EN_COURS", "TERMINE")
PREVU, EN_COURS, TERMINE = range(3)
SITUATION_PROGRAMMES = ("", "CEJ", "PACEA")
# employment_contracts_by_type: contract_type code -> typeContrat values (Emploi situations), and
# "alternance" = every Contrat en Alternance situation.
CONTRACT_TYPE_OF = {"fixed_term": (CDD,), "temporary_seasonal": (INTERIM,), "permanent": (CDI,),
                    "subsidised": (PEC,), "self_employed": (CREATION,)}
# cej_measures: situation_type code -> categorieSituation values
MEASURE_CATEGORIES = {"employment": (EMPLOI,), "alternance": (ALTERNANCE,),
                      "training": (FORMATION,), "work_placement": (PMSMP, IMMERSION)}

# --- accompagnements ------------------------------------------------------------------------------

PROGRAMMES = ("CEJ", "GARANTIE_JEUNES", "PACEA", "PPAE", "PARRAINAGE", "SERVICE_CIVIQUE")
CEJ, GARANTIE_JEUNES, PACEA, PPAE, PARRAINAGE, SERVICE_CIVIQUE = range(6)
CEJ_START = "2022-03-01"  # the CEJ replaced the Garantie Jeunes for entries from this date

# --- allocations ----------------------------------------------------------------------------------

AIDS = ("PACEA", "CEJ", "FAJ", "MOBILITE", "FONDS_ML_DIRECT", "FONDS_ML_INDIRECT")
# indicator prefix -> allocations.dispositif: <prefix>_beneficiaries, <prefix>_amount
AID_INDICATORS = {
    "pacea_allowance": "PACEA",
    "cej_allowance": "CEJ",
    "fajem_aid": "FAJ",
    "mobility_aid": "MOBILITE",
    "ml_fund_direct_aid": "FONDS_ML_DIRECT",
    "ml_fund_indirect_aid": "FONDS_ML_INDIRECT",
}

# --- the commune-table indicators the generator calibrates (one value per commune) ---------------

COUNT_INDICATORS = (
    "new_registrations", "new_registrations_qpv", "youths_in_contact", "youths_interviewed",
    "contacts", "contacts_interviews", "pmsmp_periods", "training_entries", "employment_contracts",
    "pec_contracts", "alternance_contracts", "civic_service_youths", "civic_service_starts",
    "cej_youths", "cej_entrants",
    *(f"{prefix}_beneficiaries" for prefix in AID_INDICATORS),
)
AMOUNT_INDICATORS = tuple(f"{prefix}_amount" for prefix in AID_INDICATORS)
COMMUNE_INDICATORS = COUNT_INDICATORS + AMOUNT_INDICATORS
# breakdown indicators the generator calibrates (structure level)
BREAKDOWN_INDICATORS = (
    "new_registrations_profile", "new_registrations_share", "youths_interviewed_profile",
    "youths_interviewed_share", "contacts_by_nature", "cej_contacts_by_nature",
    "employment_contracts_by_type", "employment_youths_profile", "training_entrants_profile",
    "training_actions", "cej_entrants_profile", "cej_measures", "mentoring_youths",
)
