"""A Mission Locale's web page (structure profile and actions): the Wattrelos-Leers page of the
corpus, checked by hand, and small synthetic pages for the edge cases."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from extractors import structure_page
from extractors.catalogue import load_catalogue
from extractors.documents import read_document
from extractors.extract import extract_path
from extractors.result import ExtractionResult

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
WATTRELOS_PAGE = CORPUS / "ml_wattrelos_leers_site_en.txt"
OTHER_DOCUMENTS = ["ml_mno_rapport_activite_2023.txt", "melt_rapport_activite_2023.txt",
                   "mel_pia_jeunesse_guide_2020.txt"]
WATTRELOS = {"commune": "Wattrelos", "commune_insee": "59650"}


@pytest.fixture
def wattrelos_page() -> Path:
    if not WATTRELOS_PAGE.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    return WATTRELOS_PAGE


@pytest.fixture
def result(wattrelos_page) -> ExtractionResult:
    return extract_path(wattrelos_page)


def _line(path: Path, number: int) -> str:
    return path.read_text(encoding="utf-8").splitlines()[number - 1]


# --- The Wattrelos-Leers page ---------------------------------------------------------------

def test_page_is_identified_from_its_content(result):
    assert (result.kind, result.year, result.structure) == ("ml_structure_page", 2014, "59650S00")
    assert not result.errors


def test_profile_facts(result, wattrelos_page):
    profile = {f.indicator: f for f in result.facts if f.table.startswith("profile@")}
    expected = {  # indicator: (value, unit, flags, line), read by hand on the page
        "territory_population": (42041, "count", ("year_from_page",), 5),
        "territory_population_share_under_44": (60, "percent", ("printed_approximate", "year_from_page"), 12),
        "territory_foreign_population": (2600, "count", ("printed_approximate", "year_from_page"), 19),
        "territory_unemployment_rate": (20, "percent", ("printed_lower_bound", "year_from_page"), 21),
    }
    assert {code: (f.value, f.unit, f.flags, f.source.line) for code, f in profile.items()} == expected
    for fact in profile.values():
        assert fact.dimensions == WATTRELOS and fact.year == 2014 and fact.structure == "59650S00"
        assert fact.source.text == _line(wattrelos_page, fact.source.line)


def test_territory_communes(result):
    territory = sorted((f.dimensions["commune"], f.dimensions["commune_insee"], f.value, f.source.line)
                       for f in result.facts if f.indicator == "structure_page_territory_commune")
    assert territory == [("Leers", "59339", 1, 27), ("Wattrelos", "59650", 1, 27)]


def test_programmes(result):
    programmes = {(p.key, p.name, p.category, p.carriers, p.first_year, p.last_year, p.source.line)
                  for p in result.programmes}
    ml = "Mission Locale Wattrelos-Leers"
    assert programmes == {
        ("visit_strasbourg_parliament", "Visit Strasbourg parliament", "ml_action", (ml,), 2014, 2014, 40),
        ("visit_toyota_factory", "Visit Toyota factory", "ml_action", (ml,), None, None, 43),
        ("rencontres_pro", "rencontres-pro", "ml_action", (ml, "acti-jeunes", "horizon9"), None, None, 46),
        ("alberville_forum", "Alberville Forum", "ml_action", (ml,), None, None, 49),
        ("charter_of_good_practices", "Charter of good practices", "partnership", (ml, "FACE"), 2008, None, 82),
        ("permis_sport_emploi", "Permis Sport Emploi", "partnership", (ml, "FACE"), 2014, 2014, 86),
    }
    for programme in result.programmes:
        assert programme.structure == "59650S00" and programme.year == 2014
        assert programme.age_min is None and programme.communes == () and programme.national_scheme is None
    permis = next(p for p in result.programmes if p.key == "permis_sport_emploi")
    assert permis.aliases == ("Sport/job/driver's licence",)
    assert permis.description.startswith("A driving license, a job, and sport !")


def test_programme_participants(result):
    participants = {(f.dimensions["programme"], f.value, f.year, f.flags, f.source.line)
                    for f in result.facts if f.indicator == "programme_participants"}
    assert participants == {
        ("alberville_forum", 30, 2014, ("year_from_page",), 49),  # "accompanied 30 young people"
        ("permis_sport_emploi", 6, 2014, (), 88),  # "Six young people ... 31th of march 2014"
    }
    keys = {p.key for p in result.programmes}
    assert all(f.dimensions["programme"] in keys for f in result.facts if "programme" in f.dimensions)


def test_claims(result):
    claims = {(c.value, c.unit, c.subject, c.source.line) for c in result.claims}
    assert claims == {
        (1_200_000, "count", "inhabitants", 9), (2_000_000, "count", "inhabitants", 9),
        (43_000, "count", "inhabitants", 10), (2000, "count", "employees", 14),
        (3500, "count", "jobs per year", 49), (13, "count", "french industrial groups", 69),
        (4000, "count", "businesses", 69), (5, "count", "axes", 74),
    }
    assert all(c.year == 2014 and c.structure == "59650S00" for c in result.claims)


def test_other_units_and_unlabelled_figures_are_kept_for_review(result, wattrelos_page):
    items = {(i.value_text.replace("\xa0", " "), i.value, i.source.line) for i in result.review_items}
    assert items == {("13,62 km2", 13.62, 7), ("14 km", 14, 9), ("15 km", 15, 9), ("17 km", 17, 9),
                     ("200 km", 200, 9), ("90 hectares", 90, 14),
                     ("2", 2, 37), ("3", 3, 37), ("4", 4, 37)}
    area = next(i for i in result.review_items if i.source.line == 7)
    assert "territory_area_km2" in area.reason and "km2" in area.reason
    [warning] = result.issues
    assert warning.severity == "warning" and warning.path == str(wattrelos_page) and warning.line == 37
    assert "without a label" in warning.reason and "2, 3, 4" in warning.reason


def test_no_personal_data_and_every_record_serialises(result):
    records = json.dumps(result.to_json(), ensure_ascii=False)
    for personal in ("THIERY", "Santolini", "Dimitrova", "Castelein", "06 77 26 06 14", "683 98 77 15"):
        assert personal not in records


def test_indicators_are_declared_in_the_catalogue(result):
    catalogue = load_catalogue()
    for fact in result.facts:
        indicator = catalogue[fact.indicator]
        assert indicator.unit == fact.unit and "ml_structure_page" in indicator.reports
        assert indicator.grain in ("structure", "programme")


# --- Recognition -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", OTHER_DOCUMENTS)
def test_other_corpus_documents_are_not_structure_pages(name):
    path = CORPUS / name
    if not path.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    assert not structure_page.recognises(read_document(path))


def test_recognition_ignores_the_file_name(wattrelos_page, tmp_path):
    renamed = tmp_path / "ml_mno_rapport_activite_2023.txt"
    shutil.copy(wattrelos_page, renamed)
    assert structure_page.recognises(read_document(renamed))
    blank = tmp_path / "ml_wattrelos_leers_site_en.txt"
    blank.write_text("Compte rendu de réunion du 3 mars.\n", encoding="utf-8")
    assert not structure_page.recognises(read_document(blank))


# --- Synthetic pages -------------------------------------------------------------------------

CHROME = ("We use cookies to improve your visit of our website.\nskip to content\n",
          "Follow us on social networks: Facebook, Twitter\n")


def _page(tmp_path: Path, body: str, chrome: tuple[str, str] = CHROME) -> Path:
    path = tmp_path / "page.txt"
    path.write_text(chrome[0] + body + chrome[1], encoding="utf-8")
    return path


def test_figure_without_a_label_is_reported_with_file_and_line(tmp_path):
    path = _page(tmp_path, "  • 42041 inhabitants\n1 234\n"
                           "Website: mission locale de Wattrelos-Leers, activity 2014.\n")
    result = extract_path(path)
    assert result.kind == "ml_structure_page"
    [warning] = result.issues
    assert (warning.path, warning.line, warning.severity) == (str(path), 4, "warning")
    assert "1 234" in str(warning) and "line 4" in str(warning)
    [item] = [i for i in result.review_items if i.source.line == 4]
    assert (item.value, item.reason, item.source.path) == (1234, "no label next to it", str(path))
    assert all(f.value != 1234 for f in result.facts) and all(c.value != 1234 for c in result.claims)


def test_french_wording_of_the_same_profile_figure_maps_through_the_yaml(tmp_path):
    banner = ("Nous utilisons des cookies pour améliorer votre visite de notre site internet.\n"
              "Aller au contenu\n")
    chrome = (banner, "Suivez-nous sur Facebook et Twitter\n")
    body = ("  • 42 041 habitants\n"
            "Wattrelos est une ville du Nord à la frontière belge. Le taux de chômage "
            "est de plus de 20 % sur la commune.\n"
            "Qui sommes-nous ?\n"
            "La Mission Locale de Wattrelos-Leers accueille les jeunes de 16 à 25 ans. "
            "Bilan d'activité 2015.\n")
    path = _page(tmp_path, body, chrome)
    assert structure_page.recognises(read_document(path))
    result = extract_path(path)
    assert (result.kind, result.year, result.structure) == ("ml_structure_page", 2015, "59650S00")
    facts = {f.indicator: (f.value, f.dimensions, f.flags) for f in result.facts
             if f.table.startswith("profile@")}
    assert facts == {
        "territory_population": (42041, WATTRELOS, ("year_from_page",)),
        "territory_unemployment_rate": (20, WATTRELOS, ("printed_lower_bound", "year_from_page")),
    }
    assert not result.issues and not result.review_items  # "16 à 25 ans" is an age, not a figure


def test_page_naming_no_year_publishes_no_fact(tmp_path):
    path = _page(tmp_path, "  • 42041 inhabitants\nWebsite: mission locale de Wattrelos-Leers.\n")
    result = extract_path(path)
    assert result.kind == "ml_structure_page" and result.year is None
    assert result.facts == [] and result.claims == []
    assert {i.value for i in result.review_items} == {42041, 1}  # population, territory communes
    assert [i.severity for i in result.issues] == ["warning"]


def test_page_without_chrome_or_key_figure_is_not_a_structure_page(tmp_path):
    no_chrome = _page(tmp_path, "  • 42041 inhabitants\nMission Locale Wattrelos-Leers\n", ("", ""))
    assert not structure_page.recognises(read_document(no_chrome))
    no_figure = _page(tmp_path, "Mission Locale Wattrelos-Leers, since 2008.\n")
    assert not structure_page.recognises(read_document(no_figure))


def test_unmapped_key_figure_is_a_claim_and_contacts_are_redacted(tmp_path):
    path = _page(tmp_path, "  • 42041 inhabitants\n  • 1200 young people welcomed\n"
                           "Website: mission locale de Wattrelos-Leers, activity 2014.\n"
                           "Contact: 12 workshops per year, call 03 20 65 51 10 or x@example.org.\n")
    result = extract_path(path)
    assert {f.indicator for f in result.facts} == {"territory_population", "structure_page_territory_commune"}
    claims = {(c.value, c.subject, c.source.line): c for c in result.claims}
    assert set(claims) == {(1200, "young people welcomed", 4), (12, "workshops per year", 6)}
    workshops = claims[(12, "workshops per year", 6)]
    assert "03 20" not in workshops.source.text and "example.org" not in workshops.sentence
    assert "[phone]" in workshops.source.text
