"""The commune tables of the real 2023 ML MNO report, drifted as another edition would print them:
reworded or swapped headers, page breaks, empty and placeholder cells, footnote calls."""

from __future__ import annotations

import re

from extractors.extract import extract_path
from mno_2023_commune_figures import COMMUNES, EXPECTED


def test_drifted_headers_of_another_edition_are_read_and_reported(tmp_path, mno_2023):
    """Wording that drifted between editions ("Quartier Prioritaire de la Politique de la
    Ville", "dispositif CEJ") still maps to its indicators, with a warning asking for the new
    wording in the mapping file; a header that shares too little is not guessed."""
    text = mno_2023.read_text(encoding="utf-8")
    text = text.replace("dans un Quartier Politique", "dans un Quartier Prioritaire de la Politique")
    text = text.replace("dispositif GJ/CEJ", "dispositif CEJ")
    text = text.replace("Nombre de Périodes de \n\nMise en Situation", "Immersions en \n\nentreprise")
    drifted = tmp_path / "report.txt"
    drifted.write_text(text, encoding="utf-8")
    result = extract_path(drifted)
    values = {(f.indicator, f.dimensions.get("commune"), f.is_total): f.value for f in result.facts}
    assert values[("new_registrations_qpv", "Lambersart", False)] == 15
    assert values[("cej_entrants", None, True)] == 645
    assert not any(indicator == "pmsmp_periods" for indicator, _, _ in values)
    warnings = [issue for issue in result.issues if issue.severity == "warning"]
    assert [(issue.line, "add this wording" in issue.reason) for issue in warnings] == [
        (9, True), (217, False), (657, True)]
    # The reviewer gets the new wordings, and every cell of the unrecognised table.
    drifted = [i for i in result.review_items if i.kind == "drifted_wording"]
    assert [(i.source.line, i.suggestion) for i in drifted] == [
        (9, "new_registrations"), (657, "cej_youths")]
    assert "Quartier Prioritaire de la Politique" in drifted[0].label
    kept = [i for i in result.review_items if i.kind == "unrecognised_table"]
    assert [i.label for i in kept] == COMMUNES + ["Total"]
    assert [i.value_text for i in kept] == [str(v) for v in EXPECTED["pmsmp_periods"][0]] + ["210"]


def _swap_first_aid_table_columns(text: str) -> str:
    """The first "Nombre de jeunes | Montant" table printed as "Montant | Nombre de jeunes"."""
    lines = text.split("\n")
    start = lines.index("Commune Nombre de jeunes Montant")
    lines[start] = "Commune Montant Nombre de jeunes"
    row = re.compile(r"^(?P<name>(?:Total :|\D+?)) (?P<count>\d+) (?P<amount>\d{1,3}(?: \d{3})*) €$")
    index = start + 1
    while not lines[index].startswith("Total"):
        if match := row.match(lines[index]):
            lines[index] = f"{match['name']} {match['amount']} € {match['count']}"
        index += 1
    match = row.match(lines[index])
    lines[index] = f"{match['name']} {match['amount']} € {match['count']}"
    return "\n".join(lines)


def test_swapped_columns_are_read_by_their_header(tmp_path, mno_2023):
    """An edition that prints "Montant" before "Nombre de jeunes": each value lands in its
    column's indicator, not in the mapping's first one."""
    path = tmp_path / "report.txt"
    path.write_text(_swap_first_aid_table_columns(mno_2023.read_text(encoding="utf-8")),
                    encoding="utf-8")
    assert "La Madeleine 15 728 € 39" in path.read_text(encoding="utf-8")
    result = extract_path(path)
    assert not result.errors
    facts = {(f.indicator, f.dimensions.get("commune")): f.value for f in result.facts
             if f.indicator.startswith("pacea_allowance")}
    assert facts[("pacea_allowance_beneficiaries", "La Madeleine")] == 39
    assert facts[("pacea_allowance_amount", "La Madeleine")] == 15728
    assert facts[("pacea_allowance_beneficiaries", None)] == 183
    assert facts[("pacea_allowance_amount", None)] == 114049


PAGE_BREAK = ("\n3\nRapport d'activité 2023 - Mission Locale Métropole Nord-Ouest\n"
              " I. Les nouveaux accueils\na.  Les communes de résidence\n\n"
              "Commune Nombre de jeunes \nen 1er accueil\n")


def _facts_of(path, indicator: str) -> dict[str | None, float]:
    result = extract_path(path)
    assert not result.errors, result.errors
    return {f.dimensions.get("commune"): f.value for f in result.facts if f.indicator == indicator}


