"""Headline claims: figures stated in prose, checked by hand on the real 2023 ML MNO report
and on small synthetic texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.activity_report import extract_activity_report
from extractors.activity_report.prose_claims import extract_claims
from extractors.claims import Claim
from extractors.documents import read_document
from extractors.lines import Document
from extractors.reference import communes_by_name, normalise_label

STRUCTURE = "59386S00"


@pytest.fixture
def claims_2023(mno_2023: Path) -> tuple[Document, list[Claim]]:
    document = read_document(mno_2023)
    return document, extract_claims(document, 2023, STRUCTURE)


def _find(claims: list[Claim], value: float, unit: str, year: int | None = None) -> list[Claim]:
    return [claim for claim in claims if claim.value == value and claim.unit == unit
            and (year is None or claim.year == year)]


def _one(claims: list[Claim], value: float, unit: str, line: int, year: int = 2023) -> Claim:
    found = [claim for claim in _find(claims, value, unit, year) if claim.source.line == line]
    assert len(found) == 1, found
    return found[0]


# --- The real 2023 report ----------------------------------------------------------------

def test_headline_count_on_one_line(claims_2023):
    document, claims = claims_2023
    claim = _one(claims, 679, "count", line=5)
    assert claim.kind == "count" and claim.subject == "nouvelles inscriptions"
    assert claim.comparison_year is None and claim.year == 2023 and claim.structure == STRUCTURE
    assert claim.sentence == "La ML MNO a réalisé 679 nouvelles inscriptions en 2023."
    assert claim.lines == (5,)
    assert claim.source.text == claim.sentence and claim.source.sha256 == document.sha256
    assert claim.source.page is None and claim.source.bbox is None


def test_wrapped_change_sentence(claims_2023):
    _, claims = claims_2023
    claim = _one(claims, 8, "percent", line=64)
    assert claim.kind == "change" and claim.subject == "le nombre de nouveaux inscrits"
    assert claim.sentence == "Le nombre de nouveaux inscrits a augmenté de 8 %"
    assert claim.lines == (64, 65, 66) and claim.comparison_year is None
    assert claim.source.text == " Le nombre de "


def test_share_with_bracketed_comparison_gives_two_claims(claims_2023):
    _, claims = claims_2023
    headline = _one(claims, 49, "percent", line=68)
    previous = _one(claims, 48, "percent", line=68, year=2022)
    assert headline.kind == previous.kind == "share"
    assert headline.subject == previous.subject == "des nouveaux inscrits sont des femmes"
    assert headline.year == 2023 and headline.comparison_year == 2022
    assert previous.comparison_year is None
    assert headline.sentence == previous.sentence == (
        "49 % des nouveaux inscrits sont des femmes (48 % en 2022).")
    assert headline.lines == previous.lines == (68, 69, 70, 71)
    assert headline.claim_id != previous.claim_id


def test_count_with_thousands_and_share_in_brackets(claims_2023):
    _, claims = claims_2023
    count = _one(claims, 28123, "count", line=184)
    assert count.kind == "count" and count.subject == "propositions ont ete formulees"
    share = _one(claims, 28, "percent", line=184)
    assert share.kind == "share" and share.subject == "sur la thematique emploi"
    assert share.comparison_year is None  # "dont 28 %" is no comparison


def test_change_against_a_named_year(claims_2023):
    _, claims = claims_2023
    claim = _one(claims, 5, "percent", line=159)
    assert claim.kind == "change" and claim.subject == "le nombre d'entretiens"
    assert claim.comparison_year == 2022 and claim.year == 2023
    assert not _find(claims, 2022, "count")  # the base year is not a figure of its own


def test_two_counts_in_one_sentence(claims_2023):
    _, claims = claims_2023
    youths = _one(claims, 859, "count", line=304)
    situations = _one(claims, 1915, "count", line=304)
    assert youths.subject == "jeunes ont beneficie"
    assert situations.subject == "situations emploi"
    assert youths.sentence == situations.sentence == (
        "859 jeunes ont bénéficié de 1 915 situations emploi.")


def test_bullet_noun_change(claims_2023):
    _, claims = claims_2023
    claim = _one(claims, 15, "percent", line=306)
    assert claim.kind == "change" and claim.value == 15.0
    assert claim.subject == "du nombre de contrats signes"
    assert claim.sentence == "- Une augmentation de 15 % du nombre de contrats signés."


def test_amount_in_euros(claims_2023):
    _, claims = claims_2023
    youths = _one(claims, 183, "count", line=904)
    amount = _one(claims, 114049, "eur", line=904)
    assert youths.subject == "jeunes du territoire mno ont beneficie"
    assert amount.kind == "amount" and amount.subject == "d'allocations pacea"
    assert amount.to_json()["value"] == 114049


def test_sentence_wrapped_into_a_bracket(claims_2023):
    _, claims = claims_2023
    youths = _one(claims, 245, "count", line=456)
    workshops = _one(claims, 36, "count", line=456)
    assert youths.subject == "jeunes ont participe"
    assert workshops.subject == "ateliers alternance"
    assert youths.lines == (456, 457)
    assert youths.sentence.endswith("Interventions de partenaires OF/CFA).")


def test_labelled_share_with_contre_comparison(claims_2023):
    _, claims = claims_2023
    headline = _one(claims, 39, "percent", line=477)
    previous = _one(claims, 38, "percent", line=477, year=2022)
    for claim in (headline, previous):
        assert claim.kind == "share"
        assert claim.subject == "commerce, vente et grande distribution"
    assert headline.comparison_year == 2022 and previous.comparison_year is None


def test_comparison_wrapped_over_lines(claims_2023):
    _, claims = claims_2023
    headline = _one(claims, 23, "percent", line=77)
    previous = _one(claims, 22, "percent", line=77, year=2022)
    assert headline.subject == previous.subject == "sont ages de 16 a 17 ans"
    assert headline.comparison_year == 2022
    # "au BAC (contre 57 %" ends like a table row but is the middle of a sentence
    assert _one(claims, 57, "percent", line=108, year=2022).subject == (
        "des jeunes ont un niveau inferieur au bac")


def test_no_claim_from_tables_chart_residue_or_headings(claims_2023):
    document, claims = claims_2023
    communes = communes_by_name()
    excluded = set()
    for line in document.lines:
        text = line.text.strip()
        words = normalise_label(re.sub(r"[\d/€%\s]+$", "", text))
        if ("\t" in line.text or re.fullmatch(r"(Graph|Feuil)\d+", text)
                or text.lower().startswith("total") or re.fullmatch(r"[\d\s/%€]+", text)
                or (words in communes and words != normalise_label(text))):
            excluded.add(line.number)
    assert len(excluded) > 150  # the check does look at the tables
    assert not [claim for claim in claims if excluded & set(claim.lines)]
    assert not [claim for claim in claims if "\t" in claim.sentence]
    values = {(claim.value, claim.unit) for claim in claims}
    # "CDD 901", "Intérim / Saisonnier 662", chart "Santé / Social 43", "Total : 42 318"
    assert not {(901, "count"), (662, "count"), (43, "count"), (10500, "count")} & values
    headings = {line.number for line in document.lines if re.match(r"\s*\d+\) ", line.text)}
    assert not [claim for claim in claims if headings & set(claim.lines)]


def test_dates_durations_rates_and_years_are_not_claims(claims_2023):
    _, claims = claims_2023
    values = {(claim.value, claim.unit) for claim in claims}
    # years, "20 octobre 2023", "6 à 9 mois (24h/semaine)", "528 € / mois",
    # "moyenne de 27 contacts par jeune", "16 à 25 ans", "19 avenue Georges Clémenceau"
    for value, unit in [(2023, "count"), (2022, "count"), (2017, "count"), (20, "count"),
                        (528, "eur"), (27, "count"), (25, "count"), (19, "count")]:
        assert (value, unit) not in values
    months = re.compile(r"\b(janvier|juillet|octobre|novembre)\b")
    assert not [claim for claim in claims if months.search(claim.subject)]
    # the footnote "(dont 29 € de frais de gestion)" states nothing
    assert not _find(claims, 29, "eur")


def test_report_totals(claims_2023):
    _, claims = claims_2023
    assert len(claims) == 128  # reviewed by hand
    assert len({claim.claim_id for claim in claims}) == len(claims)
    assert {claim.kind for claim in claims} == {"count", "amount", "share", "change"}
    assert all(claim.subject == normalise_label(claim.subject) for claim in claims)
    assert all(claim.source.line == claim.lines[0] for claim in claims)


def test_extraction_result_carries_claims(mno_2023):
    result = extract_activity_report(read_document(mno_2023))
    assert len(result.claims) == 128
    record = result.to_json()["claims"][0]
    assert record["value"] == 679 and record["kind"] == "count" and record["lines"] == [5]
    assert record["claim_id"] == result.claims[0].claim_id
    assert record["source"]["line"] == 5 and record["source"]["bbox"] is None


# --- Synthetic texts ---------------------------------------------------------------------

def _claims(tmp_path: Path, text: str, year: int = 2024) -> list[Claim]:
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_claims(read_document(path), year, "59000S00")


def test_synthetic_wrapped_sentences(tmp_path):
    claims = _claims(tmp_path, "Bilan :\n\nLe nombre de \njeunes accompagnés a \n"
                               "augmenté de 12 %\n\n"
                               "La Mission Locale a accueilli\n1 234 jeunes en 2024.\n")
    change, count = claims
    assert (change.kind, change.value, change.unit) == ("change", 12.0, "percent")
    assert change.subject == "le nombre de jeunes accompagnes" and change.lines == (3, 4, 5)
    assert change.sentence == "Le nombre de jeunes accompagnés a augmenté de 12 %"
    assert change.source.line == 3 and change.source.text == "Le nombre de "
    assert (count.kind, count.value, count.subject) == ("count", 1234.0, "jeunes")
    assert count.lines == (7, 8) and count.source.line == 7


def test_synthetic_decreases_are_negative(tmp_path):
    claims = _claims(tmp_path, "Le nombre de contrats a diminué de 7 % par rapport à 2023.\n"
                               "- Une baisse de 3,5 % des entrées en formation.\n"
                               "Les PMSMP ont évolué de -6 %.\n")
    assert [(claim.kind, claim.value) for claim in claims] == [
        ("change", -7.0), ("change", -3.5), ("change", -6.0)]
    assert claims[0].subject == "le nombre de contrats" and claims[0].comparison_year == 2023
    assert claims[1].subject == "des entrees en formation" and claims[1].comparison_year is None
    assert claims[2].subject == "les pmsmp"


def test_synthetic_decimal_comma_amount(tmp_path):
    (claim,) = _claims(tmp_path, "Les jeunes ont perçu 2 120,15 € d’aides d’urgence.\n")
    assert (claim.kind, claim.value, claim.unit) == ("amount", 2120.15, "eur")
    assert claim.subject == "d'aides d'urgence"
    assert claim.to_json()["value"] == 2120.15


def test_synthetic_comparison_scheme(tmp_path):
    headline, previous = _claims(tmp_path, "41 % des jeunes sont des femmes (39 % en 2023).\n")
    assert (headline.value, headline.year, headline.comparison_year) == (41.0, 2024, 2023)
    assert (previous.value, previous.year, previous.comparison_year) == (39.0, 2023, None)
    assert headline.kind == previous.kind == "share"
    assert headline.subject == previous.subject == "des jeunes sont des femmes"
    assert headline.source == previous.source and headline.lines == previous.lines == (1,)


def test_synthetic_noise_gives_no_claim(tmp_path):
    text = ("Commune Nombre de jeunes\nLambersart 1 168 436\nTotal général : 1 168 436\n\n"
            "CDD 901\nJeunes accompagnés 120\n\nGraph1\n\t\tSanté / Social\t\t43\n15\n"
            " 2) Les 3 axes du projet\n"
            "Le forum a eu lieu le 20 octobre 2024.\n"
            "Les jeunes de 16 à 25 ans sont accueillis pendant 6 mois.\n"
            "- Allocation pouvant aller jusqu’à 528 € / mois.\n"
            "(dont 36 € de frais de gestion)\n")
    assert _claims(tmp_path, text) == []


def test_claim_id_is_stable(tmp_path):
    first = _claims(tmp_path, "La ML a réalisé 679 nouvelles inscriptions en 2024.\n")
    second = _claims(tmp_path, "La ML a réalisé 679 nouvelles inscriptions en 2024.\n")
    assert [claim.claim_id for claim in first] == [claim.claim_id for claim in second]
    assert len(first[0].claim_id) == 24


def test_synthetic_title_line_is_not_glued_to_the_sentence_below(tmp_path):
    claims = _claims(tmp_path, "Dispositifs mis en place\nLa Mission Locale a accompagné 412 jeunes\n"
                               "en 2024 avec les services de\nLambersart et de Lomme.\n")
    assert [(claim.value, claim.sentence) for claim in claims] == [
        (412, "La Mission Locale a accompagné 412 jeunes en 2024 avec les services de Lambersart et de Lomme.")]
