"""The five files of an I-MILO export (docs/imilo_export_format.md): the columns read, how each is
validated and conformed, and the raw table it lands in.

Only the columns listed here are ever read into the warehouse, and only through derived values
(keyed hash, birth year, codes). The identity columns are known so that they are neither
reported as unexpected nor read; every other column of a file is reported and ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Quarantine reasons: a fixed vocabulary, so that the quarantine can be counted by reason.
# Reasons never quote the rejected value (it may be personal data shifted into another column).
MISSING_VALUE = "missing required value"
NOT_AN_INTEGER = "not an integer"
UNKNOWN_STRUCTURE = "unknown structure code"
UNKNOWN_COMMUNE = "unknown commune INSEE code"
BAD_DATE = "unparseable date (expected dd/mm/yyyy)"
BAD_AMOUNT = "unparseable amount (expected a decimal comma, e.g. 1234,56)"
UNKNOWN_CODE = "unknown code"
END_BEFORE_START = "end date before start date"
AGE_OUT_OF_RANGE = "birth date out of range (age at 31 December outside 16-35)"
DUPLICATE = "duplicate record"
TOO_FEW_FIELDS = "too few fields"
TOO_MANY_FIELDS = "too many fields"
# A last line without a final newline may have been cut inside its last field ("279,00" cut to
# "27" is still a valid amount): it cannot be told complete, so it is never landed.
UNTERMINATED_LAST_LINE = "last line without final newline (possibly truncated)"
FILE_REJECTED = "file rejected: "  # + the kind of file-level error

# Ages at 31 December of the export year that are plausible for a Mission Locale's youth.
AGE_MIN, AGE_MAX = 16, 35

IDENTITY_COLUMNS = frozenset({
    "nomnaissance", "nomusage", "prenom", "mail", "telephone", "numerosecuritesociale",
    "adressenumero", "adresselibellevoie", "adressecodepostal", "adressecommune",
})


@dataclass(frozen=True)
class Column:
    """A column read from an export file. `kind` says how it is validated and typed:
    id (integer), structure (in ref_structures), commune (in ref_communes), date (dd/mm/yyyy),
    amount (decimal comma), code (one of `codes`, matched without case, landed as its value)."""

    name: str
    kind: str
    required: bool = False
    codes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class FileSpec:
    file: str                      # file name in the export folder
    table: str                     # raw table (schema raw)
    id_column: str                 # the record's id (or idDossier for dossiers)
    columns: tuple[Column, ...]
    # raw table column -> SQL over the typed columns ("t_<name>") and youth_key
    outputs: dict[str, str]
    sql_types: dict[str, str]      # raw table column -> DuckDB type
    natural_key: tuple[str, ...]   # output columns: a second row with the same values is a duplicate
    # (condition over typed columns, column, reason): cross-field checks
    checks: tuple[tuple[str, str, str], ...] = ()

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _verbatim(*codes: str) -> dict[str, object]:
    return {code: code for code in codes}


YES_NO = {"O": True, "N": False}
_DOSSIER = (Column("idDossier", "id", True), Column("codeStructure", "structure", True))
_KEY_TYPES = {"youth_key": "VARCHAR", "structure_code": "VARCHAR"}
_KEY_OUTPUTS = {"youth_key": "youth_key", "structure_code": "t_codeStructure"}

DOSSIERS = FileSpec(
    file="dossiers.csv", table="imilo_youths", id_column="idDossier",
    columns=(*_DOSSIER,
             Column("dateNaissance", "date"),
             Column("sexe", "code", codes={"F": "female", "M": "male"}),
             Column("codeInseeCommune", "commune"),
             Column("residentQPV", "code", codes=YES_NO),
             Column("niveauQualification", "code", codes={
                 "SUP_BAC": "above_bac", "BAC": "bac", "CAP_BEP": "cap_bep",
                 "SANS_DIPLOME": "no_diploma"}),
             Column("permisB", "code", codes={"O": "holder", "N": "not_holder"}),
             Column("logement", "code", codes={
                 "PARENTS": "with_parents", "AUTONOME": "independent", "PRECAIRE": "precarious"}),
             Column("datePremierAccueil", "date"),
             Column("dateExport", "date", True)),
    outputs={**_KEY_OUTPUTS, "sex": "t_sexe", "birth_year": "year(t_dateNaissance)",
             "commune_insee": "t_codeInseeCommune", "qpv": "t_residentQPV",
             "qualification_level": "t_niveauQualification", "driving_licence": "t_permisB",
             "housing": "t_logement", "first_registration_date": "t_datePremierAccueil",
             "exported_at": "t_dateExport"},
    sql_types={**_KEY_TYPES, "sex": "VARCHAR", "birth_year": "INTEGER", "age_band": "VARCHAR",
               "commune_insee": "VARCHAR", "qpv": "BOOLEAN", "qualification_level": "VARCHAR",
               "driving_licence": "VARCHAR", "housing": "VARCHAR",
               "first_registration_date": "DATE", "exported_at": "DATE"},
    # A file exported again (another dateExport) is a new version, kept; the same version twice
    # is a duplicate.
    natural_key=("youth_key", "exported_at"),
)

EVENEMENTS = FileSpec(
    file="evenements.csv", table="imilo_contacts", id_column="idEvenement",
    columns=(Column("idEvenement", "id", True), *_DOSSIER,
             Column("dateEvenement", "date", True),
             Column("nature", "code", True, codes={
                 "ENTRETIEN_INDIVIDUEL": "individual_interview", "ATELIER": "group_session",
                 "SMS": "sms", "MAIL": "email", "TELEPHONE": "phone", "AUTRE": "other"})),
    outputs={"contact_id": "t_idEvenement", **_KEY_OUTPUTS, "contact_date": "t_dateEvenement",
             "contact_nature": "t_nature"},
    sql_types={"contact_id": "BIGINT", **_KEY_TYPES, "contact_date": "DATE",
               "contact_nature": "VARCHAR"},
    natural_key=("structure_code", "contact_id"),
)

SITUATIONS = FileSpec(
    file="situations.csv", table="imilo_situations", id_column="idSituation",
    columns=(Column("idSituation", "id", True), *_DOSSIER,
             Column("categorieSituation", "code", True, codes=_verbatim(
                 "Emploi", "Contrat en Alternance", "Formation", "Immersion en entreprise", "Pmsmp",
                 "Contrat de volontariat - bénévolat", "Scolarité", "Demandeur d'emploi")),
             Column("typeContrat", "code", codes=_verbatim(
                 "CDD", "CDI", "INTERIM", "APPRENTISSAGE", "PROFESSIONNALISATION", "PEC", "CREATION")),
             Column("etat", "code", True, codes=_verbatim("PREVU", "EN_COURS", "TERMINE")),
             Column("dateDebut", "date", True),
             Column("dateFin", "date"),
             Column("dispositif", "code", codes={"CEJ": "cej", "PACEA": "pacea"})),
    outputs={"situation_id": "t_idSituation", **_KEY_OUTPUTS, "category": "t_categorieSituation",
             "contract_type": "t_typeContrat", "state": "t_etat", "start_date": "t_dateDebut",
             "end_date": "t_dateFin", "programme_code": "t_dispositif"},
    sql_types={"situation_id": "BIGINT", **_KEY_TYPES, "category": "VARCHAR",
               "contract_type": "VARCHAR", "state": "VARCHAR", "start_date": "DATE",
               "end_date": "DATE", "programme_code": "VARCHAR"},
    natural_key=("structure_code", "situation_id"),
    checks=(("t_dateFin < t_dateDebut", "dateFin", END_BEFORE_START),),
)

ACCOMPAGNEMENTS = FileSpec(
    file="accompagnements.csv", table="imilo_enrolments", id_column="idAccompagnement",
    columns=(Column("idAccompagnement", "id", True), *_DOSSIER,
             Column("dispositif", "code", True, codes={
                 "CEJ": "cej", "GARANTIE_JEUNES": "garantie_jeunes", "PACEA": "pacea",
                 "PPAE": "ppae", "PARRAINAGE": "mentoring", "SERVICE_CIVIQUE": "civic_service"}),
             Column("dateDebut", "date", True),
             Column("dateFinPrevue", "date"),
             Column("dateFinReelle", "date")),
    outputs={"enrolment_id": "t_idAccompagnement", **_KEY_OUTPUTS, "programme_code": "t_dispositif",
             "start_date": "t_dateDebut", "planned_end_date": "t_dateFinPrevue",
             "end_date": "t_dateFinReelle"},
    sql_types={"enrolment_id": "BIGINT", **_KEY_TYPES, "programme_code": "VARCHAR",
               "start_date": "DATE", "planned_end_date": "DATE", "end_date": "DATE"},
    natural_key=("structure_code", "enrolment_id"),
    checks=(("t_dateFinPrevue < t_dateDebut", "dateFinPrevue", END_BEFORE_START),
            ("t_dateFinReelle < t_dateDebut", "dateFinReelle", END_BEFORE_START)),
)

ALLOCATIONS = FileSpec(
    file="allocations.csv", table="imilo_allowances", id_column="idAllocation",
    columns=(Column("idAllocation", "id", True), *_DOSSIER,
             Column("dispositif", "code", True, codes=_verbatim(
                 "PACEA", "CEJ", "FAJ", "MOBILITE", "FONDS_ML_DIRECT", "FONDS_ML_INDIRECT")),
             Column("dateVersement", "date", True),
             Column("montant", "amount", True)),
    outputs={"allowance_id": "t_idAllocation", **_KEY_OUTPUTS, "aid_code": "t_dispositif",
             "paid_on": "t_dateVersement", "amount_eur": "t_montant"},
    sql_types={"allowance_id": "BIGINT", **_KEY_TYPES, "aid_code": "VARCHAR", "paid_on": "DATE",
               "amount_eur": "DECIMAL(12,2)"},
    natural_key=("structure_code", "allowance_id"),
)

FILES: tuple[FileSpec, ...] = (DOSSIERS, EVENEMENTS, SITUATIONS, ACCOMPAGNEMENTS, ALLOCATIONS)
LINEAGE_TYPES = {"export_file": "VARCHAR", "export_line": "BIGINT"}
QUARANTINE_TABLE = "imilo_quarantine"
QUARANTINE_TYPES = {"export_file": "VARCHAR", "export_line": "BIGINT", "column_name": "VARCHAR",
                    "reason": "VARCHAR", "structure_code": "VARCHAR", "year": "INTEGER"}
RAW_TABLES = (*(spec.table for spec in FILES), QUARANTINE_TABLE)