def test_a_table_split_by_a_page_break_is_read_as_one(tmp_path, mno_2023):
    """The first table broken after its second row by a folio, a running title, the part
    headings and its column headers again: one table, the same figures as printed whole."""
    text = mno_2023.read_text(encoding="utf-8")
    assert "Lambersart 132 15\n" in text
    split = tmp_path / "report.txt"
    split.write_text(text.replace("Lambersart 132 15\n", "Lambersart 132 15\n" + PAGE_BREAK, 1),
                     encoding="utf-8")
    whole = _facts_of(mno_2023, "new_registrations")
    assert _facts_of(split, "new_registrations") == whole
    assert whole[None] == 679 and len(whole) == len(COMMUNES) + 1


def test_without_a_page_break_the_lines_between_rows_end_the_table(tmp_path, mno_2023):
    """The same lines without a folio: nothing says the rows below belong to the table above,
    so it is not joined (its total is missing: reported, not guessed)."""
    text = mno_2023.read_text(encoding="utf-8")
    path = tmp_path / "report.txt"
    path.write_text(text.replace("Lambersart 132 15\n", "Lambersart 132 15\n"
                                 + PAGE_BREAK.replace("\n3\n", "\n"), 1), encoding="utf-8")
    result = extract_path(path)
    assert any("new_registrations" in issue.reason and "no stated total" in issue.reason
               for issue in result.errors)


def _with_first_aid_table(mno_2023, tmp_path, row: str, total: str | None = None):
    """The 2023 report with the first PACEA table's Verlinghem row (and total) reprinted."""
    text = mno_2023.read_text(encoding="utf-8")
    assert "Verlinghem 2 200 €" in text and "Total : 183 114 049 €" in text
    text = text.replace("Verlinghem 2 200 €", row, 1)
    if total is not None:
        text = text.replace("Total : 183 114 049 €", total, 1)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    return extract_path(path)


def test_an_empty_cell_is_settled_by_the_totals_when_they_make_it_certain(tmp_path, mno_2023):
    result = _with_first_aid_table(mno_2023, tmp_path, "Verlinghem 2", "Total : 183 113 849 €")
    assert not result.errors
    row = {f.indicator: f for f in result.facts if f.dimensions.get("commune") == "Verlinghem"
           and f.indicator.startswith("pacea_allowance")}
    assert {indicator: f.value for indicator, f in row.items()} == {
        "pacea_allowance_beneficiaries": 2, "pacea_allowance_amount": 0}
    assert all(f.flags == ("resolved_by_table_constraints",) for f in row.values())


def test_an_empty_cell_the_totals_cannot_settle_goes_to_review_not_the_table(tmp_path, mno_2023):
    """The count cell left empty and the totals as printed: neither placement adds up, so the
    row is kept for review with its readings; the other rows and the totals are facts."""
    result = _with_first_aid_table(mno_2023, tmp_path, "Verlinghem 200 €")
    assert not result.errors
    facts = [f for f in result.facts if f.indicator == "pacea_allowance_beneficiaries"
             and f.table == next(f.table for f in result.facts
                                 if f.indicator == "pacea_allowance_beneficiaries")]
    assert "Verlinghem" not in {f.dimensions.get("commune") for f in facts}
    assert len(facts) == len(COMMUNES) - 1 + 1
    assert next(f.value for f in facts if f.is_total) == 183
    [item] = [i for i in result.review_items if i.kind == "ambiguous_reading"]
    assert item.context == "Verlinghem 200 €" and item.value_text == "200"
    assert "200 / 0" in item.reason and "0 / 200" in item.reason


def test_reworded_headers_are_matched_only_when_the_content_agrees(tmp_path, mno_2023):
    """The first table's headers reworded as in test_drifted_headers_..., but its stated total
    prints one figure where the closest mapping has two columns: not read as that mapping; its
    cells are kept for review."""
    text = mno_2023.read_text(encoding="utf-8")
    text = text.replace("dans un Quartier Politique", "dans un Quartier Prioritaire de la Politique")
    text = text.replace("Total général : 679 38", "Total général : 679", 1)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    result = extract_path(path)
    assert not any(f.indicator.startswith("new_registrations") for f in result.facts
                   if f.dimensions.get("commune"))
    kept = [i for i in result.review_items if i.kind == "unrecognised_table"]
    assert [i.label for i in kept] == COMMUNES + ["Total"] and kept[-1].value_text == "679"
    assert not [i for i in result.review_items if i.kind == "drifted_wording"]


