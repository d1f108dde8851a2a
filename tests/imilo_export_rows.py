"""A hand-written I-MILO export (docs/imilo_export_format.md): a few rows per file, with the
identity columns a real export has; a variant with invalid rows, ways to break its files, and
how to read what its ingestion landed."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import duckdb

from extractors.imilo import spec as s


KEY = "test-key-0123456789abcdef-not-in-the-repo"

DOSSIERS_HEADER = [
    "idDossier", "codeStructure", "nomNaissance", "nomUsage", "prenom", "dateNaissance", "sexe",
    "mail", "telephone", "numeroSecuriteSociale", "adresseNumero", "adresseLibelleVoie",
    "adresseCodePostal", "adresseCommune", "codeInseeCommune", "residentQPV",
    "niveauQualification", "permisB", "logement", "datePremierAccueil", "dateExport",
]
DOSSIERS = [
    ["101", "59350S00", "Dupont", "Dupont-Martin", "Amélie", "14/03/2004", "F",
     "amelie.dupont@example.fr", "0612345678", "204035935012345", "12", "rue de l’Église",
     "59000", "Lille", "59350", "O", "BAC", "N", "PARENTS", "02/02/2022", "15/01/2024"],
    ["102", "59512S00", "Lefèvre", "", "Jérôme", "30/11/2007", "M", "jerome.lefevre@example.fr",
     "+33698765432", "107115951200177", "5", "boulevard de Belfort", "59100", "Roubaix", "59512",
     "N", "SANS_DIPLOME", "N", "PRECAIRE", "10/09/2023", "15/01/2024"],
    ["103", "59350S00", "Cœurdevey", "", "Noé", "01/01/1998", "M", "noe.coeurdevey@example.fr",
     "0320000000", "198015935000011", "8", "place du Théâtre", "59491", "Villeneuve-d'Ascq",
     "59009", "N", "SUP_BAC", "O", "AUTONOME", "05/05/2020", "15/01/2024"],
    ["104", "59017S00", "Ménard", "Ménard", "Zoé", "07/07/1995", "F", "zoe.menard@example.fr",
     "0611111111", "295075901700022", "1", "rue Jean Jaurès", "59280", "Armentières", "59017",
     "O", "CAP_BEP", "O", "AUTONOME", "", "15/01/2024"],
]
EVENEMENTS_HEADER = ["idEvenement", "idDossier", "codeStructure", "dateEvenement", "nature"]
EVENEMENTS = [
    ["1", "101", "59350S00", "05/01/2023", "ENTRETIEN_INDIVIDUEL"],
    ["2", "101", "59350S00", "12/02/2023", "ATELIER"],
    ["3", "102", "59512S00", "20/09/2023", "SMS"],
    ["4", "103", "59350S00", "03/03/2023", "MAIL"],
    ["5", "104", "59017S00", "04/04/2023", "TELEPHONE"],
    ["6", "104", "59017S00", "05/04/2023", "AUTRE"],
]
SITUATIONS_HEADER = ["idSituation", "idDossier", "codeStructure", "categorieSituation",
                     "typeContrat", "etat", "dateDebut", "dateFin", "dispositif"]
SITUATIONS = [
    ["1", "101", "59350S00", "Emploi", "CDD", "TERMINE", "01/03/2023", "31/05/2023", "CEJ"],
    ["2", "102", "59512S00", "Scolarité", "", "EN_COURS", "01/09/2023", "", ""],
    ["3", "103", "59350S00", "Contrat de volontariat - bénévolat", "", "PREVU", "01/12/2023", "",
     "PACEA"],
    ["4", "104", "59017S00", "Demandeur d’emploi", "", "EN_COURS", "01/01/2023", "", ""],
]
ACCOMPAGNEMENTS_HEADER = ["idAccompagnement", "idDossier", "codeStructure", "dispositif",
                          "dateDebut", "dateFinPrevue", "dateFinReelle"]
ACCOMPAGNEMENTS = [
    ["1", "101", "59350S00", "CEJ", "01/02/2023", "31/01/2024", ""],
    ["2", "102", "59512S00", "PACEA", "15/09/2023", "14/09/2024", ""],
    ["3", "104", "59017S00", "PARRAINAGE", "01/03/2023", "01/09/2023", "15/08/2023"],
]
ALLOCATIONS_HEADER = ["idAllocation", "idDossier", "codeStructure", "dispositif", "dateVersement",
                      "montant"]
ALLOCATIONS = [
    ["1", "101", "59350S00", "CEJ", "05/03/2023", "528,00"],
    ["2", "101", "59350S00", "CEJ", "05/04/2023", "528"],
    ["3", "102", "59512S00", "FAJ", "10/10/2023", "150,5"],
    ["4", "104", "59017S00", "MOBILITE", "12/04/2023", "35,75"],
]


def export_files() -> dict[str, list[list[str]]]:
    """File name -> rows, header first (fresh lists: tests change them)."""
    return {
        "dossiers.csv": [DOSSIERS_HEADER, *map(list, DOSSIERS)],
        "evenements.csv": [EVENEMENTS_HEADER, *map(list, EVENEMENTS)],
        "situations.csv": [SITUATIONS_HEADER, *map(list, SITUATIONS)],
        "accompagnements.csv": [ACCOMPAGNEMENTS_HEADER, *map(list, ACCOMPAGNEMENTS)],
        "allocations.csv": [ALLOCATIONS_HEADER, *map(list, ALLOCATIONS)],
    }


def write_export(folder: Path, files: dict[str, list[list[str]]] | None = None,
                 encoding: str = "utf-8", newline: str = "\n", delimiter: str = ";") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (files or export_files()).items():
        with open(folder / name, "w", encoding=encoding, newline="") as stream:
            csv.writer(stream, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return folder


def youth_key(structure: str, dossier: str, key: str = KEY) -> str:
    return hashlib.sha256(f"{key}:{structure}:{dossier}".encode()).hexdigest()[:32]


def query(warehouse: Path, sql: str, params=None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(sql, params or []).fetchall()


def all_rows(warehouse: Path) -> dict[str, list[tuple]]:
    tables = [f"raw.{table}" for table in s.RAW_TABLES]
    return {table: query(warehouse, f"select * exclude (export_file) from {table} order by all")
            for table in tables}


def quarantine(warehouse: Path) -> set[tuple]:
    return set(query(warehouse, "select export_file, export_line, column_name, reason "
                                "from raw.imilo_quarantine"))


def bad_export_files() -> dict[str, list[list[str]]]:
    files = export_files()
    base = DOSSIERS[1]  # dossier 102: a valid row to vary

    def dossier(dossier_id: str, **changes: str) -> list[str]:
        row = list(base)
        row[0] = dossier_id
        for column, value in changes.items():
            row[DOSSIERS_HEADER.index(column)] = value
        return row

    files["dossiers.csv"] += [
        dossier("105", dateNaissance="31/02/2004"),            # line 6
        dossier("106", codeInseeCommune="99999"),             # line 7
        dossier("107", codeStructure="59999S00"),             # line 8
        dossier("108", sexe="X"),                             # line 9
        dossier("109", dateNaissance="01/06/2015"),           # line 10: 8 years old
        list(DOSSIERS[0]),                                    # line 11: same version again
        dossier("110", codeStructure="", dateExport="2024-01-15"),  # line 12
    ]
    files["evenements.csv"] += [
        ["7", "101", "59350S00", "05/01/2023", "VISIO"],      # line 8
        ["8", "101", "59350S00", "", "SMS"],                  # line 9
        ["9", "101"],                                         # line 10
        ["10", "101", "59350S00", "05/01/2023", "SMS", "x"],  # line 11
        ["abc", "101", "59350S00", "05/01/2023", "SMS"],      # line 12
    ]
    files["situations.csv"] += [
        ["5", "101", "59350S00", "Emploi", "CDI", "TERMINE", "01/06/2023", "01/05/2023", ""],
        ["6", "101", "59350S00", "Emploi", "CDI", "EN_COURS", "01/06/2023", "", "GJ"],
    ]
    files["allocations.csv"] += [
        ["5", "101", "59350S00", "CEJ", "05/05/2023", "12.50"],     # line 6
        ["6", "101", "59350S00", "CEJ", "05/05/2023", "1 234,56"],  # line 7
        ["7", "101", "59350S00", "CEJ", "2023-05-05", "10,00"],     # line 8
    ]
    return files


def break_delimiter(folder: Path) -> None:
    write_export(folder, {"evenements.csv": export_files()["evenements.csv"]}, delimiter=",")


def drop_column(folder: Path) -> None:
    rows = [row[:-1] for row in export_files()["allocations.csv"]]
    write_export(folder, {"allocations.csv": rows})


def truncate_file(folder: Path) -> None:
    path = folder / "situations.csv"
    path.write_bytes(path.read_bytes()[:-25])


def undecodable(folder: Path) -> None:
    path = folder / "dossiers.csv"
    path.write_bytes(path.read_bytes().decode().encode("cp1252") + b"102;\x81\x8d\n")


def mixed_file(folder: Path) -> None:
    path = folder / "dossiers.csv"
    path.write_bytes(path.read_bytes() + "103;Lefèvre\n".encode("cp1252"))


def remove_file(folder: Path) -> None:
    (folder / "accompagnements.csv").unlink()


def empty_file(folder: Path) -> None:
    (folder / "accompagnements.csv").write_bytes(b"")


def unterminated_quote(folder: Path) -> None:
    path = folder / "evenements.csv"
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(3, '9;101;"59350S00;05/01/2023;SMS\n')
    path.write_text("".join(lines))
