"""The Mission Emploi Lys-Tourcoing's annual report, split from test_melt_report.py: small
synthetic texts for the layout's traps, and the reading of numbers (roles, values, units)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import melt_report
from extractors.documents import read_document
from extractors.extract import extract_path
from extractors.melt_report.block_numbers import read_numbers
from extractors.melt_report.report_mapping import edition_for
from extractors.melt_report.text_blocks import blocks
from extractors.programmes import programme_key
from extractors.result import ExtractionResult

KIND = melt_report.KIND
MOBILE = programme_key("Équipe mobile")

# --- Synthetic texts -------------------------------------------------------------------------

HEADER = """Rapport d’activité de la Mission Emploi Lys-Tourcoing (MELT)
En 2023, la MELT a accompagné les jeunes de son territoire.

L’accueil
Chiffres clés
"""


def _report(tmp_path: Path, body: str, header: str = HEADER) -> ExtractionResult:
    path = tmp_path / "report.txt"
    path.write_text(header + body, encoding="utf-8")
    return extract_path(path)


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_a_figure_without_a_label_is_reviewed_with_file_and_line(tmp_path):
    body = "\n1 234\n\nAppels entrants\n\n987 nouveaux inscrits\n"
    result = _report(tmp_path, body)
    assert result.kind == KIND
    assert [(fact.indicator, fact.value) for fact in result.facts] \
        == [("key_new_registrations", 987)]
    (item,) = result.review_items
    assert (item.value_text, item.value, item.reason) == ("1 234", 1234, "no label next to it")
    assert item.source.path == str(tmp_path / "report.txt")
    assert item.source.line == _line_of(HEADER + body, "1 234")
    assert "Appels entrants" in item.context
    assert any("kept for review" in issue.reason and issue.line == item.source.line
               for issue in result.issues)


def test_glued_numbers_and_labels(tmp_path):
    body = ("\n13 740appels entrants\n\nContrats de travail signés127\n\nCDI\n\n"
            "L’équipe Mobile\n\n169jeunes repérés ont intégré un accompagnement à la MELT\n"
            "16 ont suivi une formation7 jeunes en Service Civique\n")
    result = _report(tmp_path, body)
    published = {(fact.indicator, fact.dimensions.get("programme"), fact.value)
                 for fact in result.facts}
    assert published == {("incoming_calls", None, 13740),
                         ("melt_programme_entries_into_support", MOBILE, 169)}
    items = {item.value_text: item for item in result.review_items}
    assert set(items) == {"127", "16", "7"}
    assert "glued after «Contrats de travail signés»" in items["127"].reason
    assert "«7 jeunes en Service Civique»" in items["7"].reason
    assert items["7"].source.line == items["16"].source.line


def test_a_label_broken_by_a_blank_line_is_joined_only_when_the_sentence_continues(tmp_path):
    body = ("\n182 542 heures\nréalisées\n\npar les habitants de\nLys-Tourcoing\n\n"
            "224\n\nContrats signés\n")
    texts = [block.printed for block in blocks(read_document(
        _write(tmp_path, HEADER + body)).lines, 2023)]
    assert "182 542 heures réalisées par les habitants de Lys-Tourcoing" in texts
    assert "224" in texts and "Contrats signés" in texts


def test_a_generic_wording_outside_its_section_is_reviewed(tmp_path):
    result = _report(tmp_path, "\n1 606 contrats de travail signés\n")
    assert result.facts == []
    (item,) = result.review_items
    assert "mapped under section cej only" in item.reason and "under reception" in item.reason


def test_one_wording_read_twice_with_different_values_publishes_neither(tmp_path):
    result = _report(tmp_path, "\n987 nouveaux inscrits\n\n988 nouveaux inscrits\n")
    assert result.facts == []
    assert sorted(item.value for item in result.review_items) == [987, 988]
    assert all("different values" in item.reason for item in result.review_items)


def test_an_edition_not_in_the_mapping_uses_the_latest_before_it(tmp_path):
    header = HEADER.replace("En 2023", "En 2024")
    result = _report(tmp_path, "\n987 nouveaux inscrits\n", header=header)
    assert result.year == 2024 and edition_for(2024).year == 2023
    assert [(fact.indicator, fact.value, fact.year) for fact in result.facts] \
        == [("key_new_registrations", 987, 2024)]


def test_a_report_without_a_year_is_an_error(tmp_path):
    header = HEADER.replace("En 2023, la MELT", "La MELT")
    result = _report(tmp_path, "\n987 nouveaux inscrits\n", header=header)
    assert result.kind == KIND and result.facts == []
    assert [issue.severity for issue in result.issues] == ["error"]


def test_other_texts_are_not_recognised(tmp_path):
    text = "Rapport d’activité 2023 de la Mission Locale Métropole Nord-Ouest\nChiffres clés\n"
    assert not melt_report.recognises(read_document(_write(tmp_path, text)))
    # named once in passing by another structure's document
    text = ("Chiffres clés de la Mission Locale Métropole Nord-Ouest en 2023\n"
            "La Mission Emploi Lys-Tourcoing est partenaire.\n"
            + "Mission Locale Métropole Nord-Ouest\n" * 3)
    assert not melt_report.recognises(read_document(_write(tmp_path, text)))


@pytest.mark.parametrize("text, roles", [
    ("renseignements : 03 20 28 82 20", ["phone"] * 5),
    ("59200 tourcoing", ["postcode"]),
    ("7 avril de 14h a 17h", ["date", "time", "time"]),
    ("chiffres cles 2023 :", ["year"]),
    ("versees en 202 3", ["year", "year"]),
    ("6 7", ["folio", "folio"]),
    ("50 10 15 20", ["axis"] * 4),
    ("10, rue maurice ravel", ["address"]),
    ("63% entre 18 et 21 ans", ["figure", "age", "age"]),
    ("83 cdd +6 mois", ["figure", "duration"]),
    ("854 ateliers et 2060 entretiens", ["figure", "figure"]),
    ("siret : 493 060 388 00045", ["identifier", "identifier"]),
])
def test_number_roles(text, roles):
    assert [number.role for number in read_numbers(text, 2023)] == roles


def test_number_values_and_units():
    (percent,) = read_numbers("+ 82.1% par rapport a 2022", 2023)[:1]
    assert (percent.value, percent.unit) == (82.1, "percent")
    (amount,) = read_numbers("6 462 k€", 2023)
    assert (amount.value, amount.unit) == (6462000, "eur")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "text.txt"
    path.write_text(text, encoding="utf-8")
    return path
