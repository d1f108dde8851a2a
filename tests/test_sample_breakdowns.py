"""The breakdown tables of the synthetic sample reports: every kind the mapping files list,
self-consistent figures, and an extraction that gives them back exactly, from text and PDF."""

from __future__ import annotations

import math
from collections import Counter

import pdfplumber
import pytest

from extractors.activity_report.label_table_mapping import label_table_mappings
from extractors.activity_report.profile_block_mapping import profile_block_mappings
from extractors.activity_report.sections import section_contexts
from extractors.documents import read_document
from extractors.catalogue import load_catalogue
from extractors.extract import extract_path
from extractors.headings import label_words
from extractors.wording_rules import dimension_code
from sample_inputs import generate_figures, render_pdf, render_text, write_edition
from sample_inputs.breakdown_figures import split
from sample_inputs.breakdown_table_lines import COMMUNE_COLUMNS, ROW_LABEL_WIDTH
from sample_inputs.breakdowns import (
    COMMUNE_LIST,
    CROSS_TAB,
    LABEL_TABLE,
    PROFILE_LINE,
    SHARE_LIST,
)
from sample_inputs.pages import LEFT
from sample_breakdown_helpers import SEED, _breakdown_facts, _grain

EDITIONS = [(2022, ".pdf"), (2022, ".txt"), (2023, ".txt"), (2023, ".pdf")]


def _meaning(fact) -> tuple:
    return (fact.indicator, tuple(sorted(fact.dimensions.items())), fact.value, fact.unit,
            fact.is_total, fact.flags)


@pytest.fixture(scope="module")
def figures():
    return {year: generate_figures(year, SEED) for year in (2022, 2023)}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory, figures):
    """(year, suffix) -> (path, extraction result) of each rendering of the two editions."""
    folder = tmp_path_factory.mktemp("samples")
    out = {}
    for year, suffix in EDITIONS:
        path = write_edition(figures[year], folder / f"sample_{year}{suffix}")
        out[(year, suffix)] = path, extract_path(path)
    return out


def _table(figures, indicator: str, *dimensions: str):
    return next(table for table in figures.breakdown_tables
                if (table.spec.indicator, table.spec.dimensions) == (indicator, dimensions))


# --- what the samples print ---------------------------------------------------------------------


def test_every_breakdown_kind_of_the_mapping_files_is_printed(figures):
    mapped = Counter([(entry.indicator, frozenset({entry.dimension}))
                      for entry in label_table_mappings()]
                     + [(entry.indicator, entry.dimensions) for entry in profile_block_mappings()])
    for edition in figures.values():
        printed = Counter((table.spec.indicator, frozenset(table.spec.dimensions))
                          for table in edition.breakdown_tables)
        assert printed == mapped
        assert {table.spec.kind for table in edition.breakdown_tables} == {
            LABEL_TABLE, SHARE_LIST, PROFILE_LINE, CROSS_TAB, COMMUNE_LIST}


def test_labels_and_headings_are_the_editions_own(figures):
    for year, edition in figures.items():
        for table in edition.breakdown_tables:
            spec = table.spec
            for dimension, codes, labels in zip(spec.dimensions, spec.codes, spec.labels):
                if dimension != "commune":
                    assert [dimension_code(dimension, label, year) for label in labels] == list(codes)
            entries = ([e.section for e in label_table_mappings()
                        if e.indicator == spec.indicator and (e.dimension,) == spec.dimensions]
                       + [e.section for e in profile_block_mappings()
                          if e.indicator == spec.indicator
                          and e.dimensions == frozenset(spec.dimensions)])
            assert spec.section == entries[0].wordings(year)[0]
    # label variants are used: "Femmes" in one table, "Femme" in another; coarse categories too
    labels = {label for table in figures[2023].breakdown_tables for dim in table.spec.labels
              for label in dim}
    assert {"Femmes", "Femme", "BAC et plus", "Supérieur au BAC", "Téléphone / SMS", "SMS"} <= labels


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_cells_add_up_to_every_stated_total(year):
    edition = generate_figures(year, SEED)
    for table in edition.breakdown_tables:
        for total_key, value in table.totals.items():
            covered = [cell for key, cell in table.cells.items() if set(total_key) <= set(key)]
            assert covered and sum(covered) == value, (table.spec, total_key)
    crosstabs = [t for t in edition.breakdown_tables if t.spec.kind == CROSS_TAB]
    assert any(() in t.totals for t in crosstabs) and any(() not in t.totals for t in crosstabs)


