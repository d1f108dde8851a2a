"""dbt properties generated from what the code already declares, so that no column list is
written twice (`mlw codegen`, orchestration/codegen.py, writes them with the catalogue's files):

- the raw sources with their columns, from the schemas the pipeline lands them with
  (orchestration/warehouse/raw_schemas.py for the documents, extractors/imilo/ for the I-MILO exports);
- mart_commune_year_recomputed: one column per indicator recomputed from the exports, the rules
  read from dbt_project/macros/imilo_indicators.sql (where the SQL reads them too) and described
  from the indicator catalogue.

A column is described by the shared vocabulary (`{% docs col_<name> %}` blocks of
dbt_project/models/_columns.md) unless a table gives it a more specific meaning below.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import jinja2
import yaml

from extractors.catalogue import Indicator
from extractors.imilo.reference import REFERENCE_TABLES
from extractors.imilo.spec import FILES, LINEAGE_TYPES, QUARANTINE_TABLE, QUARANTINE_TYPES
from orchestration.warehouse import RAW_SCHEMA, raw_source_columns

DBT_PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt_project"
COLUMN_DOCS_FILE = DBT_PROJECT_DIR / "models" / "_columns.md"
RULES_MACROS_FILE = DBT_PROJECT_DIR / "macros" / "imilo_indicators.sql"
RAW_SOURCES_FILE = DBT_PROJECT_DIR / "models" / "staging" / "_generated_sources.yml"
IMILO_SOURCES_FILE = DBT_PROJECT_DIR / "models" / "exports" / "_generated_imilo_sources.yml"
RECOMPUTED_PROPERTIES_FILE = (DBT_PROJECT_DIR / "models" / "exports" / "marts"
                              / "_generated_mart_commune_year_recomputed.yml")
SQL_TYPES = {"count": "BIGINT", "eur": "DECIMAL(14,2)"}

RAW_TABLES = {  # table -> description
    "report_facts": "One row per extracted figure, with its provenance.",
    "report_claims": "One row per figure stated in a prose sentence (headline claims), with its provenance.",
    "programmes": "One row per programme or action a document describes (no personal data).",
    "programme_communes": "One row per programme description and commune where the document says it runs.",
    "review_items": "One row per number read in a document whose meaning is uncertain, kept for review, never published.",
    "extraction_issues": "One row per thing that could not be extracted, with where and why.",
    "documents": "One row per input document.",
}
IMILO_TABLES = {
    "imilo_youths": ("One row per youth file and export (dossiers.csv): a file exported again appears "
                     "once per export, the latest exported_at wins."),
    "imilo_contacts": "One row per contact with a youth (evenements.csv).",
    "imilo_situations": "One row per situation (jobs, alternance, training, placements...) (situations.csv).",
    "imilo_enrolments": ("One row per programme enrolment (accompagnements.csv), programme codes "
                         "conformed to dim_programme."),
    "imilo_allowances": "One row per allowance or financial aid payment (allocations.csv).",
    QUARANTINE_TABLE: ("One row per failing column of an export row that failed validation at "
                       "ingestion, with the reason (never silently dropped, never the value)."),
    "imilo_reference_structures": ("One row per structure of the reference the exports' codes were "
                                   "checked against (MLW_IMILO_REFERENCE, default the MEL seed "
                                   "ref_structures), landed as text."),
    "imilo_reference_communes": ("One row per commune of the reference the exports' codes were checked "
                                 "against (MLW_IMILO_REFERENCE, default the MEL seed ref_communes), "
                                 "landed as text."),
}
# (table, column) -> description, where a column means more than the shared vocabulary says
SPECIFIC = {
    ("report_claims", "year"): "Year the figure is about (the comparison year for a comparison figure).",
    ("report_claims", "value"): "The figure as the sentence states it (never corrected).",
    ("review_items", "value"): "The number as read, if it could be read.",
    ("review_items", "reason"): "Why its meaning could not be settled (no label, two labels fit...).",
    ("review_items", "kind"): ("What the reviewer is asked to settle: uncertain_number, unknown_label, "
                               "unrecognised_table, drifted_wording or ambiguous_reading."),
    ("review_items", "indicator"): "The catalogue indicator the cell would feed, when known.",
    ("review_items", "dimension"): ("The conformed dimension of an unknown row label, when known; for a "
                                    "commune table left to review, what its decision settles "
                                    "(commune_table_columns, commune_table_section)."),
    ("review_items", "label"): "The printed wording to settle (row label, heading or column header).",
    ("review_items", "suggestion"): ("The best candidate decision (a dimension code, an indicator, a "
                                     "reading, a table's columns or mapping)."),
    ("review_items", "table_id"): "The table the cell belongs to, as in the facts' table identifier.",
    ("extraction_issues", "reason"): "What could not be extracted and why, in words.",
    ("documents", "year"): "Edition year the extractor identified from the content.",
    (QUARANTINE_TABLE, "reason"): "Why the value failed validation (fixed vocabulary, never quoting the value).",
    (QUARANTINE_TABLE, "year"): "Activity year of the quarantined row, when it could be read.",
    ("imilo_enrolments", "end_date"): "Real end date (dateFinReelle); null while the enrolment runs.",
}
HEADER = ("# Generated by orchestration/codegen_docs.py (`mlw codegen`), do not edit: {what}.\n")


def column_docs() -> set[str]:
    """Column names the shared vocabulary describes."""
    return set(re.findall(r"{%\s*docs\s+col_(\w+)\s*%}", COLUMN_DOCS_FILE.read_text(encoding="utf-8")))


def describe(table: str, column: str, shared: set[str]) -> str:
    if (table, column) in SPECIFIC:
        return SPECIFIC[(table, column)]
    if column in shared:
        return "{{ doc('col_" + column + "') }}"
    raise ValueError(f"{COLUMN_DOCS_FILE}: no `col_{column}` docs block for raw.{table}.{column} "
                     "(add one there, or a specific description in orchestration/codegen_docs.py)")


def _source(name: str, description: str, tables: dict[str, tuple[str, list[str]]]) -> dict:
    shared = column_docs()
    return {"name": name, "schema": RAW_SCHEMA, "description": description, "tables": [
        {"name": table, "description": text,
         "config": {"meta": {"dagster": {"asset_key": [RAW_SCHEMA, table]}}},
         "columns": [{"name": column, "description": describe(table, column, shared)} for column in columns]}
        for table, (text, columns) in tables.items()]}


def raw_sources_text() -> str:
    """The documents' raw layer: the tables of orchestration/warehouse/raw_schemas.py, columns in order."""
    columns = raw_source_columns()
    tables = {table: (text, columns[table]) for table, text in RAW_TABLES.items()}
    source = _source("documents", ("What the extractors read from the documents (reports, guides, structure "
                                   "pages), landed in schema raw and replaced whole at each load."), tables)
    return HEADER.format(what="the raw tables of orchestration/warehouse/raw_schemas.py") + _dump({"sources": [source]})


