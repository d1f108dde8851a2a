"""Checks of a generated I-MILO export, shared by the generator's tests.

`recompute` implements sample_inputs/imilo/recompute.md in DuckDB SQL over the five CSV files
(read with pandas, so that both encodings are exercised); `assert_calibrated` checks that it
gives back the figures an export was calibrated to, but for the figures that conflict by nature.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd

from sample_inputs.imilo import ExportFigures
from sample_inputs.imilo.codes import AID_INDICATORS, FILES


YEAR = 2023

# --- the rules of recompute.md, in SQL ------------------------------------------------------------

QUAL = ("CASE y.qual WHEN 'SUP_BAC' THEN 'above_bac' WHEN 'BAC' THEN 'bac' "
        "WHEN 'CAP_BEP' THEN 'cap_bep' WHEN 'SANS_DIPLOME' THEN 'no_diploma' END")
QUAL3 = ("CASE y.qual WHEN 'SUP_BAC' THEN 'bac_or_above' WHEN 'BAC' THEN 'bac_or_above' "
         "WHEN 'CAP_BEP' THEN 'cap_bep' WHEN 'SANS_DIPLOME' THEN 'no_diploma' END")
SEX = "CASE y.sexe WHEN 'F' THEN 'female' WHEN 'M' THEN 'male' END"
NATURE = ("CASE e.nature WHEN 'ENTRETIEN_INDIVIDUEL' THEN 'individual_interview' "
          "WHEN 'ATELIER' THEN 'group_session' WHEN 'SMS' THEN 'sms' WHEN 'MAIL' THEN 'email' "
          "WHEN 'TELEPHONE' THEN 'phone' WHEN 'AUTRE' THEN 'other' END")
NATURE_COARSE = ("CASE WHEN e.nature IN ('ENTRETIEN_INDIVIDUEL', 'ATELIER') THEN 'interview' "
                 "WHEN e.nature IN ('SMS', 'TELEPHONE') THEN 'phone_or_sms' "
                 "WHEN e.nature = 'MAIL' THEN 'email' ELSE 'other' END")


def read_export(export_dir: Path, encoding: str = "utf-8") -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(export_dir / f"{name}.csv", sep=";", dtype=str,
                              keep_default_na=False, encoding=encoding)
            for name in FILES}


def recompute(export_dir: Path, year: int, encoding: str = "utf-8") -> dict[str, dict]:
    """{indicator: {key: value}}: commune indicators keyed by INSEE code, breakdowns by their
    sorted ((dimension, code), ...) key, like ExportFigures."""
    frames = read_export(export_dir, encoding)
    con = duckdb.connect()
    for name, frame in frames.items():
        frame = frame.copy()
        frame["line"] = range(2, len(frame) + 2)
        con.register(f"src_{name}", frame)
    start, end = f"DATE '{year}-01-01'", f"DATE '{year}-12-31'"
    d = "CAST(strptime(NULLIF({}, ''), '%d/%m/%Y') AS DATE)".format
    con.execute(f"""
        CREATE TABLE youths AS
        SELECT codeStructure AS s, idDossier AS id, codeInseeCommune AS commune, sexe,
               {year} - year({d('dateNaissance')}) AS age, residentQPV = 'O' AS qpv,
               niveauQualification AS qual, permisB = 'O' AS licence, logement,
               {d('datePremierAccueil')} AS premier
        FROM (SELECT *, row_number() OVER (PARTITION BY codeStructure, idDossier
                                           ORDER BY {d('dateExport')} DESC, line DESC) AS rn
              FROM src_dossiers) WHERE rn = 1;
        CREATE TABLE events AS
        SELECT e.codeStructure AS s, e.idDossier AS id, e.nature, {d('e.dateEvenement')} AS day
        FROM src_evenements e WHERE {d('e.dateEvenement')} BETWEEN {start} AND {end};
        CREATE TABLE situations AS
        SELECT codeStructure AS s, idDossier AS id, categorieSituation AS category,
               typeContrat AS contract, dispositif, {d('dateDebut')} AS start
        FROM src_situations WHERE etat IN ('EN_COURS', 'TERMINE')
          AND {d('dateDebut')} BETWEEN {start} AND {end};
        CREATE TABLE enrolments AS
        SELECT codeStructure AS s, idDossier AS id, dispositif, {d('dateDebut')} AS start,
               {d('dateFinReelle')} AS finish,
               {d('dateDebut')} <= {end} AND coalesce({d('dateFinReelle')} >= {start}, TRUE)
                   AS active,
               {d('dateDebut')} BETWEEN {start} AND {end} AS started
        FROM src_enrolments_view;
        CREATE TABLE allowances AS
        SELECT codeStructure AS s, idDossier AS id, dispositif,
               CAST(replace(montant, ',', '.') AS DECIMAL(14, 2)) AS amount
        FROM src_allocations WHERE {d('dateVersement')} BETWEEN {start} AND {end};
    """.replace("src_enrolments_view", "src_accompagnements"))
    con.execute("""
        CREATE TABLE y AS SELECT *, CASE WHEN age <= 17 THEN '16_17' WHEN age <= 21 THEN '18_21'
                                        WHEN age <= 25 THEN '22_25' ELSE '26_plus' END AS band
        FROM youths""")
    out: dict[str, dict] = {}

    def communes(indicator: str, sql: str) -> None:
        """`sql` selects the counted rows (s, id[, value]); value defaults to 1 per row."""
        rows = con.execute(f"""
            SELECT y.commune, sum(c.value) FROM ({sql}) c JOIN y USING (s, id)
            GROUP BY y.commune""").fetchall()
        out[indicator] = {commune: float(value) for commune, value in rows}

    def youth_set(sql: str) -> str:
        return f"SELECT DISTINCT s, id, 1 AS value FROM ({sql})"

    counted = "SELECT s, id, 1 AS value FROM"
    in_year = f"premier BETWEEN DATE '{year}-01-01' AND DATE '{year}-12-31'"
    communes("new_registrations", f"{counted} y WHERE {in_year}")
    communes("new_registrations_qpv", f"{counted} y WHERE qpv AND {in_year}")
    communes("youths_in_contact", youth_set("SELECT s, id FROM events"))
    communes("youths_interviewed", youth_set(
        "SELECT s, id FROM events WHERE nature IN ('ENTRETIEN_INDIVIDUEL', 'ATELIER')"))
    communes("contacts", f"{counted} events")
    communes("contacts_interviews",
             f"{counted} events WHERE nature IN ('ENTRETIEN_INDIVIDUEL', 'ATELIER')")
    communes("pmsmp_periods",
             f"{counted} situations WHERE category IN ('Pmsmp', 'Immersion en entreprise')")
    communes("training_entries",
             youth_set("SELECT s, id FROM situations WHERE category = 'Formation'"))
    communes("employment_contracts",
             f"{counted} situations WHERE category IN ('Emploi', 'Contrat en Alternance')")
    communes("pec_contracts",
             f"{counted} situations WHERE category = 'Emploi' AND contract = 'PEC'")
    communes("alternance_contracts",
             f"{counted} situations WHERE category = 'Contrat en Alternance'")
    communes("civic_service_youths", youth_set(
        "SELECT s, id FROM enrolments WHERE dispositif = 'SERVICE_CIVIQUE' AND active"))
    communes("civic_service_starts", youth_set(
        "SELECT s, id FROM enrolments WHERE dispositif = 'SERVICE_CIVIQUE' AND started"))
    communes("cej_youths", youth_set(
        "SELECT s, id FROM enrolments WHERE dispositif IN ('CEJ', 'GARANTIE_JEUNES') AND active"))
    communes("cej_entrants", youth_set(
        "SELECT s, id FROM enrolments WHERE dispositif IN ('CEJ', 'GARANTIE_JEUNES') AND started"))
    for prefix, aid in AID_INDICATORS.items():
        communes(f"{prefix}_beneficiaries",
                 youth_set(f"SELECT s, id FROM allowances WHERE dispositif = '{aid}'"))
        communes(f"{prefix}_amount",
                 f"SELECT s, id, amount AS value FROM allowances WHERE dispositif = '{aid}'")

    def breakdown(indicator: str, sql: str, *dims: str, share: bool = False) -> None:
        """`sql` selects the counted rows joined to y; `dims` are (dimension, SQL expression)."""
        names = [dim.split("=", 1)[0] for dim in dims]
        exprs = [dim.split("=", 1)[1] for dim in dims]
        rows = con.execute(f"SELECT {', '.join(exprs)}, count(*) FROM ({sql}) x "
                           f"JOIN y USING (s, id) GROUP BY ALL").fetchall()
        cells = out.setdefault(indicator, {})
        whole = sum(row[-1] for row in rows)
        for row in rows:
            key = tuple(sorted(zip(names, row[:-1])))
            value = row[-1]
            if share:  # percent rounded half up
                value = (200 * value + whole) // (2 * whole)
            cells[key] = float(value)

    new = (f"SELECT s, id FROM y WHERE premier BETWEEN DATE '{year}-01-01' "
           f"AND DATE '{year}-12-31'")
    breakdown("new_registrations_profile", new, "age_band=y.band", f"qualification_level={QUAL}")
    breakdown("new_registrations_profile", new, f"sex={SEX}", "age_band=y.band")
    breakdown("new_registrations_share", new, "driving_licence=CASE WHEN y.licence THEN 'holder' "
              "ELSE 'not_holder' END", share=True)
    breakdown("new_registrations_share", new, "housing=CASE y.logement WHEN 'PARENTS' THEN "
              "'with_parents' WHEN 'AUTONOME' THEN 'independent' ELSE 'precarious' END", share=True)
    interviewed = ("SELECT DISTINCT s, id FROM events "
                   "WHERE nature IN ('ENTRETIEN_INDIVIDUEL', 'ATELIER')")
    breakdown("youths_interviewed_profile", interviewed, f"qualification_level={QUAL}")
    breakdown("youths_interviewed_profile", interviewed, f"sex={SEX}")
    breakdown("youths_interviewed_share", interviewed, "age_band=y.band", share=True)
    breakdown("contacts_by_nature", "SELECT s, id, nature FROM events e",
              f"contact_nature={NATURE.replace('e.nature', 'x.nature')}")
    cej_youths = ("SELECT DISTINCT s, id FROM enrolments "
                  "WHERE dispositif IN ('CEJ', 'GARANTIE_JEUNES') AND active")
    breakdown("cej_contacts_by_nature",
              f"SELECT s, id, nature FROM events WHERE (s, id) IN ({cej_youths})",
              f"contact_nature={NATURE_COARSE.replace('e.nature', 'x.nature')}")
    breakdown("employment_contracts_by_type",
              "SELECT s, id, category, contract FROM situations "
              "WHERE category IN ('Emploi', 'Contrat en Alternance')",
              "contract_type=CASE WHEN x.category = 'Contrat en Alternance' THEN 'alternance' "
              "WHEN x.contract = 'CDD' THEN 'fixed_term' WHEN x.contract = 'INTERIM' "
              "THEN 'temporary_seasonal' WHEN x.contract = 'CDI' THEN 'permanent' "
              "WHEN x.contract = 'PEC' THEN 'subsidised' WHEN x.contract = 'CREATION' "
              "THEN 'self_employed' END")
    employed = ("SELECT DISTINCT s, id FROM situations "
                "WHERE category IN ('Emploi', 'Contrat en Alternance')")
    breakdown("employment_youths_profile", employed, f"qualification_level={QUAL}")
    trained = "SELECT DISTINCT s, id FROM situations WHERE category = 'Formation'"
    breakdown("training_entrants_profile", trained, f"qualification_level={QUAL}")
    breakdown("training_entrants_profile", trained, f"qualification_level={QUAL3}")
    breakdown("training_entrants_profile", trained, f"sex={SEX}")
    out["training_actions_total"] = {(): float(con.execute(
        "SELECT count(*) FROM situations JOIN y USING (s, id) WHERE category = 'Formation'"
    ).fetchone()[0])}
    entrants = ("SELECT DISTINCT s, id FROM enrolments "
                "WHERE dispositif IN ('CEJ', 'GARANTIE_JEUNES') AND started")
    breakdown("cej_entrants_profile", entrants, f"qualification_level={QUAL}")
    breakdown("cej_measures", """
        SELECT t.s, t.id, t.category, EXISTS (
            SELECT 1 FROM enrolments c WHERE c.s = t.s AND c.id = t.id
              AND c.dispositif = 'SERVICE_CIVIQUE' AND c.start <= t.start
              AND (c.finish IS NULL OR c.finish >= t.start)) AS civic
        FROM situations t WHERE t.dispositif = 'CEJ'""",
              "situation_type=CASE WHEN x.category = 'Emploi' THEN 'employment' "
              "WHEN x.category = 'Contrat en Alternance' THEN 'alternance' "
              "WHEN x.category = 'Formation' THEN 'training' "
              "WHEN x.category IN ('Pmsmp', 'Immersion en entreprise') THEN 'work_placement' "
              "WHEN x.category = 'Contrat de volontariat - bénévolat' AND x.civic "
              "THEN 'civic_service' "
              "WHEN x.category = 'Contrat de volontariat - bénévolat' THEN 'other' END")
    mentored = ("SELECT DISTINCT s, id FROM enrolments "
                "WHERE dispositif = 'PARRAINAGE' AND started")
    breakdown("mentoring_youths", mentored, f"qualification_level={QUAL3}")
    breakdown("mentoring_youths", mentored, f"qualification_level={QUAL}")
    breakdown("mentoring_youths", mentored, f"sex={SEX}")
    breakdown("mentoring_youths", mentored, "commune_insee=y.commune")
    return out


def compare(figures: ExportFigures, got: dict[str, dict]) -> list[str]:
    """Every commune figure, its total, and every calibrated breakdown cell that differs."""
    diffs = []
    for indicator, values in figures.tables.items():
        produced = got.get(indicator, {})
        for commune, value in values.items():
            if abs(produced.get(commune, 0.0) - value) > 0.005:
                diffs.append(f"{indicator} {commune}: report {value}, export "
                             f"{produced.get(commune, 0.0)}")
        outside = {c: v for c, v in produced.items() if c not in values and v}
        if outside:
            diffs.append(f"{indicator}: counts outside the report's communes {outside}")
    for indicator, cells in figures.breakdowns.items():
        if indicator not in got and indicator != "training_actions":
            continue
        if indicator == "training_actions":  # only the total: the export has no training type
            wanted = sum(cells.values())
            produced = got["training_actions_total"][()]
            if produced != wanted:
                diffs.append(f"training_actions total: report {wanted}, export {produced}")
            continue
        for key, value in cells.items():
            produced = got[indicator].get(key, 0.0)
            if produced != value:
                diffs.append(f"{indicator} {dict(key)}: report {value}, export {produced}")
    return diffs


def inherent_conflicts(figures: ExportFigures) -> dict[tuple[str, tuple], float | None]:
    """Cells a report's own figures make impossible under the rules, with the value the export
    must give instead (None: not pinned): {(indicator, key): value}."""
    out: dict[tuple[str, tuple], float | None] = {}
    total = lambda name: sum(figures.tables.get(name, {}).values())  # noqa: E731
    by_type = figures.breakdowns.get("employment_contracts_by_type", {})
    if by_type:
        get = lambda code: by_type.get((("contract_type", code),), 0.0)  # noqa: E731
        pec, alternance = total("pec_contracts"), total("alternance_contracts")
        others = total("employment_contracts") - alternance - pec
        four = sum(get(code) for code in ("fixed_term", "temporary_seasonal", "permanent",
                                          "self_employed"))
        if get("subsidised") != pec:
            out[("employment_contracts_by_type", (("contract_type", "subsidised"),))] = pec
        if get("alternance") != alternance:
            out[("employment_contracts_by_type", (("contract_type", "alternance"),))] = alternance
        if four != others:  # CIE and the like are CDD in an export
            out[("employment_contracts_by_type", (("contract_type", "fixed_term"),))] = \
                get("fixed_term") + others - four
    measures = figures.breakdowns.get("cej_measures", {})
    actions = figures.breakdowns.get("training_actions")
    caps = {"employment": total("employment_contracts") - total("alternance_contracts"),
            "alternance": total("alternance_contracts"), "work_placement": total("pmsmp_periods"),
            "training": sum(actions.values()) if actions else None}
    for code, cap in caps.items():
        key = (("situation_type", code),)
        if cap is not None and measures.get(key, 0) > cap:  # more CEJ measures than situations
            out[("cej_measures", key)] = cap
    natures = {k[0][1]: v for k, v in figures.breakdowns.get("contacts_by_nature", {}).items()}
    cej = figures.breakdowns.get("cej_contacts_by_nature", {})
    if natures and cej:
        caps = {"interview": natures["individual_interview"] + natures["group_session"],
                "phone_or_sms": natures["phone"] + natures["sms"], "email": natures["email"],
                "other": natures["other"]}
        if any(cej.get((("contact_nature", code),), 0) > cap for code, cap in caps.items()):
            for code in caps:  # the CEJ youths' contacts are then shared out otherwise
                out[("cej_contacts_by_nature", (("contact_nature", code),))] = None
    return out


def assert_calibrated(figures: ExportFigures, export_dir: Path, encoding: str = "utf-8") -> None:
    got = recompute(export_dir, YEAR, encoding)
    expected = inherent_conflicts(figures)
    unexplained = []
    for diff in compare(figures, got):
        indicator = diff.split(" ", 1)[0]
        match = [(key, value) for (name, key), value in expected.items()
                 if name == indicator and str(dict(key)) in diff]
        if not match or match[0][1] is not None and got[indicator].get(match[0][0], 0.0) \
                != match[0][1]:
            unexplained.append(diff)
    assert not unexplained, "\n".join(unexplained)


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest()
            for name in FILES}
