"""The I-MILO export models (dbt_project/models/exports), run for real on a hand-made raw layer.

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
import pytest

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
    return [(100 + i, key(n), structure(n), d, nature, "export/evenements.csv", i)
            for i, (n, d, nature) in enumerate(rows, 1)]


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


dbt = run_dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Built whole, then 2023 rebuilt alone after the 2023 report was re-extracted (Lambersart 7)."""
    tmp_path = tmp_path_factory.mktemp("dbt_exports")
    warehouse = tmp_path / "warehouse.duckdb"
    land(warehouse, published())
    result = dbt(tmp_path, warehouse, "build")
    assert result.returncode == 0, result.stdout
    first = {table: query(warehouse, f"select * from marts.{table} order by all")
             for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile", "mart_reconciliation")}

    land(warehouse, published(lambersart_2023=7))
    result = dbt(tmp_path, warehouse, "build", "--select", "tag:annual", "--vars", "{year: 2023}")
    assert result.returncode == 0, result.stdout
    return tmp_path, warehouse, first, result.stdout


def test_dim_youth_keeps_one_row_per_attribute_change(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select version_number, valid_from, valid_to, is_current, commune_insee, housing, "
                            "export_count, last_exported_at from star.dim_youth where youth_key = ? "
                            "order by version_number", [key("B1")])
    assert rows == [
        (1, EXPORT_2023, EXPORT_2024, False, LAMBERSART, "with_parents", 1, EXPORT_2023),
        (2, EXPORT_2024, None, True, LA_MADELEINE, "independent", 2, EXPORT_2024_BIS),
    ]
    # A1 exported twice unchanged, D7 landed twice: one version each
    assert query(warehouse, "select youth_key, count(*), max(export_count) from star.dim_youth "
                            "where youth_key in (?, ?) group by all order by 1", [key("A1"), key("D7")]) == sorted(
        [(key("A1"), 1, 2), (key("D7"), 1, 1)])
    assert query(warehouse, "select count(*), count(*) filter (where is_current), count(distinct youth_key) "
                            "from star.dim_youth") == [(20, 19, 19)]
    sex, qualification, qpv = query(warehouse, "select sex, qualification_level, is_qpv from star.dim_youth "
                                               "where youth_key = ?", [key("C1")])[0]
    assert (sex, qualification, qpv) == ("male", "above_bac", True)
    columns = {row[0] for row in query(warehouse, "select column_name from information_schema.columns "
                                                  "where table_schema = 'star' and table_name = 'dim_youth'")}
    assert not columns & {"name", "birth_date", "email", "phone", "address", "postcode", "id_dossier"}


def test_fact_tables(built):
    _, warehouse, _, _ = built
    assert query(warehouse, "select count(*), count(distinct youth_key), count(*) filter (where commune_insee "
                            "is null) from star.fct_contact") == [(30, 20, 1)]
    # B1's contacts: commune of the latest export, version valid on the contact date
    rows = query(warehouse, "select c.contact_date, c.commune_insee, y.version_number from star.fct_contact c "
                            "join star.dim_youth y using (youth_version_key) where c.youth_key = ? "
                            "order by c.contact_date", [key("B1")])
    assert rows == [(date(2022, 10, 1), LA_MADELEINE, 1), (date(2023, 5, 1), LA_MADELEINE, 1)]

    assert query(warehouse, "select category, situation_type, contract_type_code, state, start_date, end_date, "
                            "programme_code, commune_insee from star.fct_outcome where youth_key = ?",
                 [key("D1")]) == [("Emploi", "employment", "subsidised", "EN_COURS", date(2023, 2, 1), None,
                                   "cej", MARCQ)]
    assert query(warehouse, "select situation_type, count(*) from star.fct_outcome group by 1 order by 1") == [
        ("alternance", 1), ("employment", 10), ("other", 1), ("training", 6), ("work_placement", 2)]
    assert query(warehouse, "select count(*) from star.fct_outcome where not is_confirmed") == [(1,)]

    assert query(warehouse, "select programme_code, start_date, planned_end_date, end_date, is_running from "
                            "star.fct_programme_enrolment where youth_key = ?", [key("B1")]) == [
        ("garantie_jeunes", date(2021, 9, 1), date(2022, 9, 1), None, True)]
    assert query(warehouse, "select count(*) from star.fct_programme_enrolment") == [(10,)]

    assert query(warehouse, "select aid_indicator, programme_code, count(*), sum(amount_eur) from "
                            "star.fct_allowance group by all order by 1") == [
        ("cej_allowance", "cej", 5, Decimal("1451.25")), ("fajem_aid", "faj", 2, Decimal("250.00")),
        ("ml_fund_direct_aid", None, 1, Decimal("50.00")), ("ml_fund_indirect_aid", None, 1, Decimal("1200.00")),
        ("mobility_aid", None, 1, Decimal("80.00")), ("pacea_allowance", "pacea", 1, Decimal("200.00"))]


# Recomputed by hand from the rows above, 2023, unsuppressed: {indicator: {commune: value}};
# the territory's communes not listed are 0. X0 (no youth row) and F1 (Lille) count nowhere.
EXPECTED_2023 = {
    "new_registrations": {LAMBERSART: 6, MARCQ: 1, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "new_registrations_qpv": {LAMBERSART: 2, WAMBRECHIES: 1},
    "youths_in_contact": {LAMBERSART: 6, MARCQ: 7, LA_MADELEINE: 2, WAMBRECHIES: 1},
    "youths_interviewed": {LAMBERSART: 6, MARCQ: 2, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "contacts": {LAMBERSART: 12, MARCQ: 9, LA_MADELEINE: 2, WAMBRECHIES: 1},
    "contacts_interviews": {LAMBERSART: 6, MARCQ: 2, LA_MADELEINE: 1, WAMBRECHIES: 1},
    "employment_contracts": {LAMBERSART: 6, MARCQ: 1, WAMBRECHIES: 1},
    "alternance_contracts": {LAMBERSART: 1},
    "pec_contracts": {MARCQ: 1},
    "pmsmp_periods": {MARCQ: 2},
    "training_entries": {LAMBERSART: 1, MARCQ: 4},
    "cej_youths": {LAMBERSART: 1, MARCQ: 2, WAMBRECHIES: 1, LA_MADELEINE: 1},  # B1: no real end
    "cej_entrants": {MARCQ: 2, WAMBRECHIES: 1},
    "civic_service_youths": {MARCQ: 1},
    "civic_service_starts": {MARCQ: 1},
    "cej_allowance_beneficiaries": {LAMBERSART: 1, MARCQ: 2},
    "cej_allowance_amount": {LAMBERSART: 601.0, MARCQ: 750.25},
    "pacea_allowance_beneficiaries": {MARCQ: 1},
    "pacea_allowance_amount": {MARCQ: 200.0},
    "fajem_aid_beneficiaries": {LAMBERSART: 2},
    "fajem_aid_amount": {LAMBERSART: 250.0},
    "mobility_aid_beneficiaries": {WAMBRECHIES: 1},
    "mobility_aid_amount": {WAMBRECHIES: 80.0},
    "ml_fund_direct_aid_beneficiaries": {},
    "ml_fund_direct_aid_amount": {},
    "ml_fund_indirect_aid_beneficiaries": {MARCQ: 1},
    "ml_fund_indirect_aid_amount": {MARCQ: 1200.0},
}
EXPECTED_2022 = {
    "new_registrations": {LAMBERSART: 1, LA_MADELEINE: 1},
    "youths_in_contact": {LAMBERSART: 1, LA_MADELEINE: 1},
    "youths_interviewed": {LAMBERSART: 1},
    "contacts": {LAMBERSART: 1, LA_MADELEINE: 1},
    "contacts_interviews": {LAMBERSART: 1},
    "employment_contracts": {LA_MADELEINE: 1},
    "cej_youths": {LAMBERSART: 2, LA_MADELEINE: 1},
    "cej_entrants": {LAMBERSART: 1},
    "ml_fund_direct_aid_beneficiaries": {LAMBERSART: 1},
    "ml_fund_direct_aid_amount": {LAMBERSART: 50.0},
}
TERRITORY = {"59328", "59356", "59368", "59378", "59386", "59457", "59482", "59527", "59611", "59636"}


def test_recomputed_indicators_per_commune(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select year, commune_insee, indicator_code, value::double from "
                            "intermediate.int_imilo_indicator_values where structure_code = ?", [S])
    assert {r[0] for r in rows} == {2022, 2023}  # the years with contacts: 2021 is not covered
    for year, expected in ((2023, EXPECTED_2023), (2022, EXPECTED_2022)):
        got = {(commune, indicator): value for y, commune, indicator, value in rows if y == year}
        assert {c for c, _ in got} == TERRITORY
        for indicator in EXPECTED_2023:
            for commune in TERRITORY:
                assert got[commune, indicator] == expected.get(indicator, {}).get(commune, 0), (year, indicator, commune)
    # ML Lille has no reference territory: the communes its youths live in
    lille = dict(query(warehouse, "select indicator_code, value::double from intermediate.int_imilo_indicator_values "
                                  "where structure_code = ? and year = 2023 and commune_insee = ? and value <> 0",
                       [LILLE_ML, LILLE]))
    assert lille == {"new_registrations": 1, "youths_in_contact": 1, "youths_interviewed": 1, "contacts": 1,
                     "contacts_interviews": 1}
    assert query(warehouse, "select distinct structure_code, commune_insee from intermediate.int_imilo_indicator_values "
                            "where structure_code = ?", [LILLE_ML]) == [(LILLE_ML, LILLE)]


def test_recomputed_mart_suppresses_small_counts_and_keeps_totals(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select commune_insee, commune_name, is_stated_total, youths_in_contact, contacts, "
                            "new_registrations, training_entries, cej_allowance_amount, suppressed_indicators "
                            "from marts.mart_commune_year_recomputed where year = 2023 and structure_code = ? "
                            "and (commune_insee is null or commune_insee in (?, ?, ?, ?)) "
                            "order by is_stated_total, commune_insee",
                 [S, LAMBERSART, LA_MADELEINE, MARCQ, WAMBRECHIES])
    by_commune = {(r[0], r[2]): r[1:] for r in rows}
    # youths_in_contact: 2 and 1 are small (primary); they add up to 3 < 5, so the smallest
    # visible commune, Lambersart (6), is hidden too (secondary); Marcq (7) stays.
    # contacts: 2 and 1 small; secondary Marcq (9, smaller than Lambersart's 12).
    assert by_commune[LAMBERSART, False][:6] == ("Lambersart", False, None, 12, None, None)
    assert by_commune[MARCQ, False][:6] == ("Marcq-en-Barœul", False, 7, None, None, None)
    assert by_commune[LA_MADELEINE, False][:6] == ("La Madeleine", False, None, None, None, 0)
    assert (None, False) not in by_commune  # the orphan contact counts nowhere
    # totals from the unsuppressed records; cej allowances: 3 beneficiaries, below 5: hidden
    assert by_commune[None, True][:6] == ("Total", True, 16, 24, 9, 5)
    assert by_commune[None, True][6] is None
    assert "cej_allowance_amount" in by_commune[None, True][7]
    assert {"youths_in_contact", "new_registrations", "training_entries", "cej_allowance_amount",
            "cej_allowance_beneficiaries"} <= set(by_commune[LAMBERSART, False][7])
    assert "contacts" not in by_commune[LAMBERSART, False][7]
    # an empty commune of the territory shows zeros, nothing hidden
    assert query(warehouse, "select youths_in_contact, contacts, cej_allowance_amount, suppressed_indicators from "
                            "marts.mart_commune_year_recomputed where year = 2023 and commune_insee = '59356'") == [
        (0, 0, Decimal("0.00"), [])]
    assert query(warehouse, "select count(*) from marts.mart_commune_year_recomputed where structure_code = ? "
                            "and commune_insee = ?", [S, LILLE]) == [(0,)]  # F1 counts nowhere

    # totals' consistency: total - visible communes is 0 or at least the threshold for every count
    # (amounts follow their beneficiaries), and a visible total never leaves one commune hidden alone
    columns = [r[0] for r in query(warehouse, "select column_name from information_schema.columns where "
                                              "table_name = 'mart_commune_year_recomputed' order by ordinal_position")]
    indicators = columns[columns.index("is_stated_total") + 1:columns.index("suppressed_indicators")]
    assert set(indicators) == set(EXPECTED_2023)
    for indicator in indicators:
        for year, total, visible, hidden in query(
                warehouse, f'select year, max("{indicator}") filter (where is_stated_total), '
                           f'sum("{indicator}") filter (where not is_stated_total), '
                           f'count(*) filter (where not is_stated_total and "{indicator}" is null) '
                           "from marts.mart_commune_year_recomputed group by year, structure_code"):
            if total is None:
                continue
            if not indicator.endswith("_amount"):
                assert total - (visible or 0) == 0 or total - (visible or 0) >= 5, (indicator, year)
            assert hidden != 1, (indicator, year)


def test_outcomes_by_profile_suppression(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select sex, age_band, qualification_level, youths, youths_with_outcome, outcome_rate, "
                            "is_suppressed, youths_suppression, outcome_suppression from marts.mart_outcomes_by_profile "
                            "where year = 2023 and structure_code = ? and outcome = 'positive_outcome' "
                            "and not is_total order by all", [S])
    assert rows == [
        ("female", "16_17", "no_diploma", None, None, None, True, "primary", "primary"),
        # 6 youths, but the small cells add up to 3: hidden to protect them
        ("female", "18_21", "bac", None, None, None, True, "secondary", "primary"),
        ("male", "22_25", "cap_bep", 7, 5, 0.7143, False, None, None),
        ("male", "26_plus", "above_bac", None, None, None, True, "primary", "primary"),
    ]
    totals = query(warehouse, "select outcome, youths, youths_with_outcome, outcome_rate, has_suppressed_cells, "
                              "is_suppressed from marts.mart_outcomes_by_profile where year = 2023 and is_total "
                              "and structure_code = ? order by outcome", [S])
    assert totals == [  # 16 youths: X0 (no youth row) and F1 (outside the territory) are not counted
        ("alternance", 16, None, None, True, True),           # 1 youth: hidden
        ("employment", 16, 7, 0.4375, True, False),           # A1-A5, D1, C1 (not A6's planned job)
        ("positive_outcome", 16, 12, 0.75, True, False),
        ("training", 16, 5, 0.3125, True, False),            # A6, D4-D7
        ("work_placement", 16, None, None, True, True),       # D2, D3
    ]
    # D's employment (1) is hidden; the other cells being hidden, the total - visible gap is 7
    assert query(warehouse, "select youths, youths_with_outcome, outcome_suppression from "
                            "marts.mart_outcomes_by_profile where year = 2023 and outcome = 'employment' "
                            "and sex = 'male' and age_band = '22_25'") == [(7, None, "primary")]
    # ML Lille's one youth: hidden, total included
    assert query(warehouse, "select bool_and(is_suppressed), count(*) from marts.mart_outcomes_by_profile "
                            "where year = 2023 and structure_code = ?", [LILLE_ML]) == [(True, 10)]


def test_outcome_suppression_threshold_is_a_variable(built):
    """With a threshold of 3, the secondary suppression of an outcome count shows up."""
    tmp_path, warehouse, _, _ = built
    result = dbt(tmp_path, warehouse, "build", "--select", "mart_outcomes_by_profile",
                 "--vars", "{year: 2023, suppression_threshold: 3}")
    try:
        assert result.returncode == 0, result.stdout
        rows = query(warehouse, "select sex, youths, youths_with_outcome, youths_suppression, outcome_suppression "
                                "from marts.mart_outcomes_by_profile where year = 2023 and outcome = 'employment' "
                                "and structure_code = ? and not is_total order by all", [S])
        # cohorts 2 and 1 are small (3 >= 3 together: no secondary cohort); employment: D's 1
        # (primary) and C1's 1 (hidden cohort) add up to 2 < 3: A's 5 is hidden too (secondary)
        assert rows == [("female", 6, None, None, "secondary"),
                        ("female", None, None, "primary", "primary"),
                        ("male", 7, None, None, "primary"),
                        ("male", None, None, "primary", "primary")]
        assert query(warehouse, "select distinct suppression_threshold from marts.mart_outcomes_by_profile "
                                "where year = 2023") == [(3,)]
    finally:
        assert dbt(tmp_path, warehouse, "build", "--select", "mart_outcomes_by_profile",
                   "--vars", "{year: 2023}").returncode == 0


def test_reconciliation(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select indicator_code, year, commune_insee, commune_name, is_total, published_value, "
                            "recomputed_value, difference, status, is_small_count, quarantined_rows "
                            "from marts.mart_reconciliation where published_value is not null order by all")
    # contacts: 24 counted (the orphan's and F1's count nowhere)
    assert rows == [
        ("cej_allowance_amount", 2023, None, "Total", True, 1351.25, 1351.25, 0.0, "match", True, 1),
        ("civic_service_youths", 2023, MARCQ, "Marcq-en-Barœul", False, 3.0, 1.0, -2.0, "mismatch", True, 1),
        ("contacts", 2023, LAMBERSART, "Lambersart", False, 12.0, 12.0, 0.0, "match", False, 1),
        ("contacts", 2023, None, "Total", True, 24.0, 24.0, 0.0, "match", False, 1),
        ("new_registrations", 2021, None, "Total", True, 200.0, None, None, "published_only", False, 0),
        ("new_registrations", 2022, LAMBERSART, "Lambersart", False, 120.0, 1.0, -119.0, "mismatch", True, 0),
        # re-extracted 2023 report: 7 (the annual rebuild replaced 2023's rows)
        ("new_registrations", 2023, LAMBERSART, "Lambersart", False, 7.0, 6.0, -1.0, "mismatch", False, 1),
        ("new_registrations", 2023, LA_MADELEINE, "La Madeleine", False, 2.0, 1.0, -1.0, "mismatch", True, 1),
        ("new_registrations", 2023, None, "Total", True, 10.0, 9.0, -1.0, "mismatch", False, 1),
        ("pec_contracts", 2023, LAMBERSART, "Lambersart", False, 1.0, 0.0, -1.0, "mismatch", False, 1),
        ("youths_in_contact", 2023, VILLENEUVE, "Villeneuve-d'Ascq", False, 4.0, None, None, "published_only",
         False, 1),
    ]
    # recomputed but not printed; the orphan contact in the unknown commune
    assert query(warehouse, "select published_value, recomputed_value, difference, status from marts.mart_reconciliation "
                            "where year = 2023 and indicator_code = 'new_registrations' and commune_insee = ?",
                 [MARCQ]) == [(None, 1.0, None, "recomputed_only")]
    assert query(warehouse, "select count(*) from marts.mart_reconciliation "
                            "where commune_insee is null and not is_total") == [(0,)]
    assert query(warehouse, "select recomputed_value, status from marts.mart_reconciliation where year = 2023 "
                            "and structure_code = ? and indicator_code = 'contacts' and is_total",
                 [LILLE_ML]) == [(1.0, "recomputed_only")]
    # not recomputed: not reconciled
    assert query(warehouse, "select count(*) from marts.mart_reconciliation "
                            "where indicator_code = 'cej_measures'") == [(0,)]


def test_annual_rebuild_replaces_one_year_only(built):
    _, warehouse, first, stdout = built
    # the I-MILO marts did not change (same exports); the reconciliation changed in 2023 only
    for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile"):
        assert query(warehouse, f"select * from marts.{table} order by all") == first[table]
    after = query(warehouse, "select * from marts.mart_reconciliation order by all")
    assert [r for r in after if r[1] != 2023] == [r for r in first["mart_reconciliation"] if r[1] != 2023]
    assert after != first["mart_reconciliation"]
    assert "mart_reconciliation" in stdout and "mart_commune_year_recomputed" in stdout


def test_document_pipeline_builds_without_exports(tmp_path):
    """No I-MILO table landed (the document pipeline alone): the export models build, empty."""
    warehouse = tmp_path / "warehouse.duckdb"
    land_document_raw(warehouse, published(), structure=S)
    result = dbt(tmp_path, warehouse, "build")
    assert result.returncode == 0, result.stdout
    assert query(warehouse, "select count(*) from star.dim_youth") == [(0,)]
    assert query(warehouse, "select count(*) from marts.mart_commune_year_recomputed") == [(0,)]
    assert query(warehouse, "select distinct status from marts.mart_reconciliation") == [("published_only",)]


# --- the annual gate's suites on these marts (expectations/export_marts_suite.py) -----------------

def gate_frames(warehouse: Path, year: int = 2023) -> dict:
    """The year's export marts as the gate reads them (orchestration.marts.read_year)."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        frames = {table: connection.execute(f"select * from marts.{table} where year = ? order by all",
                                            [year]).df()
                  for table in ("mart_commune_year_recomputed", "mart_outcomes_by_profile",
                                "mart_reconciliation")}
        frames["mart_commune_year"] = connection.execute(
            "select * from marts.mart_commune_year where year = ? order by all", [year]).df()
        frames["count_indicators"] = [r[0] for r in connection.execute(
            "select indicator_code from intermediate.int_imilo_recomputed_indicators where unit = 'count'").fetchall()]
    return frames


def run_export_gate(frames: dict, year: int = 2023):
    from expectations.commune_year_suite import gate_passed
    from expectations.export_marts_suite import export_mart_checks
    from expectations.gx_runner import run_frame_check

    checks = export_mart_checks(frames["mart_commune_year_recomputed"], frames["mart_outcomes_by_profile"],
                                frames["mart_reconciliation"], year, frames["count_indicators"],
                                commune_year=frames["mart_commune_year"])
    records = [record for check in checks for record in run_frame_check(check)]
    return gate_passed(records), {r["name"]: r for r in records}


def test_the_export_marts_dbt_builds_pass_the_gate_with_the_mismatches_as_warnings(built):
    _, warehouse, _, _ = built
    passed, records = run_export_gate(gate_frames(warehouse))
    assert passed
    assert {name for name, r in records.items() if not r["success"]} == {"reconciliation_matches"}
    mismatches = records["reconciliation_matches"]
    assert mismatches["blocking"] is False
    # 2023's four compared mismatches (new registrations x3, pec, civic service): evidence kept
    assert mismatches["unexpected_count"] == 5
    assert records["recomputed_no_small_count"]["success"] and records["outcomes_no_small_count"]["success"]


def test_a_visible_small_count_blocks_the_year(built):
    _, warehouse, _, _ = built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    lambersart = (recomputed["commune_insee"] == LAMBERSART) & (recomputed["structure_code"] == S)
    recomputed.loc[lambersart, "youths_in_contact"] = 3  # primary suppression undone
    passed, records = run_export_gate(frames)
    assert not passed
    assert not records["recomputed_no_small_count"]["success"]
    assert records["recomputed_no_small_count"]["unexpected_examples"] == [
        {"value": 3, "structure_code": S, "commune_insee": LAMBERSART, "indicator": "youths_in_contact"}]


def test_a_hidden_cell_recoverable_from_the_total_blocks_the_year(built):
    _, warehouse, _, _ = built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    # Lambersart's youths_in_contact (6) was hidden only to protect the small communes (secondary):
    # shown again, total - visible communes = 3 would give their sum away
    lambersart = (recomputed["commune_insee"] == LAMBERSART) & (recomputed["structure_code"] == S)
    recomputed.loc[lambersart, "youths_in_contact"] = 6
    passed, records = run_export_gate(frames)
    assert not passed
    assert not records["recomputed_no_cell_recoverable"]["success"]
    assert records["recomputed_no_cell_recoverable"]["unexpected_examples"] == [
        {"residual": 3, "structure_code": S, "indicator": "youths_in_contact"}]
    outcomes = gate_frames(warehouse)["mart_outcomes_by_profile"]
    cell = outcomes.index[~outcomes["is_total"] & outcomes["youths"].notna()][0]
    outcomes.loc[cell, "youths_with_outcome"] = outcomes.loc[cell, "youths"] + 5
    passed, records = run_export_gate({**gate_frames(warehouse), "mart_outcomes_by_profile": outcomes})
    assert not passed and not records["outcomes_within_cohort"]["success"]


def test_a_total_row_that_hides_its_incompleteness_blocks_the_year(built):
    _, warehouse, _, _ = built
    frames = gate_frames(warehouse)
    recomputed = frames["mart_commune_year_recomputed"]
    recomputed["incomplete_indicators"] = [[] if total else listed for total, listed
                                           in zip(recomputed["is_stated_total"], recomputed["incomplete_indicators"])]
    passed, records = run_export_gate(frames)
    assert not passed and not records["recomputed_incomplete_declared"]["success"]


def test_mart_commune_year_carries_the_recomputed_indicators_beside_the_printed_ones(built):
    _, warehouse, _, _ = built
    rows = query(warehouse, "select commune_insee, new_registrations, new_registrations_recomputed, contacts, "
                            "contacts_recomputed, list_contains(recomputed_suppressed_indicators, 'new_registrations') "
                            "from marts.mart_commune_year where year = 2023 and structure_code = ? "
                            "and (commune_insee = ? or is_stated_total) order by is_stated_total", [S, LAMBERSART])
    # Lambersart's 6 recomputed registrations are hidden (secondary suppression), as published
    # in mart_commune_year_recomputed; the totals are the true totals
    assert rows == [(LAMBERSART, 7, None, 12, 12, True), (None, 10, 9, 24, 24, False)]
    # a commune only the exports cover is not added to the report's rows
    assert query(warehouse, "select count(*) from marts.mart_commune_year where year = 2023 "
                            "and commune_insee = ?", [WAMBRECHIES]) == [(0,)]


def test_a_small_recomputed_count_shown_in_mart_commune_year_blocks_the_year(built):
    _, warehouse, _, _ = built
    frames = gate_frames(warehouse)
    commune_year = frames["mart_commune_year"]
    commune_year.loc[commune_year["commune_insee"] == LAMBERSART, "new_registrations_recomputed"] = 2
    passed, records = run_export_gate(frames)
    assert not passed and records["recomputed_no_small_count"]["unexpected_examples"] == [
        {"value": 2, "structure_code": S, "commune_insee": LAMBERSART, "indicator": "new_registrations_recomputed"}]