@pytest.mark.parametrize("year", [2022, 2023])
def test_profiles_agree_with_each_other_and_with_the_commune_tables(year):
    edition = generate_figures(year, SEED)
    totals = edition.totals
    by_indicator: dict[str, set[int]] = {}
    for table in edition.breakdown_tables:
        by_indicator.setdefault(table.spec.indicator, set()).add(table.total)
    assert all(len(values) == 1 for values in by_indicator.values())  # same people counted
    tied = {"new_registrations_profile": "new_registrations",
            "youths_interviewed_profile": "youths_interviewed",
            "training_entrants_profile": "training_entries", "cej_entrants_profile": "cej_entrants",
            "contacts_by_nature": "contacts", "employment_contracts_by_type": "employment_contracts"}
    for indicator, commune_indicator in tied.items():
        assert by_indicator[indicator] == {totals[commune_indicator]}, indicator
    # the sex x age grand total is the commune table's "Total général" of new registrations
    sex_age = _table(edition, "new_registrations_profile", "sex", "age_band")
    assert sex_age.totals[()] == totals["new_registrations"]
    # the two cross-tabs of the new registrations share their age totals
    age_qualification = _table(edition, "new_registrations_profile", "age_band", "qualification_level")
    assert age_qualification.marginal("age_band") == sex_age.marginal("age_band")
    contacts = _table(edition, "contacts_by_nature", "contact_nature").grid
    assert contacts[("individual_interview",)] + contacts[("group_session",)] == \
        totals["contacts_interviews"]
    contracts = _table(edition, "employment_contracts_by_type", "contract_type").grid
    assert contracts[("alternance",)] == totals["alternance_contracts"]
    assert by_indicator["employment_youths_profile"].pop() <= totals["employment_contracts"]


@pytest.mark.parametrize("seed", [2, 3, 5, 11])
def test_other_seeds_extract_exactly_too(tmp_path, seed):
    """Figures and page breaks move with the seed: no layout may depend on one seed's luck."""
    for year in (2020, 2024):
        edition = generate_figures(year, seed)
        path = tmp_path / f"sample_{year}.txt"
        path.write_text(render_text(edition), encoding="utf-8")
        result = extract_path(path)
        assert not result.issues, [str(issue) for issue in result.issues]
        assert _breakdown_facts(result) == edition.breakdown_facts()


def test_share_lists_add_up_to_100():
    for seed in range(1, 30):
        for table in generate_figures(2023, seed).breakdown_tables:
            if table.spec.unit == "percent":
                assert sum(table.grid.values()) == 100 and min(table.grid.values()) >= 1


def test_split_is_exact_and_deterministic():
    assert split(100, [1.0, 1.0, 1.0]) == [34, 33, 33]
    assert sum(split(679, [0.3, 2.7, 1.1, 0.05])) == 679
    assert split(0, [1.0, 2.0]) == [0, 0]


def test_same_seed_same_breakdowns_other_seed_other_figures(tmp_path):
    assert generate_figures(2023, SEED).breakdown_tables == generate_figures(2023, SEED).breakdown_tables
    assert generate_figures(2023, SEED).breakdowns != generate_figures(2023, SEED + 1).breakdowns
    first = render_pdf(generate_figures(2023, SEED), tmp_path / "a.pdf").read_bytes()
    assert render_pdf(generate_figures(2023, SEED), tmp_path / "b.pdf").read_bytes() == first
    # the breakdowns draw from their own random stream: the commune tables are unchanged by them
    assert generate_figures(2023, SEED).tables["new_registrations"]["Lambersart"] == \
        generate_figures(2023, SEED).tables["new_registrations"]["Lambersart"]


# --- extraction ---------------------------------------------------------------------------------


@pytest.mark.parametrize("year, suffix", EDITIONS)
def test_extraction_gives_exactly_the_generated_breakdowns(extracted, figures, year, suffix):
    _, result = extracted[(year, suffix)]
    assert (result.year, result.structure) == (year, "59386S00")
    assert not result.issues, [str(issue) for issue in result.issues]
    assert _breakdown_facts(result) == figures[year].breakdown_facts()
    for fact in result.facts:
        if _grain(fact.indicator) == "breakdown":
            key = tuple(sorted(fact.dimensions.items()))
            expected = (figures[year].breakdown_totals if fact.is_total
                        else figures[year].breakdowns)[fact.indicator]
            assert expected[key] == fact.value
            assert fact.unit == load_catalogue()[fact.indicator].unit


@pytest.mark.parametrize("year, suffix", [(2022, ".pdf"), (2023, ".txt")])
def test_each_table_is_read_under_its_mapping_headings(extracted, figures, year, suffix):
    path, result = extracted[(year, suffix)]
    document = read_document(path)
    contexts = section_contexts(document.lines)
    index = {(line.page, line.number): i for i, line in enumerate(document.lines)}
    specs = {(t.spec.indicator, frozenset(t.spec.dimensions)): t.spec
             for t in figures[year].breakdown_tables}
    for fact in result.facts:
        if _grain(fact.indicator) != "breakdown" or fact.is_total:
            continue
        spec = specs[(fact.indicator, frozenset(fact.dimensions) - {"commune_insee"})]
        context = contexts[index[(fact.source.page, fact.source.line)]]
        assert set(label_words(spec.section)) <= context.words(), (fact.indicator, str(context))


