"""The hand-made raw layer the I-MILO export models (dbt_project/models/exports) are tested on.

One structure (ML MNO, 59386S00), 2022 and 2023: 16 youths in contact in 2023 spread over four
communes of its territory so that small-count suppression has primary and secondary cells, a
youth re-exported after moving (two versions in dim_youth), a duplicate landing, rows that count
nowhere (an orphan contact with no youth row, a youth living outside the territory, a planned
situation), published figures to reconcile with; and one youth of ML Lille (59350S00), a
structure without a reference territory. The rules are sample_inputs/imilo/recompute.md; every
expected value below is counted by hand from these rows. As in test_dbt_project.py, dbt's target
and logs go to a temporary folder.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb

from dbt_helpers import land_document_raw, query, run_dbt


S = "59386S00"
LILLE_ML = "59350S00"
LAMBERSART, LA_MADELEINE, MARCQ, WAMBRECHIES = "59328", "59368", "59378", "59636"
VILLENEUVE, LILLE = "59009", "59350"  # MEL communes outside the structure's territory
NAMES = {LAMBERSART: "Lambersart", LA_MADELEINE: "La Madeleine", MARCQ: "Marcq-en-Barœul",
         WAMBRECHIES: "Wambrechies", VILLENEUVE: "Villeneuve-d'Ascq"}
EXPORT_2023, EXPORT_2024, EXPORT_2024_BIS = date(2023, 1, 15), date(2024, 1, 15), date(2024, 6, 30)


def key(name: str) -> str:
    """A youth_key as the ingestion makes it (32 hex characters); here from a test name."""
    return hashlib.sha256(f"test-key:{structure(name)}:{name}".encode()).hexdigest()[:32]


def structure(name: str) -> str:
    return LILLE_ML if name == "G1" else S


A = [f"A{i}" for i in range(1, 7)]  # Lambersart, female, 18_21 in 2023, bac
D = [f"D{i}" for i in range(1, 8)]  # Marcq-en-Barœul, male, 22_25, cap_bep
B = ["B1", "B2"]                    # La Madeleine, female, 16_17, no_diploma (B1 moved there)
C = ["C1"]                          # Wambrechies, male, 26_plus, above_bac
ORPHAN = "X0"                       # a contact whose youth row was never landed: counts nowhere
# F1 lives in Lille, outside the structure's territory: counts nowhere. G1 is ML Lille's youth.

YOUTH_COLUMNS = ("youth_key", "structure_code", "sex", "birth_year", "age_band", "commune_insee", "qpv",
                 "qualification_level", "driving_licence", "housing", "first_registration_date",
                 "exported_at", "export_file", "export_line")


def youth(name, commune, sex, birth_year, qualification, registered, exported, *, qpv=False,
          housing="with_parents", file="export_2023", line=1):
    age = exported.year - 1 - birth_year
    band = "16_17" if age <= 17 else "18_21" if age <= 21 else "22_25" if age <= 25 else "26_plus"
    return (key(name), structure(name), sex, birth_year, band, commune, qpv, qualification, "holder", housing,
            registered, exported, f"{file}/dossiers.csv", line)


def youths():
    rows = [youth(n, LAMBERSART, "F", 2004, "bac", date(2023, 2, 1), EXPORT_2024, qpv=n in ("A1", "A2"),
                  file="export_2024", line=i) for i, n in enumerate(A, 1)]
    rows += [youth(n, MARCQ, "M", 2000, "cap_bep", date(2023, 3, 1) if n == "D1" else date(2021, 5, 10),
                   EXPORT_2024, file="export_2024", line=10 + i) for i, n in enumerate(D, 1)]
    rows += [
        # A1 exported twice with the same attributes: one version
        youth("A1", LAMBERSART, "F", 2004, "bac", date(2023, 2, 1), EXPORT_2023, qpv=True, line=1),
        # B1: Lambersart with their parents, then La Madeleine on their own (exported again
        # unchanged in June 2024): two versions
        youth("B1", LAMBERSART, "F", 2007, "no_diploma", date(2022, 9, 1), EXPORT_2023, line=2),
        youth("B1", LA_MADELEINE, "F", 2007, "no_diploma", date(2022, 9, 1), EXPORT_2024,
              housing="independent", file="export_2024", line=30),
        youth("B1", LA_MADELEINE, "F", 2007, "no_diploma", date(2022, 9, 1), EXPORT_2024_BIS,
              housing="independent", file="export_2024_bis", line=1),
        youth("B2", LA_MADELEINE, "F", 2007, "no_diploma", date(2023, 4, 1), EXPORT_2024,
              file="export_2024", line=31),
        youth("C1", WAMBRECHIES, "M", 1996, "above_bac", date(2023, 5, 1), EXPORT_2024, qpv=True,
              file="export_2024", line=40),
        # E1: followed in 2022 only
        youth("E1", LAMBERSART, "M", 2003, "cap_bep", date(2022, 3, 1), EXPORT_2023, line=3),
        # D7's row landed twice (the same export copied under another name): kept once
        youth("D7", MARCQ, "M", 2000, "cap_bep", date(2021, 5, 10), EXPORT_2024, file="export_2024_copy",
              line=17),
        youth("F1", LILLE, "F", 2003, "bac", date(2023, 6, 1), EXPORT_2024, file="export_2024", line=50),
        # G1 lived in Villeneuve-d'Ascq before Lille: ML Lille's territory is Lille only
        youth("G1", VILLENEUVE, "F", 2001, "bac", date(2023, 1, 10), EXPORT_2023, file="export_lille_2023",
              line=1),
        youth("G1", LILLE, "F", 2001, "bac", date(2023, 1, 10), EXPORT_2024, file="export_lille", line=1),
    ]
    return rows


def contacts():
    rows = []  # (name, date, nature)
    for n in A:
        rows += [(n, date(2023, 3, 1), "individual_interview"), (n, date(2023, 4, 1), "sms")]
    for n in D:
        rows.append((n, date(2023, 5, 1), "phone"))
    rows += [("D1", date(2023, 6, 1), "group_session"), ("D2", date(2023, 6, 1), "group_session"),
             ("B1", date(2023, 5, 1), "email"), ("B2", date(2023, 5, 2), "individual_interview"),
             ("C1", date(2023, 7, 1), "individual_interview"), (ORPHAN, date(2023, 8, 1), "other"),
             ("E1", date(2022, 6, 1), "individual_interview"), ("B1", date(2022, 10, 1), "sms"),
             ("F1", date(2023, 6, 2), "individual_interview"), ("F1", date(2023, 6, 3), "phone"),
             ("G1", date(2023, 2, 1), "individual_interview")]
    landed = [(100 + i, key(n), structure(n), d, nature, "export/evenements.csv", i)
              for i, (n, d, nature) in enumerate(rows, 1)]
    # D7's contact also in the copied export (as D7's youth row): one contact, the copy's row
    d7 = next(row for row in landed if row[1] == key("D7"))
    return [*landed, (*d7[:5], "export_2024_copy/evenements.csv", 3)]


def situations():
    rows = [(n, "Emploi", "CDD", "TERMINE", date(2023, 6, 1), date(2023, 12, 31), None) for n in A[:5]]
    rows += [
        ("A1", "Contrat en Alternance", "APPRENTISSAGE", "EN_COURS", date(2023, 9, 1), None, None),
        ("A6", "Formation", None, "TERMINE", date(2023, 3, 1), date(2023, 6, 30), "PACEA"),
        ("D1", "Emploi", "PEC", "EN_COURS", date(2023, 2, 1), None, "CEJ"),
        ("D2", "Pmsmp", None, "TERMINE", date(2023, 4, 1), date(2023, 4, 15), "CEJ"),
        ("D3", "Immersion en entreprise", None, "TERMINE", date(2023, 5, 1), date(2023, 5, 5), None),
        *[(n, "Formation", None, "EN_COURS", date(2023, 9, 1), None, None) for n in D[3:]],
        ("D4", "Formation", None, "EN_COURS", date(2023, 10, 1), None, None),  # same youth: one entry
        ("A6", "Emploi", "CDD", "PREVU", date(2023, 11, 1), None, None),  # planned, never confirmed
        ("D5", "Demandeur d'emploi", None, "EN_COURS", date(2023, 1, 1), None, None),
        ("B2", "Emploi", "CDI", "EN_COURS", date(2022, 12, 1), None, None),  # started in 2022
        ("C1", "Emploi", "INTERIM", "TERMINE", date(2023, 7, 1), date(2023, 8, 31), None),
        ("F1", "Emploi", "CDD", "EN_COURS", date(2023, 7, 1), None, None),  # outside the territory
    ]
    return [(500 + i, key(n), S, cat, contract, state, start, end, prog, "export/situations.csv", i)
            for i, (n, cat, contract, state, start, end, prog) in enumerate(rows, 1)]


def enrolments():
    rows = [
        ("A1", "cej", date(2022, 3, 1), date(2023, 3, 1), None),              # active 2022 and 2023
        ("A2", "garantie_jeunes", date(2021, 6, 1), date(2022, 6, 1), date(2022, 5, 15)),  # 2022
        ("B1", "garantie_jeunes", date(2021, 9, 1), date(2022, 9, 1), None),  # no real end: still running
        ("D1", "cej", date(2023, 2, 1), date(2024, 2, 1), None),              # enters 2023
        ("D2", "cej", date(2023, 11, 1), None, None),                         # enters 2023, running
        ("C1", "cej", date(2023, 12, 31), None, date(2024, 1, 15)),           # enters 2023
        ("D3", "pacea", date(2023, 1, 1), date(2024, 1, 1), None),
        ("D4", "civic_service", date(2023, 2, 1), date(2023, 8, 1), None),
        ("D5", "mentoring", date(2023, 2, 1), None, None),
        ("D6", "ppae", date(2023, 2, 1), None, None),
    ]
    return [(800 + i, key(n), S, prog, start, planned, end, "export/accompagnements.csv", i)
            for i, (n, prog, start, planned, end) in enumerate(rows, 1)]


def allowances():
    rows = [
        ("A1", "CEJ", date(2023, 1, 31), "300.50"), ("A1", "CEJ", date(2023, 2, 28), "300.50"),
        ("D1", "CEJ", date(2023, 3, 31), "500.00"), ("D2", "CEJ", date(2023, 11, 30), "250.25"),
        ("D3", "PACEA", date(2023, 2, 15), "200.00"),
        ("A3", "FAJ", date(2023, 5, 5), "150.00"), ("A4", "FAJ", date(2023, 5, 6), "100.00"),
        ("C1", "MOBILITE", date(2023, 6, 6), "80.00"),
        ("A5", "FONDS_ML_DIRECT", date(2022, 12, 20), "50.00"),
        ("D4", "FONDS_ML_INDIRECT", date(2023, 9, 9), "1200.00"),
        ("F1", "CEJ", date(2023, 8, 31), "100.00"),  # outside the territory
    ]
    return [(900 + i, key(n), S, aid, paid, Decimal(amount), "export/allocations.csv", i)
            for i, (n, aid, paid, amount) in enumerate(rows, 1)]


IMILO_TABLES = {
    "imilo_youths": ("youth_key varchar, structure_code varchar, sex varchar, birth_year integer, "
                     "age_band varchar, commune_insee varchar, qpv boolean, qualification_level varchar, "
                     "driving_licence varchar, housing varchar, first_registration_date date, "
                     "exported_at date, export_file varchar, export_line bigint", youths),
    "imilo_contacts": ("contact_id bigint, youth_key varchar, structure_code varchar, contact_date date, "
                       "contact_nature varchar, export_file varchar, export_line bigint", contacts),
    "imilo_situations": ("situation_id bigint, youth_key varchar, structure_code varchar, category varchar, "
                         "contract_type varchar, state varchar, start_date date, end_date date, "
                         "programme_code varchar, export_file varchar, export_line bigint", situations),
    "imilo_enrolments": ("enrolment_id bigint, youth_key varchar, structure_code varchar, "
                         "programme_code varchar, start_date date, planned_end_date date, end_date date, "
                         "export_file varchar, export_line bigint", enrolments),
    "imilo_allowances": ("allowance_id bigint, youth_key varchar, structure_code varchar, aid_code varchar, "
                         "paid_on date, amount_eur decimal(12, 2), export_file varchar, export_line bigint",
                         allowances),
    "imilo_quarantine": ("export_file varchar, export_line bigint, column_name varchar, reason varchar, "
                         "structure_code varchar, year integer",
                         lambda: [("export_2024/dossiers.csv", 99, "codeInseeCommune", "unknown commune INSEE code",
                                   S, 2023),
                                  ("export_2024/dossiers.csv", 99, "dateNaissance", "unparseable date (expected "
                                   "dd/mm/yyyy)", S, 2023)]),
}


def fact(year, indicator, value, commune=None, *, line, unit="count"):
    """One raw.report_facts row as the extractors land it (a commune figure, or a stated total)."""
    dimensions = {"commune": NAMES[commune], "commune_insee": commune} if commune else {}
    return {
        "fact_id": f"{year}-{indicator}-{line}", "document_path": f"/in/mno_{year}.txt",
        "document_sha256": str(year) * 16, "document_kind": "ml_activity_report", "year": year,
        "structure_code": S, "indicator_code": indicator,
        "dimensions": json.dumps(dimensions, ensure_ascii=False, sort_keys=True),
        "value": float(value), "unit": unit, "is_total": commune is None, "flags": [],
        "table_ref": f"{indicator}@L1", "source_page": None, "source_line": line, "source_bbox": None,
        "source_text": f"{value}",
    }


def published(lambersart_2023=6):
    return [
        fact(2023, "new_registrations", lambersart_2023, LAMBERSART, line=1),
        fact(2023, "new_registrations", 2, LA_MADELEINE, line=2),
        fact(2023, "new_registrations", 10, line=3),
        fact(2023, "contacts", 12, LAMBERSART, line=4),
        fact(2023, "contacts", 24, line=5),
        fact(2023, "pec_contracts", 1, LAMBERSART, line=6),
        fact(2023, "youths_in_contact", 4, VILLENEUVE, line=7),
        fact(2023, "civic_service_youths", 3, MARCQ, line=8),
        fact(2023, "cej_measures", 9, line=10),  # a breakdown: not reconciled
        fact(2023, "cej_allowance_amount", 1351.25, line=9, unit="eur"),
        fact(2022, "new_registrations", 120, LAMBERSART, line=1),
        fact(2021, "new_registrations", 200, line=1),
    ]


def land(warehouse: Path, facts: list[dict]) -> None:
    """The document raw tables (facts given, the others empty) and the I-MILO raw tables."""
    land_document_raw(warehouse, facts, structure=S, sha_of_year=lambda year: str(year) * 16,
                      fact_count=1)
    with duckdb.connect(str(warehouse)) as connection:
        for name, (columns, rows) in IMILO_TABLES.items():
            connection.execute(f"create or replace table raw.{name} ({columns})")
            rows = rows()
            connection.executemany(f"insert into raw.{name} values ({', '.join('?' * len(rows[0]))})", rows)


def build_export_marts(tmp_path: Path) -> tuple[Path, Path, dict[str, list], str]:
    """Built whole, then 2023 rebuilt alone after the 2023 report was re-extracted (Lambersart 7):
    (dbt folder, warehouse, the marts of the first build, the rebuild's output)."""
    warehouse = tmp_path / "warehouse.duckdb"
    land(warehouse, published())
    result = run_dbt(tmp_path, warehouse, "build")
    assert result.returncode == 0, result.stdout
    first = {table: query(warehouse, f"select * from marts.{table} order by all")
             for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile", "mart_reconciliation")}

    land(warehouse, published(lambersart_2023=7))
    result = run_dbt(tmp_path, warehouse, "build", "--select", "tag:annual", "--vars", "{year: 2023}")
    assert result.returncode == 0, result.stdout
    return tmp_path, warehouse, first, result.stdout
