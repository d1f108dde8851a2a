"""The I-MILO export generator (sample_inputs/imilo): format, determinism, calibration.

`recompute` below implements sample_inputs/imilo/recompute.md in DuckDB SQL over the five CSV
files (read with pandas, so that both encodings are exercised): the calibration tests check that
it gives back the report's figures, for the synthetic 2023 sample and, when ../shared is beside
the project, for the real ML MNO 2023 report.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sample_inputs.figures import generate_figures
from sample_inputs.imilo import (
    ExportFigures,
    figures_from_facts,
    figures_from_report,
    write_export,
)
from sample_inputs.imilo.codes import AID_INDICATORS, FILES, IDENTITY_COLUMNS

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


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_figures() -> ExportFigures:
    return figures_from_report(generate_figures(YEAR, 1))


@pytest.fixture(scope="module")
def sample_export(tmp_path_factory, sample_figures):
    out = tmp_path_factory.mktemp("imilo") / "sample"
    return write_export(out, sample_figures, YEAR, seed=1)


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256((folder / f"{name}.csv").read_bytes()).hexdigest()
            for name in FILES}


# --- format ---------------------------------------------------------------------------------------


def test_five_files_with_exactly_the_documented_columns(sample_export):
    documented = _documented_columns()
    assert set(documented) == set(FILES)
    for name, columns in documented.items():
        path = sample_export.out_dir / f"{name}.csv"
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(";") == list(columns), name
        assert FILES[name] == columns
        assert sample_export.rows[name] > 0


def _documented_columns() -> dict[str, tuple[str, ...]]:
    """The column tables of docs/imilo_export_format.md: {file: columns}."""
    doc = (Path(__file__).resolve().parents[1] / "docs" / "imilo_export_format.md").read_text(
        encoding="utf-8")
    out = {}
    for match in re.finditer(r"^## `(\w+)\.csv`.*?\n\n(\|.*?)\n\n", doc, re.S | re.M):
        columns = []
        for line in match.group(2).splitlines()[2:]:
            cell = line.split("|")[1].strip()
            columns += [c.strip() for c in cell.split(",")]
        out[match.group(1)] = tuple(columns)
    return out


def test_values_follow_the_format(sample_export):
    frames = read_export(sample_export.out_dir)
    date = re.compile(r"^(\d{2}/\d{2}/\d{4})?$")
    for name, columns in (("dossiers", ("dateNaissance", "datePremierAccueil", "dateExport")),
                          ("evenements", ("dateEvenement",)),
                          ("situations", ("dateDebut", "dateFin")),
                          ("accompagnements", ("dateDebut", "dateFinPrevue", "dateFinReelle")),
                          ("allocations", ("dateVersement",))):
        for column in columns:
            assert frames[name][column].str.match(date).all(), (name, column)
    assert frames["allocations"]["montant"].str.match(r"^\d+,\d{2}$").all()
    dossiers = frames["dossiers"]
    assert set(dossiers["sexe"]) == {"F", "M"}
    assert set(dossiers["niveauQualification"]) <= {"SUP_BAC", "BAC", "CAP_BEP", "SANS_DIPLOME"}
    assert set(dossiers["logement"]) <= {"PARENTS", "AUTONOME", "PRECAIRE"}
    assert set(dossiers["residentQPV"]) | set(dossiers["permisB"]) <= {"O", "N"}
    assert set(frames["evenements"]["nature"]) == {"ENTRETIEN_INDIVIDUEL", "ATELIER", "SMS",
                                                   "MAIL", "TELEPHONE", "AUTRE"}
    situations = frames["situations"]
    assert set(situations["etat"]) == {"PREVU", "EN_COURS", "TERMINE"}
    assert (situations["dateFin"] == "").eq(situations["etat"] != "TERMINE").all()
    assert set(situations["dispositif"]) <= {"", "CEJ", "PACEA"}
    assert set(frames["accompagnements"]["dispositif"]) <= {
        "CEJ", "GARANTIE_JEUNES", "PACEA", "PPAE", "PARRAINAGE", "SERVICE_CIVIQUE"}
    for name in ("evenements", "situations", "accompagnements", "allocations"):
        ids = frames[name].iloc[:, 0]
        assert ids.is_unique, name
        assert set(frames[name]["idDossier"]) <= set(dossiers["idDossier"]), name


# --- determinism, encodings -----------------------------------------------------------------------


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path, sample_figures, sample_export):
    again = write_export(tmp_path / "again", sample_figures, YEAR, seed=1)
    assert digest(again.out_dir) == digest(sample_export.out_dir)
    other = write_export(tmp_path / "other", sample_figures, YEAR, seed=2)
    assert digest(other.out_dir)["evenements"] != digest(sample_export.out_dir)["evenements"]


def test_windows_1252_export_reads_back_the_same(tmp_path, sample_figures, sample_export):
    cp1252 = write_export(tmp_path / "cp1252", sample_figures, YEAR, seed=1, encoding="cp1252")
    raw = (cp1252.out_dir / "dossiers.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # accents are single bytes: really Windows-1252
    assert "Marcq-en-Barœul".encode("cp1252") in raw
    assert b"\xe9" in raw  # é
    utf8 = read_export(sample_export.out_dir)
    for name, frame in read_export(cp1252.out_dir, "cp1252").items():
        pd.testing.assert_frame_equal(frame, utf8[name])
    assert_calibrated(sample_figures, cp1252.out_dir, "cp1252")


# --- calibration ----------------------------------------------------------------------------------


@pytest.mark.parametrize("year, seed", [(2019, 2), (2021, 1), (2022, 3), (2024, 3)])
def test_other_sample_editions_recomputed(tmp_path, year, seed):
    """Other years and seeds: what differs is what the figures themselves make impossible."""
    figures = figures_from_report(generate_figures(year, seed))
    summary = write_export(tmp_path / "edition", figures, year, seed=seed)
    got = recompute(summary.out_dir, year)
    expected = inherent_conflicts(figures)
    for diff in compare(figures, got):
        assert any(name == diff.split(" ", 1)[0] and str(dict(key)) in diff
                   for name, key in expected), diff


def test_sample_2023_figures_recomputed_from_the_export(sample_figures, sample_export):
    assert_calibrated(sample_figures, sample_export.out_dir)
    # what cannot be reproduced is said, and only that
    conflicts = inherent_conflicts(sample_figures)
    for indicator, key in conflicts:
        assert any(note.startswith(indicator) for note in sample_export.notes), (indicator, key)
    assert len(sample_export.notes) <= len(conflicts) + 2


def test_real_mno_2023_report_recomputed_from_the_export(tmp_path, mno_2023):
    from extractors.extract import extract_path

    facts = extract_path(mno_2023).facts
    figures = figures_from_facts(facts)
    assert figures.structure_code == "59386S00" and figures.year == YEAR
    summary = write_export(tmp_path / "mno", figures, YEAR, seed=1)
    assert_calibrated(figures, summary.out_dir)
    got = recompute(summary.out_dir, YEAR)
    # every commune figure and every stated total (a total flagged as not adding up in the report
    # is the sum of its rows)
    checked = 0
    for fact in facts:
        if fact.indicator not in figures.tables:
            continue
        produced = got.get(fact.indicator, {})
        if fact.is_total:
            value = sum(produced.values())
            if "source_total_mismatch" in fact.flags:
                assert value == sum(figures.tables[fact.indicator].values())
                continue
        else:
            value = produced.get(fact.dimensions["commune_insee"], 0.0)
        assert abs(value - fact.value) < 0.005, (fact.indicator, fact.dimensions, fact.value, value)
        checked += 1
    assert checked == 11 * len(figures.tables) - 1  # 10 communes + total, one flagged total
    # the only figures not reproduced: PEC vs "PEC et CIE en CDD", which no export code tells apart
    assert set(inherent_conflicts(figures)) == {
        ("employment_contracts_by_type", (("contract_type", "subsidised"),)),
        ("employment_contracts_by_type", (("contract_type", "fixed_term"),))}


def test_plain_mapping_of_figures(tmp_path):
    figures = {
        "structure_code": "59512S00", "year": YEAR,
        "tables": {
            "youths_in_contact": {"59512": 40, "59163": 12},
            "youths_interviewed": {"59512": 25, "59163": 7},
            "new_registrations": {"59512": 10, "59163": 3},
            "new_registrations_qpv": {"59512": 4, "59163": 0},
            "contacts": {"59512": 400, "59163": 150},
            "contacts_interviews": {"59512": 120, "59163": 30},
            "cej_youths": {"59512": 9, "59163": 2},
            "cej_entrants": {"59512": 5, "59163": 1},
            "cej_allowance_beneficiaries": {"59512": 8, "59163": 2},
            "cej_allowance_amount": {"59512": 12345.67, "59163": 800},
        },
        "breakdowns": {"new_registrations_profile": {
            (("age_band", "18_21"), ("sex", "female")): 7,
            (("age_band", "22_25"), ("sex", "male")): 6}},
    }
    summary = write_export(tmp_path / "roubaix", figures, seed=3)
    exported = ExportFigures.from_mapping(figures)
    got = recompute(summary.out_dir, YEAR)
    assert not compare(exported, got)
    assert got["cej_allowance_amount"] == {"59512": 12345.67, "59163": 800.0}
    assert any(note.startswith("not in the figures") for note in summary.notes)
    dossiers = read_export(summary.out_dir)["dossiers"]
    assert set(dossiers["codeStructure"]) == {"59512S00"}
    assert set(dossiers["adresseCommune"]) == {"Roubaix", "Croix"}


# --- re-exported files, identity columns ----------------------------------------------------------


def test_files_exported_twice_latest_row_is_the_calibrated_one(sample_export):
    dossiers = read_export(sample_export.out_dir)["dossiers"]
    twice = dossiers[dossiers.duplicated(["codeStructure", "idDossier"], keep=False)]
    assert sample_export.reexported == twice["idDossier"].nunique() > 20
    assert twice.groupby("idDossier").size().eq(2).all()
    day = pd.to_datetime(twice["dateExport"], format="%d/%m/%Y")
    latest = twice[day == day.groupby(twice["idDossier"]).transform("max")].set_index("idDossier")
    earlier = twice[day != day.groupby(twice["idDossier"]).transform("max")].set_index("idDossier")
    assert len(latest) == len(earlier) == sample_export.reexported
    earlier = earlier.loc[latest.index]
    # the earlier row differs: another address, often another commune or qualification
    assert (earlier["adresseLibelleVoie"] + earlier["adresseNumero"]
            != latest["adresseLibelleVoie"] + latest["adresseNumero"]).mean() > 0.8
    assert (earlier["codeInseeCommune"] != latest["codeInseeCommune"]).sum() > 5
    assert (earlier["niveauQualification"] != latest["niveauQualification"]).sum() > 5
    # same person
    for column in ("nomNaissance", "prenom", "dateNaissance", "numeroSecuriteSociale"):
        assert (earlier[column] == latest[column]).all(), column


def test_identity_columns_are_there_for_the_pseudonymisation(sample_export):
    dossiers = read_export(sample_export.out_dir)["dossiers"]
    assert set(IDENTITY_COLUMNS) <= set(dossiers.columns)
    for column in ("nomNaissance", "prenom", "dateNaissance", "numeroSecuriteSociale",
                   "adresseNumero", "adresseLibelleVoie", "adresseCodePostal"):
        assert (dossiers[column] != "").all(), column
    assert (dossiers["mail"].str.contains("@") | (dossiers["mail"] == "")).all()
    assert (dossiers["mail"] != "").mean() > 0.9
    phone = r"^(0[67]( ?\d{2}){4}|\+33 [67]( \d{2}){4})?$"
    assert dossiers["telephone"].str.match(phone).all()
    nir = dossiers["numeroSecuriteSociale"]
    assert nir.str.match(r"^[12]\d{14}$").all()
    body, key = nir.str[:13].astype("int64"), nir.str[13:].astype("int64")
    assert (97 - body % 97 == key).all()
    female = dossiers["sexe"] == "F"
    assert (nir[female].str[0] == "2").all() and (nir[~female].str[0] == "1").all()
    assert (nir.str[1:3] == dossiers["dateNaissance"].str[8:10]).all()
    assert dossiers["prenom"].str.contains("[éèëïç]").any()
    assert (dossiers["nomUsage"] != "").any()
    assert dossiers["adresseCodePostal"].str.match(r"^\d{5}$").all()


def test_new_registrations_first_contact_is_their_first_reception(sample_export):
    frames = read_export(sample_export.out_dir)
    dossiers = frames["dossiers"].drop_duplicates("idDossier", keep="last")
    new = dossiers[dossiers["datePremierAccueil"].str.endswith(str(YEAR))]
    events = frames["evenements"]
    events = events.assign(day=pd.to_datetime(events["dateEvenement"], format="%d/%m/%Y"))
    first = events.groupby("idDossier")["day"].min()
    premier = pd.to_datetime(new.set_index("idDossier")["datePremierAccueil"], format="%d/%m/%Y")
    seen = premier.index.intersection(first.index)
    assert len(seen) > 0.8 * len(premier)
    assert (first[seen] >= premier[seen]).all()
    assert (first[seen] == premier[seen]).mean() > 0.5


# --- national path (tiny) and command line --------------------------------------------------------


def test_national_path_small(tmp_path):
    from sample_inputs.imilo import write_national_export
    from sample_inputs.imilo.national import layout

    summary = write_national_export(tmp_path / "nat", YEAR, seed=1, structures=3, youths=40_000)
    again = write_national_export(tmp_path / "nat2", YEAR, seed=1, structures=3, youths=40_000)
    assert digest(summary.out_dir) == digest(again.out_dir)
    frames = read_export(summary.out_dir)
    codes = set(frames["dossiers"]["codeStructure"])
    assert len(codes) == 3 and all(re.fullmatch(r"\d{5}S\d{2}", c) for c in codes)
    assert summary.rows["evenements"] > 10 * summary.youths
    got = recompute(summary.out_dir, YEAR)
    # the national batches are calibrated to the layout's invented commune figures
    plan = layout(1, 3, 40_000)
    assert sum(got["youths_in_contact"].values()) == plan.cell_youths.sum() <= summary.youths
    assert set(got["youths_in_contact"]) == set(plan.cell_insee[plan.cell_youths > 0])


def test_command_line_writes_an_export(tmp_path, capsys):
    from sample_inputs.imilo.__main__ import main

    assert main([str(tmp_path / "cli"), "--sample", "--year", "2023", "--seed", "1",
                 "--encoding", "cp1252"]) == 0
    printed = capsys.readouterr().out
    assert "evenements.csv" in printed
    assert (tmp_path / "cli" / "situations.csv").is_file()