def imilo_raw_columns() -> dict[str, list[str]]:
    """Every I-MILO raw table and its columns, as extractors/imilo/ creates them."""
    columns = {spec.table: [*spec.sql_types, *LINEAGE_TYPES] for spec in FILES}
    columns[QUARANTINE_TABLE] = list(QUARANTINE_TYPES)
    columns.update({table: list(names) for table, (_, names, _) in REFERENCE_TABLES.items()})
    return columns


def imilo_sources_text() -> str:
    columns = imilo_raw_columns()
    missing = set(columns) ^ set(IMILO_TABLES)
    if missing:
        raise ValueError(f"orchestration/codegen_docs.py: IMILO_TABLES and extractors/imilo/ disagree on {sorted(missing)}")
    source = _source("imilo", (
        "I-MILO operational exports (one or several structures, one year of activity each), landed "
        "pseudonymised (docs/imilo_export_format.md): no name, e-mail, phone, social-security number, "
        "street or postcode ever reaches these tables; youths are known by youth_key only. The "
        "staging models read an empty typed relation while a table is not landed yet, so that the "
        "document pipeline builds without any export."),
        {table: (IMILO_TABLES[table], names) for table, names in columns.items()})
    return HEADER.format(what="the I-MILO raw tables of extractors/imilo/") + _dump({"sources": [source]})


class _Return(Exception):
    def __init__(self, value: object) -> None:
        self.value = value


def _return(value: object) -> None:
    raise _Return(value)


def load_macros(path: Path) -> dict[str, Callable]:
    """The macros of a dbt macro file as Python callables, `return()` as dbt gives it: enough for
    the macros that only build data (imilo_indicator_rules), read here as dbt reads them."""
    environment = jinja2.Environment(extensions=["jinja2.ext.do"])
    namespace: dict[str, Callable] = {"return": _return}
    for block in re.findall(r"{%-?\s*macro\b.*?{%-?\s*endmacro\s*-?%}", path.read_text(encoding="utf-8"), re.S):
        name = re.match(r"{%-?\s*macro\s+(\w+)", block).group(1)
        template = environment.from_string(block, globals=namespace)

        def call(*args, _template=template, _name=name, **kwargs):
            try:
                return getattr(_template.module, _name)(*args, **kwargs)
            except _Return as returned:
                return returned.value
        namespace[name] = call
    return namespace


