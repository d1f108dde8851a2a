"""The MEL's PIA Jeunesse guide: actions as programmes, milestone figures, no personal data.

Expectations on the real guide were checked by hand against
../shared/corpus/mel_pia_jeunesse_guide_2020.txt (read there, never copied here). The synthetic
blocks at the end cover bad input: no carrier, an unparsable target public, a figure without
a label, a contact printed beside a title.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from extractors.documents import read_document
from extractors.lines import Document, Line
from extractors.pia_guide import KIND, extract, recognises
from extractors.pia_guide.ages import parse_ages
from extractors.pia_guide.communes import split_communes
from extractors.pia_guide.guide_mapping import load_mapping
from extractors.pia_guide.guide_text import Span
from extractors.pia_guide.milestone_figures import find_figures, read_figure
from extractors.reference import communes_by_name
from extractors.result import ExtractionResult
from tests.conftest import CORPUS

PIA_GUIDE = CORPUS / "mel_pia_jeunesse_guide_2020.txt"
AXES = {"employment_pathways", "mobility", "civic_engagement", "digital", "coordination"}
P, R = "programme_participants", "programme_youths_reached"


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


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+33|\b0)\s*\(?0?\)?\s*\d(?:[\s.]?\d{2}){4}\b")


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


# --- pieces -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "ages"), [
    ("Pour les jeunes de 16 à 25 ans", (16, 25)),
    ("LUTTE CONTRE LE DÉCROCHAGE DES 16-17 ans", (16, 17)),
    ("Pour les jeunes de moins de 26 ans", (None, 25)),
    ("Pour les jeunes de 13 à 30 ans, demandeurs d’emploi", (13, 30)),
    ("Pour les jeunes entre 16 et 25 ans de tout le territoire", (16, 25)),
    ("de 16 à 25 ans, pouvant aller jusqu’à 30 ans si le jeune est reconnu travailleur handicapé",
     (16, 25)),
    ("Pour les jeunes jusqu'à 25 ans", (None, 25)),
    ("Pour les étudiants de la Métropole Européenne de Lille", (None, None)),
])
def test_ages(text: str, ages: tuple[int | None, int | None]):
    parsed = parse_ages(text)
    assert (parsed.age_min, parsed.age_max) == ages and parsed.problem is None


def test_unparsable_ages_are_a_problem_not_a_guess():
    parsed = parse_ages("Pour les décrocheurs ayant quitté l’école après 16 ans")
    assert (parsed.age_min, parsed.age_max) == (None, None) and parsed.problem


@pytest.mark.parametrize(("label", "insee"), [
    ("BaisieuxChéreng", ["59044", "59146"]),
    ("WillemsForest- sur-Marque", ["59660", "59247"]),
    ("Englos Sequedin", ["59195", "59566"]),
    ("La Bassée Salomé", ["59051", "59550"]),
    ("Neuville-en-FerrainRoncq", ["59426", "59508"]),
    ("Perenchies", ["59457"]),
    ("Premesques", ["59470"]),
    ("Saint-André", ["59527"]),
    ("Hallennes", ["59278"]),
    ("Noyelles", ["59437"]),
    ("Villeneuve d’Ascq", ["59009"]),
    ("Beaucamps Ligny", ["59056"]),
    ("Lomme", ["59350"]),  # associated commune of Lille
    ("HellemmesLomme", ["59350", "59350"]),
    ("Quartier Faubourg", None),
])
def test_map_labels(label: str, insee: list[str] | None):
    found = split_communes(label, load_mapping())
    assert (None if found is None else [commune.insee for _, commune, _ in found]) == insee


@pytest.mark.parametrize(("text", "readings"), [
    ("• Mobilisation de 2000 jeunes.", [("fact", R, 2000)]),
    ("• Objectif : 1 500 jeunes accompagnés.", [("claim", "objectif jeunes accompagnes", 1500)]),
    ("• 45 kapseurs / objectif 75 kapseurs pour 2020.",
     [("fact", P, 45), ("claim", "objectif kapseurs pour 2020", 75)]),
    ("• Entrée en apprentissage le 01 / 07 ou le 01 / 09.", []),  # dates
    ("• Réduction de la durée d’engagement à 6 mois.", []),  # a duration
    ("• Co-construction d’un projet pour les 16-30 ans.", []),  # ages
    ("• Accompagnement de 32 jeunes sur 2 ans.", [("claim", "jeunes sur 2 ans", 32)]),
    ("• 32 ateliers avec 474 jeunes.", [("claim", "ateliers", 32), ("fact", R, 474)]),
    ("• Création du labo 148.", []),  # the action's own name
])
def test_milestone_figures(text: str, readings: list[tuple[str, str, int]]):
    rules = load_mapping().figures
    span = Span.join([Line(text, 1)])
    got = []
    for figure in find_figures(span, rules, name="LABO 148"):
        reading = read_figure(figure, rules, None)
        got.append((reading.reading, reading.indicator or reading.subject, figure.value))
    assert got == readings


# --- bad input ----------------------------------------------------------------------------

SYNTHETIC = """\
« INVESTIR DANS LES JEUNESSES »
 DÉVELOPPER LES CIRCUITS