def test_text_and_pdf_of_an_edition_give_the_same_facts_and_claims(extracted):
    for year in (2022, 2023):
        (_, text), (_, pdf) = extracted[(year, ".txt")], extracted[(year, ".pdf")]
        assert sorted(map(_meaning, pdf.facts)) == sorted(map(_meaning, text.facts))
        claim = lambda c: (c.kind, c.value, c.unit, c.subject, c.sentence, c.comparison_year)
        assert sorted(map(claim, pdf.claims)) == sorted(map(claim, text.claims))


def test_headline_sentences_state_the_generated_figures(extracted, figures):
    _, result = extracted[(2023, ".txt")]
    edition = figures[2023]
    claims = {(claim.kind, claim.value) for claim in result.claims}
    sex_age = _table(edition, "new_registrations_profile", "sex", "age_band").marginal("sex")
    holder = _table(edition, "new_registrations_share", "driving_licence").grid[("holder",)]
    expected = {
        ("share", holder),
        ("count", sex_age["female"]), ("count", sex_age["male"]),
        ("count", edition.breakdowns["contacts_by_nature"][(("contact_nature",
                                                             "individual_interview"),)]),
        ("count", _table(edition, "training_actions", "training_type").total),
        ("count", _table(edition, "employment_youths_profile", "qualification_level").total),
        ("count", _table(edition, "cej_measures", "situation_type").total),
        ("count", _table(edition, "mentoring_youths", "commune").total),
    }
    assert expected <= claims


# --- the PDF layout -----------------------------------------------------------------------------


def test_pdf_prints_real_columns_wrapped_headers_and_page_breaks(extracted, figures):
    path, result = extracted[(2022, ".pdf")]
    edition = figures[2022]
    facts = [fact for fact in result.facts if _grain(fact.indicator) == "breakdown"]

    # the longest label table runs over a page break
    pages = {}
    for fact in facts:
        if load_catalogue()[fact.indicator].unit == "count" and fact.indicator in {
                t.spec.indicator for t in edition.breakdown_tables if t.spec.kind == LABEL_TABLE}:
            pages.setdefault(fact.indicator, set()).add(fact.source.page)
    assert any(len(found) > 1 for found in pages.values())

    # profile blocks, cross-tabs and the commune list are never cut by a page break
    kept = {t.spec.indicator for t in edition.breakdown_tables
            if t.spec.kind in (PROFILE_LINE, CROSS_TAB, COMMUNE_LIST)}
    tables = {}
    for fact in facts:
        if fact.indicator in kept:
            tables.setdefault(fact.table, set()).add(fact.source.page)
    assert len(tables) == sum(t.spec.kind in (PROFILE_LINE, CROSS_TAB, COMMUNE_LIST)
                              for t in edition.breakdown_tables)
    assert all(len(found) == 1 for found in tables.values())

    # the commune list: two communes to a line, the second in the right-hand column
    communes = [f for f in facts if f.indicator == "mentoring_youths" and "commune" in f.dimensions]
    assert len({f.source.line for f in communes}) == math.ceil(len(edition.communes) / 2)
    assert all(f.source.bbox[2] >= COMMUNE_COLUMNS[1][1] - 1 for f in communes[:4])

    # cross-tabs and profile lines: every figure right-aligned on one of a few column edges
    with pdfplumber.open(path) as pdf:
        for fact in facts:
            if fact.indicator != "new_registrations_profile":
                continue
            page = pdf.pages[fact.source.page - 1]
            top = fact.source.bbox[1]
            words = [w for w in page.extract_words() if abs(w["top"] - top) < 3
                     and w["x0"] > LEFT + ROW_LABEL_WIDTH]  # not the row label ("16 - 17 ans")
            edges = {round(w["x1"]) for w in words}
            assert len(edges) <= 5  # four categories and a total column: one edge each

    # a category header wraps over lines: the age x qualification header is a staircase
    lines = read_document(path).lines
    texts = [line.text for line in lines]
    caption = next(i for i, text in enumerate(texts) if "tranche d'âge et niveau" in text)
    first_row = next(i for i in range(caption, len(texts)) if texts[i].startswith("16 - 17 ans"))
    header = [text for text in texts[caption + 1:first_row] if text]
    assert len(header) >= 2 and not any(ch.isdigit() for ch in "".join(header))
