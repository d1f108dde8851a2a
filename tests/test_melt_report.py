"""The Mission Emploi Lys-Tourcoing's annual report: key figures checked by hand against the
real 2023 edition (read from ../shared/corpus, never copied here), its territory and
programmes, the figures kept for review. Synthetic texts: test_melt_report_texts.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import CORPUS

from extractors import melt_report
from extractors.catalogue import load_catalogue
from extractors.documents import read_document
from extractors.extract import extract_path
from extractors.melt_report.report_mapping import edition_for
from extractors.programmes import programme_key
from extractors.reference import normalise_label
from extractors.result import ExtractionResult

MELT_2023 = CORPUS / "melt_rapport_activite_2023.txt"
STRUCTURE = "59599S00"
KIND = melt_report.KIND

CEJ = programme_key("Contrat d’Engagement Jeune")
PACEA = programme_key(
    "Parcours Contractualisé d’Accompagnement vers l’Emploi et l’Autonomie")
PLIE = programme_key("Plan Local pour l’Insertion et l’Emploi")
COMPULSORY = programme_key("Obligation de formation")
MENTORING = programme_key("Parrainage")
MOBILE = programme_key("Équipe mobile")
CIVIC = programme_key("Service Civique")
GRADUATES = programme_key("Jeunes diplômés")
TZCLD = programme_key("Territoire Zéro Chômeur de Longue Durée")
FAJEM = programme_key("Fonds d’Aide aux Jeunes en Métropole")


@pytest.fixture(scope="module")
def melt_2023() -> Path:
    if not MELT_2023.is_file():
        pytest.skip("../shared/corpus is not beside the project")
    return MELT_2023


@pytest.fixture(scope="module")
def result(melt_2023: Path) -> ExtractionResult:
    return extract_path(melt_2023)


def _facts(result: ExtractionResult, indicator: str, programme: str | None = None) -> list:
    return [fact for fact in result.facts if fact.indicator == indicator
            and fact.dimensions.get("programme") == programme]


# --- The real 2023 report ------------------------------------------------------------------

def test_recognised_from_its_content_with_year_and_structure(result):
    assert (result.kind, result.year, result.structure) == (KIND, 2023, STRUCTURE)
    assert result.errors == []


@pytest.mark.parametrize("path", sorted(path.name for path in CORPUS.glob("*.txt"))
                         if CORPUS.is_dir() else [])
def test_recognises_only_the_melt_report(path):
    document = read_document(CORPUS / path)
    assert melt_report.recognises(document) == (path == MELT_2023.name)


# Hand-checked against the document: value, indicator (programme) and the line of the figure.
EXPECTED = [
    ("incoming_calls", None, 13740, 968),  # "13 740 / appels entrants"
    ("key_new_registrations", None, 1340, 971),  # "1 340 / nouveaux inscrits"
    ("reception_visits", None, 23173, 974),  # "23 173 passages (prise de RDV, ...)"
    ("social_clause_operations", None, 34, 364),
    ("social_clause_hours", None, 44183, 366),  # "44 183 heures / réalisées"
    ("social_clause_fte", None, 24, 369),
    ("social_clause_employment_contracts", None, 164, 385),
    ("social_clause_beneficiaries", None, 142, 388),
    ("social_clause_hours_qpv_share", None, 40, 393),
    ("social_clause_metropolis_hours", None, 182542, 531),  # label across a blank line
    ("social_clause_metropolis_employment_contracts", None, 397, 537),
    ("social_clause_metropolis_beneficiaries", None, 351, 540),
    ("territory_communes_count", None, 11, 154),
    ("territory_border_communes_count", None, 8, 154),
    ("programme_participants", PACEA, 1462, 1201),
    ("melt_programme_new_entries", PACEA, 726, 1202),
    ("melt_programme_new_entries", CEJ, 1134, 1324),  # "personnes ont démarré un CEJ en 2023"
    ("melt_programme_employment_contracts", CEJ, 1606, 1312),
    ("melt_programme_training_entries", CEJ, 343, 1321),
    ("melt_programme_pmsmp", CEJ, 238, 1322),  # "formation 238 PMSMP"
    ("melt_programme_interviews", CEJ, 14424, 1303),
    ("melt_programme_positive_outcomes_rate", CEJ, 31.8, 1328),
    ("melt_programme_professional_situations", CEJ, 1107, 1308),  # in a sentence
    ("programme_participants", PLIE, 1002, 1504),
    ("melt_programme_new_entries", PLIE, 410, 1505),
    ("melt_programme_positive_outcomes_rate", PLIE, 48, 1507),
    ("melt_programme_interviews", PLIE, 5360, 1552),
    ("melt_programme_youths_in_contact", COMPULSORY, 699, 1398),
    ("melt_programme_new_entries", COMPULSORY, 339, 1403),
    ("melt_programme_interviews", COMPULSORY, 2060, 1405),  # 2060 is no year
    ("programme_participants", MENTORING, 301, 1618),
    ("melt_programme_entries_into_support", MOBILE, 169, 912),  # "169jeunes repérés"
    ("programme_participants", CIVIC, 191, 2204),
    ("programme_participants", GRADUATES, 252, 1460),
    ("programme_participants", TZCLD, 56, 734),
    ("melt_programme_aid_granted", FAJEM, 427, 2110),
    ("melt_programme_aid_amount", FAJEM, 152420, 2111),
    ("apprenticeship_contracts", None, 196, 2335),
    ("staff_headcount", None, 107, 3008),
    ("staff_fte", None, 104.25, 2989),
]


@pytest.mark.parametrize("indicator, programme, value, line", EXPECTED)
def test_key_figure(result, indicator, programme, value, line):
    facts = _facts(result, indicator, programme)
    assert len(facts) == 1, facts
    fact = facts[0]
    assert (fact.value, fact.source.line) == (value, line)
    assert (fact.year, fact.structure, fact.is_total) == (2023, STRUCTURE, False)
    assert fact.source.path == str(MELT_2023) and len(fact.source.sha256) == 64
    assert fact.source.text == read_document(MELT_2023).lines[line - 1].text


def test_facts_follow_the_catalogue(result):
    catalogue = load_catalogue()
    programme_keys = {programme.key for programme in result.programmes}
    for fact in result.facts:
        indicator = catalogue[fact.indicator]
        assert KIND in indicator.reports and indicator.unit == fact.unit, fact
        if indicator.grain == "programme":
            assert set(fact.dimensions) == {"programme"}
            assert fact.dimensions["programme"] in programme_keys
        elif fact.indicator != "territory_commune":
            assert indicator.grain == "structure" and fact.dimensions == {}
    assert len({(fact.indicator, tuple(sorted(fact.dimensions.items())))
                for fact in result.facts}) == len(result.facts)


def test_no_fact_is_on_a_line_without_its_label(result, melt_2023):
    """Each published figure's line, or the lines directly attached below it (no blank line
    between), holds words of the mapped wording that labels it."""
    lines = [line.text for line in read_document(melt_2023).lines]
    edition = edition_for(2023)

    def about(spec) -> str | None:
        return programme_key(edition.programme(spec.programme).name) if spec.programme else None

    for fact in result.facts:
        if fact.indicator == "territory_commune":
            continue
        wording = next(spec.wording for spec in edition.figures
                       if "{" + fact.indicator + "}" in spec.wording
                       and about(spec) == fact.dimensions.get("programme"))
        label = set(re.findall(r"[a-z]{4,}", normalise_label(re.sub(r"\{.*?\}", " ", wording))))
        attached = []
        for text in lines[fact.source.line - 1:fact.source.line + 3]:
            if not text.strip():
                break
            attached.append(text)
        words = set(re.findall(r"[a-z]{4,}", normalise_label(" ".join(attached))))
        assert len(label & words) >= min(2, len(label)), (fact.indicator, fact.source.line)


def test_bare_or_glued_figures_are_never_published(result):
    published = {fact.source.line for fact in result.facts}
    # "224" alone above "Contrats signés"; "217" glued to "EN 2023"; "127" glued after
    # "Contrats de travail signés"; the "Nombre d'entreprises informées" figures printed far
    # from their labels; the CLAP figures printed under labels that may not be theirs.
    for line in (343, 903, 2458, 561, 563, 565, 2540, 2545, 2552):
        assert line not in published


def test_territory_lists_its_eleven_communes_with_insee_codes(result):
    communes = {fact.dimensions["commune"]: fact.dimensions["commune_insee"]
                for fact in result.facts if fact.indicator == "territory_commune"}
    assert communes == {
        "Bondues": "59090", "Bousbecque": "59098", "Comines": "59152", "Deûlémont": "59173",
        "Halluin": "59279", "Linselles": "59352", "Mouvaux": "59421",
        "Neuville-en-Ferrain": "59426", "Tourcoing": "59599", "Warneton": "59643",
        "Wervicq-Sud": "59656"}
    lines = {fact.dimensions["commune"]: fact.source.line
             for fact in result.facts if fact.indicator == "territory_commune"}
    assert (lines["Bondues"], lines["Tourcoing"], lines["Wervicq-Sud"]) == (155, 156, 157)
    assert all(fact.value == 1 for fact in result.facts if fact.indicator == "territory_commune")


def test_a_conflicting_count_of_communes_is_reported(result):
    conflicts = [issue for issue in result.issues if "12 communes" in issue.reason]
    assert len(conflicts) == 1 and conflicts[0].line == 2739
    assert conflicts[0].severity == "warning"


def test_programmes_the_report_describes(result):
    programmes = {programme.key: programme for programme in result.programmes}
    schemes = {key: programmes[key].national_scheme for key in
               (CEJ, PACEA, PLIE, COMPULSORY, MENTORING, CIVIC, FAJEM)}
    assert schemes == {CEJ: "cej", PACEA: "pacea", PLIE: "plie",
                       COMPULSORY: "compulsory_training", MENTORING: "mentoring",
                       CIVIC: "civic_service", FAJEM: "faj"}
    assert programmes[MOBILE].national_scheme is None
    lines = {key: programmes[key].source.line
             for key in (CEJ, PLIE, COMPULSORY, MENTORING, MOBILE)}
    assert lines == {CEJ: 1252, PLIE: 1470, COMPULSORY: 1354, MENTORING: 1588, MOBILE: 859}
    assert {key: programmes[key].first_year for key in (CEJ, COMPULSORY, MOBILE)} \
        == {CEJ: 2022, COMPULSORY: 2020, MOBILE: 2019}
    assert (programmes[COMPULSORY].age_min, programmes[COMPULSORY].age_max) == (16, 17)
    assert (programmes[CIVIC].age_min, programmes[CIVIC].age_max) == (16, 25)
    assert (programmes[MOBILE].age_min, programmes[MOBILE].age_max) == (16, 25)
    assert programmes[PLIE].age_min is None
    assert "travailleurs handicapés" in programmes[PLIE].target_public
    for programme in result.programmes:
        assert (programme.structure, programme.year) == (STRUCTURE, 2023)
        assert programme.carriers == ("Mission Emploi Lys-Tourcoing",)
        assert programme.last_year is None and programme.communes == ()
    assert len(result.programmes) >= 15


def test_figures_of_uncertain_meaning_are_kept_for_review(result):
    items = {(item.source.line, item.value_text): item for item in result.review_items}
    assert len(result.review_items) > 100
    assert "no label next to it" in items[(343, "224")].reason
    assert "glued after «Contrats de travail signés»" in items[(2458, "127")].reason
    assert "glued after «L’ÉQUIPE MOBILE EN 2023»" in items[(903, "217")].reason
    assert "does not publish it" in items[(1203, "6818")].reason
    assert "«TOTAL : 698»" in items[(1576, "698")].reason
    assert "may also be 2 figures (855 | 177)" in items[(2243, "855 177")].reason
    assert "body text" in items[(2998, "99")].reason  # "99/100 est le score de l'index..."
    for item in result.review_items:
        assert item.source.path == str(MELT_2023) and item.source.line > 0
        assert item.source.text.strip() in item.context
        assert item.year == 2023 and item.structure == STRUCTURE
    summary = [issue for issue in result.issues if "kept for review" in issue.reason]
    assert len(summary) == 1 and str(len(result.review_items)) in summary[0].reason


def test_dates_phones_postcodes_years_and_folios_are_not_figures(result):
    reviewed = {item.source.line for item in result.review_items}
    # 247 a date and times, 278 a postcode, 286 a phone, 149 and 2496 page folios, 2750 years,
    # 3241 a SIRET, 3054-3062 a chart's scale, 1183... are percentages without labels (kept).
    for line in (247, 278, 286, 149, 2496, 2750, 3241, 3054, 3062, 1212):
        assert line not in reviewed
    assert 1183 in reviewed


def test_no_personal_data_in_review_contexts(result):
    phone = re.compile(r"(?<![\w+])0[1-9](?:[\s.-]?\d{2}){4}(?!\w)")
    for item in result.review_items:
        assert not phone.search(item.context) and "@" not in item.context
