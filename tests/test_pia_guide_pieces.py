"""The MEL's PIA Jeunesse guide, split from test_pia_guide.py: its pieces (ages, communes,
milestone figures) and synthetic blocks of bad input: no carrier, an unparsable target public,
a figure without a label, a contact printed beside a title.
"""

from __future__ import annotations

import json

import pytest

from extractors.lines import Document, Line
from extractors.pia_guide import extract
from extractors.pia_guide.ages import parse_ages
from extractors.pia_guide.communes import split_communes
from extractors.pia_guide.guide_mapping import load_mapping
from extractors.pia_guide.guide_text import Span
from extractors.pia_guide.milestone_figures import find_figures, read_figure
from extractors.result import ExtractionResult

from pia_guide_patterns import EMAIL, PHONE, P, R

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
