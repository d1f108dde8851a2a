"""The MEL's PIA Jeunesse guide: actions as programmes, milestone figures, no personal data.

Expectations on the real guide were checked by hand against
../shared/corpus/mel_pia_jeunesse_guide_2020.txt (read there, never copied here). The pieces
(ages, communes, milestone figures) and the synthetic blocks of bad input are in
test_pia_guide_pieces.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.documents import read_document
from extractors.pia_guide import KIND, extract, recognises
from extractors.reference import communes_by_name
from extractors.result import ExtractionResult
from tests.conftest import CORPUS

from pia_guide_patterns import EMAIL, PHONE, P, R

PIA_GUIDE = CORPUS / "mel_pia_jeunesse_guide_2020.txt"
AXES = {"employment_pathways", "mobility", "civic_engagement", "digital", "coordination"}


@pytest.fixture(scope="module")
def pia_guide() -> Path:
    if not PIA_GUIDE.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    return PIA_GUIDE


@pytest.fixture(scope="module")
def result(pia_guide: Path) -> ExtractionResult:
    return extract(read_document(pia_guide))


# The 40 action titles, in print order (counted by hand: 11 + 6 + 13 + 7 + 3 per axis).
TITLES = [
    "LUTTE CONTRE LE DÉCROCHAGE SCOLAIRE ET SOCIAL DES 16 - 17 ANS", "FORUM EMPLOI",
    "GÉNÉRALISATION DES CIRCUITS COURTS", "CONNECT’EMPLOI", "PARCOURS SPORT EMPLOI",
    "DÉCLIC’SPORTIF", "PARCOURS INVERSÉS", "SOUTIEN À L’ENTREPRENEURIAT DES JEUNES",
    "CLAP MÉTROPOLITAINS", "FABRIQUE TA VILLE", "FIBR’&CO",
    "PERMIS DE RÉCIPROCITÉ", "PLATEFORME MOBILITÉ", "PASS TRANSFRONTALIER",
    "FABRIQUE CITOYENNE DES MOBILITÉS", "RÉFLEXE MOBILITÉ INTERNATIONALE",
    "COOP LAB DES PROJETS INTERNATIONAUX",
    "UNIVERSITÉ POPULAIRE ET PERMANENTE DE LA JEUNESSE",
    "VERS UN PARCOURS CITOYEN ÉDUCATIF ET FORMATEUR", "L’ENGAGEMENT ÇA SE PARTAGE",
    "PLATEFORME SERVICE CIVIQUE", "PROGRAMME BOOSTER", "DÉVELOPPEMENT DU SERVICE CIVIQUE SUR LA MEL",
    "COUP DE POUCE CITOYEN", "RAPPORT GAGNANT-GAGNANT", "KAPS : KOLOCATION À PROJETS SOLIDAIRES",
    "VALORISATION DE L’ENGAGEMENT ÉTUDIANT", "PLATEFORME UP LILLE !", "COOP MONS",
    "CONCIERGERIE DE QUARTIER À MOULINS",
    "INTERNET ET LES RÉSEAUX SOCIAUX, UNE ÉDUCATION À RENFORCER", "PARCOURS NUMÉRIQUE DE TERRITOIRE",
    "PIJ NUMÉRIQUE", "ÉDUCATION POPULAIRE PAR ET POUR LE NUMÉRIQUE", "LABO 148", "WI-FILLES",
    "ÉQUIPEMENT DES STRUCTURES D’INFORMATION JEUNESSE DE PROXIMITÉ",
    "VERS UNE COOPÉRATION LOCALE JEUNESSE", "ANIMATION TERRITORIALE DES LIEUX DE CAPTATION DES JEUNES",
    "COORDONNER LA PRISE EN CHARGE DES JEUNES AUX ÉCHELLES LOCALES ET INTERCOMMUNALES",
]

# name: (category, carriers, (age_min, age_max), commune INSEE codes, (first_year, last_year),
#        facts [(indicator, year, value, line)], claims [(year, value, subject)])
HAND_CHECKED = {
    "LUTTE CONTRE LE DÉCROCHAGE SCOLAIRE ET SOCIAL DES 16 - 17 ANS": (
        "employment_pathways", ("Itinéraires",), (None, None), ("59350",), (2017, 2020),
        [(P, 2017, 40, 172)], []),
    "FORUM EMPLOI": (
        "employment_pathways", ("villes d’Haubourdin et de Loos",), (13, 30), ("59286", "59360"),
        (2017, 2020), [(R, 2017, 700, 388)], []),
    "GÉNÉRALISATION DES CIRCUITS COURTS": (
        "employment_pathways", ("Maison de l’Emploi de Lille, Lomme, Hellemmes",), (13, 30),
        ("59350",), (2017, 2020), [],
        [(2018, 62, "actions deployees"), (2018, 30, "circuits courts"),
         (2018, 21, "actions jeunes/mission locale"), (2018, 11, "mediations")]),
    "CONNECT’EMPLOI": (
        "employment_pathways", ("Mission Locale Métropole Sud",), (16, 25), (), (2017, 2020), [],
        [(2017, 2, "conseilleres"), (2020, 149, "jeunes accompagnes"),
         (2020, 98, "entreprises partenaires")]),
    "FABRIQUE TA VILLE": (
        "employment_pathways", ("ville de Lomme",), (16, 25), (), (2018, 2020),
        [(P, 2018, 4, 2137), (P, 2018, 7, 2140)],
        [(2019, 32, "jeunes sur 2 ans"), (2019, 8, "par session")]),
    "FABRIQUE CITOYENNE DES MOBILITÉS": (
        "mobility", ("CRIJ Hauts-de-France",), (13, 30), (), (2019, 2021),
        [(P, 2019, 21, 3277)], [(2021, 60, "jeunes beneficiaires")]),
    "RÉFLEXE MOBILITÉ INTERNATIONALE": (
        "mobility", ("ADICE",), (18, 30), (), (2017, 2020),
        [(P, 2017, 100, 3355)], [(2019, 1500, "objectif jeunes accompagnes")]),
    "PLATEFORME SERVICE CIVIQUE": (
        "civic_engagement", ("Mission locale Lille",), (16, 25), ("59350",), (2017, 2019),
        [(R, 2017, 474, 3875)],
        [(2017, 32, "ateliers d'information et de sensibilisation"), (2017, 267, "missions creees"),
         (2018, 365, "missions creees")]),
    "KAPS : KOLOCATION À PROJETS SOLIDAIRES": (
        "civic_engagement", ("AFEV",), (None, None), ("59350",), (2018, 2020),
        [(P, 2018, 31, 4960), (P, 2019, 45, 4972)], [(2019, 75, "objectif kapseurs pour 2020")]),
    "PLATEFORME UP LILLE !": (
        "civic_engagement", ("Groupe SOS",), (19, 25), (), (2017, 2019), [], []),
    "LABO 148": ("digital", ("La Condition Publique",), (15, 30), (), (2017, 2019), [], []),
    "WI-FILLES": ("digital", ("FACE MEL",), (13, 17), (), (2019, 2021), [], []),
    "COORDONNER LA PRISE EN CHARGE DES JEUNES AUX ÉCHELLES LOCALES ET INTERCOMMUNALES": (
        "coordination", ("villes de Croix, Hem, Lys-Les-Lannoy, Roubaix",), (13, 30), (),
        (2017, 2020), [], []),
}

# (line, words of the reason): every issue the guide gives, checked by hand.
EXPECTED_ISSUES = [
    (345, "target public: age condition not parsable"),  # "... ayant quitté l'école après 16 ans"
    (1433, "scope relative to a commune the text does not name"),  # "et ses communes limitrophes"
    (1746, "not a known commune"),  # "Quartier Faubourg / de BéthuneHerlies": a map highlight
    (3297, "dated after the guide's edition year 2020"),  # 2021: "60 jeunes bénéficiaires"
    (5475, "the map's commune labels stop before 'Radinghem-en-Weppes'"),  # UP Lille's map
]


def test_the_guide_is_recognised_and_dated(pia_guide: Path, result: ExtractionResult):
    assert recognises(read_document(pia_guide))
    assert (result.kind, result.year, result.structure) == (KIND, 2020, None)
    assert not result.errors


def test_every_action_is_a_programme(result: ExtractionResult):
    assert [programme.name for programme in result.programmes] == TITLES
    assert len({programme.key for programme in result.programmes}) == 40
    for programme in result.programmes:
        assert programme.category in AXES
        assert programme.carriers, programme.name
        assert programme.year == 2020 and programme.structure is None
        assert programme.first_year and programme.last_year
        assert programme.target_public and programme.resources and programme.description
        assert programme.source.text.strip() in programme.name
    known = {commune.insee for commune in communes_by_name().values()}
    assert all(c.insee in known for p in result.programmes for c in p.communes)
    per_axis = [sum(p.category == axis for p in result.programmes) for axis in
                ("employment_pathways", "mobility", "civic_engagement", "digital", "coordination")]
    assert per_axis == [11, 6, 13, 7, 3]


@pytest.mark.parametrize("name", sorted(HAND_CHECKED))
def test_hand_checked_actions(result: ExtractionResult, name: str):
    category, carriers, ages, communes, years, facts, claims = HAND_CHECKED[name]
    (programme,) = [p for p in result.programmes if p.name == name]
    assert programme.category == category
    assert programme.carriers == carriers
    assert (programme.age_min, programme.age_max) == ages
    assert tuple(c.insee for c in programme.communes) == communes
    assert (programme.first_year, programme.last_year) == years
    assert programme.national_scheme is None
    got_facts = [(f.indicator, f.year, f.value, f.source.line) for f in result.facts
                 if f.dimensions == {"programme": programme.key}]
    assert got_facts == facts
    for fact in result.facts:
        assert fact.unit == "count" and fact.structure is None and not fact.is_total
    got_claims = [(c.year, c.value, c.subject) for c in result.claims
                  if _owner(result, c.source.line) is programme]
    assert got_claims == claims


def _owner(result: ExtractionResult, line: int):
    """The programme of a claim: claims carry no programme key, only their place; a block's
    figures are printed after its title and before the next title."""
    return max((p for p in result.programmes if p.source.line < line), key=lambda p: p.source.line)


def test_totals_and_issues(result: ExtractionResult):
    assert (len(result.programmes), len(result.facts), len(result.claims)) == (40, 15, 17)
    assert {f.indicator for f in result.facts} == {P, R}
    got = [(issue.line, issue.reason) for issue in result.issues]
    assert len(got) == len(EXPECTED_ISSUES)
    for (line, reason), (want_line, words) in zip(got, EXPECTED_ISSUES):
        assert line == want_line and words in reason
    assert all(issue.severity == "warning" and issue.path.endswith(".txt") for issue in result.issues)



def contact_names(path: Path) -> set[str]:
    """The persons named in the guide's "POUR EN SAVOIR PLUS" boxes: the line above each
    e-mail address ("Aline Messaoudi, Roubaix" gives "Aline Messaoudi")."""
    lines = path.read_text(encoding="utf-8").splitlines()
    names: set[str] = set()
    in_box = False
    previous = ""
    for text in lines:
        stripped = text.strip()
        if stripped.startswith("POUR EN SAVOIR PLUS"):
            in_box = True
        elif stripped.startswith("UNE ACTION INNOVANTE"):
            in_box = False
        elif in_box and "@" in stripped and previous and "@" not in previous:
            names.add(previous.split(",")[0].strip())
        if stripped:
            previous = stripped
    return names


def test_no_personal_data_in_any_record(pia_guide: Path, result: ExtractionResult):
    dumped = json.dumps(result.to_json(), ensure_ascii=False)
    names = contact_names(pia_guide)
    assert len(names) >= 40 and "Francine Blas" in names and "Aline Messaoudi" in names
    assert not EMAIL.search(dumped), EMAIL.search(dumped)
    assert not PHONE.search(dumped), PHONE.search(dumped)
    assert [name for name in names if name in dumped] == []


@pytest.mark.parametrize("path", sorted(p.name for p in CORPUS.glob("*.txt")) or ["(none)"])
def test_other_documents_are_not_the_guide(path: str):
    if path == "(none)":
        pytest.skip("../shared/corpus is not beside the project")
    document = read_document(CORPUS / path)
    assert recognises(document) == (path == PIA_GUIDE.name)