COURTS DE MISE À L’EMPLOI
 POUR EN SAVOIR PLUS
Chargée de mission
Jeanne Exemple
jeanne.exemple@example.org
Tél : 06 12 34 56 78
UNE ACTION INNOVANTE...
• Qui innove.

L’action accompagne des jeunes.

ACTION SANS PORTEUR

2018
Démarrage
• 25 jeunes accompagnés.
• Réunions de quartier : 12.
• 9.

2019

Pour les jeunes de 16 à 25 ans

LES RESSOURCES
Une équipe.
 POUR EN SAVOIR PLUS
Paul Modèle
paul.modele@example.org
UNE ACTION INNOVANTE...
• Qui innove aussi.

Une autre action.

ACTION AU PUBLIC FLOU Paul Modèle paul.modele@example.org 03 20 00 00 00

2018
• 3 ateliers.

2020

Porteur de l’action : Association Exemple ; Ville de Lomme

Warneton
Lille
Radinghem-en-Weppes
Lomme

Pour les jeunes ayant quitté l’école après 16 ans

LES RESSOURCES
Un animateur.
"""


@pytest.fixture
def synthetic() -> ExtractionResult:
    lines = tuple(Line(text, number) for number, text in enumerate(SYNTHETIC.splitlines(), 1))
    return extract(Document("synthetic_guide.txt", "0" * 64, lines, None))


def _line_of(text: str) -> int:
    return next(n for n, line in enumerate(SYNTHETIC.splitlines(), 1) if line.startswith(text))


def test_synthetic_blocks_are_read(synthetic: ExtractionResult):
    first, second = synthetic.programmes
    assert first.name == "ACTION SANS PORTEUR" and first.carriers == ()
    assert (first.age_min, first.age_max, first.category) == (16, 25, "employment_pathways")
    assert second.name == "ACTION AU PUBLIC FLOU"
    assert second.carriers == ("Association Exemple", "Ville de Lomme")
    assert [(c.name, c.insee) for c in second.communes] == [("Lille", "59350")]  # Lomme
    assert [(f.indicator, f.year, f.value) for f in synthetic.facts] == [(P, 2018, 25)]
    assert [(c.year, c.value, c.subject) for c in synthetic.claims] == [
        (2018, 12, "reunions de quartier"), (2018, 3, "ateliers")]


def test_block_without_a_carrier_is_reported(synthetic: ExtractionResult):
    (issue,) = [i for i in synthetic.issues if "without a carrier" in i.reason]
    assert (issue.path, issue.line, issue.severity) == ("synthetic_guide.txt",
                                                        _line_of("ACTION SANS PORTEUR"), "warning")


def test_unparsable_target_public_is_reported(synthetic: ExtractionResult):
    (issue,) = [i for i in synthetic.issues if "target public" in i.reason]
    assert issue.line == _line_of("Pour les jeunes ayant quitté") and issue.severity == "warning"
    assert (synthetic.programmes[1].age_min, synthetic.programmes[1].age_max) == (None, None)
    assert synthetic.programmes[1].target_public == "Pour les jeunes ayant quitté l’école après 16 ans"


def test_figure_without_a_label_is_reported_not_published(synthetic: ExtractionResult):
    (issue,) = [i for i in synthetic.issues if "without a label" in i.reason]
    assert (issue.path, issue.line, issue.severity) == ("synthetic_guide.txt", _line_of("• 9."),
                                                        "warning")
    assert 9 not in [f.value for f in synthetic.facts] + [c.value for c in synthetic.claims]


def test_contact_beside_a_title_is_redacted(synthetic: ExtractionResult):
    second = synthetic.programmes[1]
    assert second.source.text == "ACTION AU PUBLIC FLOU [contact retiré]"
    dumped = json.dumps(synthetic.to_json(), ensure_ascii=False)
    assert "Paul Modèle" not in dumped and "Jeanne Exemple" not in dumped
    assert not EMAIL.search(dumped) and not PHONE.search(dumped)
