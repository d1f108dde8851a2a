"""The I-MILO export generator (sample_inputs/imilo): the documented format, determinism,
encodings, files exported twice and the identity columns the pseudonymisation removes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from imilo_export_checks import YEAR, assert_calibrated, digest, read_export
from sample_inputs.imilo import write_export
from sample_inputs.imilo.codes import FILES, IDENTITY_COLUMNS


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