def test_a_footnote_call_glued_to_a_euro_sign_is_not_a_word(tmp_path, mno_2023):
    """"200 €(1)": the row is still a commune row, the table still read."""
    result = _with_first_aid_table(mno_2023, tmp_path, "Verlinghem 2 200 €(1)")
    assert not result.errors and not result.review_items
    row = {f.indicator: f.value for f in result.facts if f.dimensions.get("commune") == "Verlinghem"
           and f.indicator.startswith("pacea_allowance")}
    assert row == {"pacea_allowance_beneficiaries": 2, "pacea_allowance_amount": 200}


def test_a_row_whose_cells_are_all_empty_reads_none(tmp_path, mno_2023):
    """"Lompret" alone on its line inside a table: its cells are empty (none), the table goes on."""
    text = mno_2023.read_text(encoding="utf-8")
    assert "\nLompret 9 /\n" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("\nLompret 9 /\n", "\nLompret\n", 1)
                    .replace("Total général : 679 38", "Total général : 670 38", 1), encoding="utf-8")
    result = extract_path(path)
    assert not result.errors
    row = {f.indicator: f.value for f in result.facts if f.dimensions.get("commune") == "Lompret"
           and f.indicator.startswith("new_registrations")}
    assert row == {"new_registrations": 0, "new_registrations_qpv": 0}
    total = next(f for f in result.facts if f.indicator == "new_registrations" and f.is_total)
    assert total.value == 670 and total.flags == ()


def test_swapped_columns_with_side_by_side_headers_are_read_by_their_header(tmp_path, mno_2023):
    """The civic-service table with its two columns swapped and their headers printed side by
    side (the layout interleaves their lines): still each value in its own indicator."""
    text = mno_2023.read_text(encoding="utf-8")
    header = ("Commune Nombre de jeunes en cours de \nmission Service Civique\n\n"
              "Dont nombre de jeunes qui ont \ndémarré une mission \n\nde Service Civique en 2023\n")
    assert text.count(header) == 1
    start = text.index(header)
    end = text.index("Total", start)
    rows = re.sub(r"(?m)^(\D+?) (\d+) (\d+)$", r"\1 \3 \2", text[start + len(header):end])
    swapped = ("Commune Dont nombre de jeunes qui ont Nombre de jeunes en cours de\n"
               "démarré une mission de Service mission Service Civique\nCivique en 2023\n")
    total = re.sub(r"^(Total[^\d]*)(\d+) (\d+)", r"\1\3 \2", text[end:])
    path = tmp_path / "report.txt"
    path.write_text(text[:start] + swapped + rows + total, encoding="utf-8")
    assert "La Madeleine 5 21" in path.read_text(encoding="utf-8")
    result = extract_path(path)
    assert not result.errors
    values = {(f.indicator, f.dimensions.get("commune")): f.value for f in result.facts
              if f.indicator.startswith("civic_service")}
    assert values[("civic_service_youths", "La Madeleine")] == 21
    assert values[("civic_service_starts", "La Madeleine")] == 5
    assert values[("civic_service_youths", None)] == 96 and values[("civic_service_starts", None)] == 41


def test_reworded_side_by_side_headers_never_swap_their_columns(tmp_path, mno_2023):
    """"Total des jeunes en cours de" beside "dont : nombre de jeunes qui ont": the first
    column's known start ("nombre de jeunes") is printed only inside the second's, so it does
    not place the first column there (that read every value into the other indicator)."""
    text = mno_2023.read_text(encoding="utf-8")
    header = ("Commune Nombre de jeunes en cours de \nmission Service Civique\n\n"
              "Dont nombre de jeunes qui ont \ndémarré une mission \n\nde Service Civique en 2023\n")
    reworded = ("Commune Total des jeunes en cours de dont : nombre de jeunes qui ont\n"
                "mission Service Civique démarré une mission de Service\nCivique en 2023\n")
    path = tmp_path / "report.txt"
    path.write_text(text.replace(header, reworded, 1), encoding="utf-8")
    result = extract_path(path)
    values = {(f.indicator, f.dimensions.get("commune")): f.value for f in result.facts
              if f.indicator.startswith("civic_service")}
    assert values[("civic_service_youths", "La Madeleine")] == 21
    assert values[("civic_service_starts", "La Madeleine")] == 5
    assert [i.kind for i in result.review_items] == ["drifted_wording"]