def recomputed_rules() -> dict[str, dict]:
    """code -> rule of every indicator recomputed from the exports, sorted by code (the order of
    the marts' columns)."""
    rules = load_macros(RULES_MACROS_FILE)["imilo_indicator_rules"]()
    return {rule["code"]: rule for rule in sorted(rules, key=lambda rule: rule["code"])}


def recomputed_description(indicator: Indicator, rule: dict) -> str:
    return (f"{indicator.label} ({indicator.unit}), recomputed from the I-MILO exports: {rule['rule']}. "
            f"Catalogue: {indicator.definition}")


_RECOMPUTED_MART = yaml.safe_load(textwrap.dedent("""\
    name: mart_commune_year_recomputed
    description: >
      PUBLIC-SAFE. The commune-grain indicators recomputed from the I-MILO exports
      (sample_inputs/imilo/recompute.md), laid out as mart_commune_year: one row per year x
      structure x commune of the structure's territory and one total row per year x structure
      (is_stated_total, commune_name 'Total': the sum over the territory); one column per
      indicator of int_imilo_recomputed_indicators (every youth counted, for year Y, in the commune
      of their latest export of Y or earlier; youths living outside the territory count nowhere;
      a later year's export never changes Y). Rows exist for the
      (structure, year) pairs an export covers (at least one contact), with 0 where no record
      counts.
      Small counts are suppressed (var suppression_threshold, default 5): a count with
      0 < n < threshold is null (primary); when the hidden communes of an indicator add up to less
      than the threshold, the smallest non-zero visible communes are hidden too until they reach
      it (secondary); an amount is hidden with the count of its beneficiaries. The total row is
      computed from the unsuppressed records (the true total, hidden only when itself below the
      threshold), so total - sum of visible communes is 0 or at least the threshold:
      consistent, and no hidden commune can be recovered by subtraction. suppressed_indicators
      lists what a row hides; incomplete_indicators, on the total row, the indicators whose
      communes do not add up to it. Tagged `annual`.
    data_tests:
      - unique_combination_of_columns:
          arguments: {combination_of_columns: [year, structure_code, commune_insee, is_stated_total]}
          config: {severity: error}
    columns:
      - name: year
        description: "{{ doc('col_year') }}"
        data_tests: [{not_null: {config: {severity: error}}}]
      - name: structure_code
        description: "{{ doc('col_structure_code') }}"
        data_tests:
          - not_null: {config: {severity: error}}
          - relationships:
              arguments: {to: "ref('dim_structure')", field: structure_code}
              config: {severity: error}
      - name: commune_insee
        description: INSEE code of the commune of residence; null on the total row.
        data_tests:
          - relationships:
              arguments: {to: "ref('dim_commune')", field: commune_insee}
              config: {severity: warn}
      - name: commune_name
        description: Official name; 'Total' on the total row.
      - name: is_stated_total
        description: True on the total row (named as in mart_commune_year; here computed, not printed).
        data_tests: [{not_null: {config: {severity: error}}}]
      - name: suppressed_indicators
        description: Indicators whose value is null on this row because of small counts.
      - name: incomplete_indicators
        description: On the total row, indicators whose commune rows do not add up to the total (some hidden).
      - name: suppression_threshold
        description: "{{ doc('col_suppression_threshold') }}"
    """))


def recomputed_mart_text(catalogue: dict[str, Indicator]) -> str:
    """mart_commune_year_recomputed's properties: its fixed columns around one per recomputed
    indicator (null when suppressed)."""
    model = dict(_RECOMPUTED_MART)
    fixed = model["columns"]
    indicators = [{"name": code, "description": recomputed_description(catalogue[code], rule)
                   + " Null when suppressed (small counts).",
                   "data_type": SQL_TYPES[rule["unit"]]}
                  for code, rule in recomputed_rules().items()]
    model["columns"] = [*fixed[:5], *indicators, *fixed[5:]]
    return (HEADER.format(what="the recomputation rules of macros/imilo_indicators.sql and the catalogue")
            + _dump({"models": [model]}))


def _dump(properties: dict) -> str:
    return yaml.safe_dump({"version": 2, **properties}, sort_keys=False, allow_unicode=True, width=100)


def generated_files(catalogue: dict[str, Indicator]) -> dict[Path, str]:
    return {RAW_SOURCES_FILE: raw_sources_text(), IMILO_SOURCES_FILE: imilo_sources_text(),
            RECOMPUTED_PROPERTIES_FILE: recomputed_mart_text(catalogue)}
