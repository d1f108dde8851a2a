"""The synthetic sample reports: deterministic, self-consistent, same lines as text and PDF."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from extractors.catalogue import load_catalogue
from extractors.documents import read_document
from extractors.extract import extract_path
from extractors.wording_rules import commune_table_mappings
from sample_inputs import (
    generate_figures,
    render_pdf,
    render_text,
    sample_filename,
    write_edition,
    write_samples,
)
from sample_inputs.__main__ import main

SEED = 7


@pytest.fixture(scope="module")
def figures_2022():
    return generate_figures(2022, SEED)


@pytest.fixture(scope="module")
def pdf_2022(tmp_path_factory, figures_2022) -> Path:
    return render_pdf(figures_2022, tmp_path_factory.mktemp("pdf") / "sample_2022.pdf")


def _expected_facts(figures) -> dict[tuple[str, str], int]:
    expected = {(code, commune): value
                for code, values in figures.tables.items() for commune, value in values.items()}
    expected.update({(code, "TOTAL"): value for code, value in figures.totals.items()})
    return expected


def test_same_seed_same_report(tmp_path):
    assert generate_figures(2023, SEED) == generate_figures(2023, SEED)
    assert render_text(generate_figures(2023, SEED)) == render_text(generate_figures(2023, SEED))
    first = render_pdf(generate_figures(2022, SEED), tmp_path / "a.pdf")
    second = render_pdf(generate_figures(2022, SEED), tmp_path / "b.pdf")
    assert first.read_bytes() == second.read_bytes()
    assert ([line.text for line in read_document(first).lines]
            == [line.text for line in read_document(second).lines])


def test_seed_and_year_change_the_figures():
    assert generate_figures(2023, SEED).tables != generate_figures(2023, SEED + 1).tables
    assert generate_figures(2022, SEED).tables != generate_figures(2023, SEED).tables


@pytest.mark.parametrize("year", [2022, 2023])
def test_figures_are_consistent_and_realistic(year):
    figures = generate_figures(year, SEED)
    assert len(figures.communes) == 10 and "Marcq-en-Barœul" in figures.communes
    for code, values in figures.tables.items():
        assert set(values) == set(figures.communes)
        assert figures.totals[code] == sum(values.values())
    for spec in figures.table_specs:
        main, *others = spec.indicators
        dont = [code for code, unit in zip(others, spec.units[1:]) if unit == "count"]
        for code in dont:
            assert all(figures.tables[code][c] <= figures.tables[main][c] for c in figures.communes)
    all_values = [v for values in figures.tables.values() for v in values.values()]
    assert max(figures.tables["contacts"].values()) >= 1000  # thousands get a space
    assert 0 in all_values  # printed as "/"


def test_every_mapped_table_is_printed(figures_2022):
    mapped = [mapping.indicators for mapping in commune_table_mappings()]
    assert [spec.indicators for spec in figures_2022.table_specs] == mapped
    assert len(figures_2022.tables) == sum(len(indicators) for indicators in mapped)
    text = render_text(figures_2022)
    assert text.count("\nCommune ") == len(mapped)
    for spec in figures_2022.table_specs:
        total = " ".join((f"{value:,}".replace(",", " ") + (" €" if unit == "eur" else ""))
                         if value else "/"
                         for value, unit in zip(figures_2022.total_row(spec), spec.units))
        assert f"\nTotal général : {total}\n" in text


def test_text_names_the_structure_and_the_year():
    figures = generate_figures(2023, SEED)
    lines = render_text(figures).splitlines()
    assert lines[0] == ("Mission Locale Métropole Nord-Ouest — Rapport d’activité 2023 "
                        "(exemple synthétique)")
    headline = (f"La ML MNO a réalisé {figures.totals['new_registrations']:,} nouvelles "
                "inscriptions en 2023.").replace(",", " ")
    assert headline in lines
    assert sum(line.startswith("En 2023,") for line in lines) >= 2


def test_pdf_reads_back_as_the_text_rendering(figures_2022, pdf_2022):
    document = read_document(pdf_2022)
    assert [line.text for line in document.lines] == render_text(figures_2022).splitlines()


def test_pdf_layout_spans_pages_with_wrapped_headers(figures_2022, pdf_2022):
    lines = read_document(pdf_2022).lines
    headers = [i for i, line in enumerate(lines) if line.text.startswith("Commune ")]
    # some header is wrapped: the line after it is neither a commune row nor a new header
    assert any(not re.search(r"\d|/$", lines[i + 1].text) for i in headers)
    # some table runs over a page break: its rows sit on two pages
    row_pages = {}
    for start in headers:
        end = next(i for i in range(start, len(lines)) if lines[i].text.startswith("Total général"))
        row_pages[lines[start].text] = {line.page for line in lines[start:end + 1]}
    assert any(len(pages) > 1 for pages in row_pages.values())
    # a section title sits on the page before its table
    cej = next(i for i, line in enumerate(lines) if line.text.startswith("9) "))
    cej_header = next(i for i in headers if i > cej)
    assert lines[cej_header].page == lines[cej].page + 1


def test_pdf_and_text_samples_extract_to_the_figures(tmp_path, figures_2022):
    grain = {code: indicator.grain for code, indicator in load_catalogue().items()}
    for suffix in (".pdf", ".txt"):
        path = write_edition(figures_2022, tmp_path / f"sample_2022{suffix}")
        result = extract_path(path)
        assert (result.year, result.structure) == (2022, "59386S00")
        assert not result.issues, result.issues
        facts = {(fact.indicator, fact.dimensions.get("commune", "TOTAL")): fact.value
                 for fact in result.facts if grain[fact.indicator] == "commune"}
        assert facts == _expected_facts(figures_2022)
        breakdowns = sorted((fact.indicator, tuple(sorted(fact.dimensions.items())),
                             fact.is_total, fact.value)
                            for fact in result.facts if grain[fact.indicator] == "breakdown")
        assert breakdowns == figures_2022.breakdown_facts()  # tests/test_sample_breakdowns.py


def test_write_samples_and_command_line(tmp_path, capsys):
    paths = write_samples(tmp_path / "api", seed=SEED)
    assert [path.name for path in paths] == [sample_filename(2022, "pdf"),
                                             sample_filename(2023, "txt")]
    assert paths[1].read_text(encoding="utf-8") == render_text(generate_figures(2023, SEED))

    assert main([str(tmp_path / "cli"), "--seed", str(SEED)]) == 0
    assert capsys.readouterr().out.splitlines() == [str(tmp_path / "cli" / p.name) for p in paths]
    for path in paths:
        assert (tmp_path / "cli" / path.name).read_bytes() == path.read_bytes()
