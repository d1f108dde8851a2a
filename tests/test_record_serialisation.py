"""Extraction results written as JSON and read back are the same records, with the same stable
ids: real documents of every kind (the corpus when it is beside the project, a sample PDF)."""

from __future__ import annotations

import json

import pytest
from conftest import CORPUS

from extractors.claims import Claim
from extractors.extract import extract_path
from extractors.facts import Fact, Source
from extractors.result import ExtractionResult
from sample_inputs import generate_figures, render_pdf

CORPUS_DOCUMENTS = sorted(CORPUS.glob("*.txt")) if CORPUS.is_dir() else []


def _through_json(result: ExtractionResult, path: str | None = None) -> ExtractionResult:
    text = json.dumps(result.to_json(), ensure_ascii=False)
    return ExtractionResult.from_json(json.loads(text), path=path)


def _ids(result: ExtractionResult) -> list[list[str]]:
    return [[fact.fact_id for fact in result.facts],
            [claim.claim_id for claim in result.claims],
            [item.review_id for item in result.review_items],
            [programme.programme_id for programme in result.programmes]]


@pytest.mark.parametrize("document", CORPUS_DOCUMENTS, ids=lambda path: path.name)
def test_corpus_results_survive_json(document):
    result = extract_path(document)

    assert result.facts or result.programmes
    assert _through_json(result) == result
    assert _ids(_through_json(result)) == _ids(result)


def test_every_record_kind_is_covered_by_the_corpus():
    if not CORPUS_DOCUMENTS:
        pytest.skip("../shared/corpus is not beside the project")
    results = [extract_path(document) for document in CORPUS_DOCUMENTS]

    for records in ("facts", "issues", "claims", "programmes", "review_items"):
        assert any(getattr(result, records) for result in results), records


def test_pdf_provenance_survives_json(tmp_path):
    result = extract_path(render_pdf(generate_figures(2024, seed=3), tmp_path / "sample.pdf"))
    restored = _through_json(result)

    assert restored == result
    assert all(isinstance(fact.source.bbox, tuple) for fact in restored.facts)
    assert restored.facts[0].source.bbox == result.facts[0].source.bbox


def test_a_result_read_back_at_another_path_names_it_everywhere(tmp_path):
    result = extract_path(render_pdf(generate_figures(2024, seed=3), tmp_path / "sample.pdf"))
    moved = _through_json(result, path="elsewhere/sample.pdf")

    assert moved.path == "elsewhere/sample.pdf"
    assert {fact.source.path for fact in moved.facts} == {"elsewhere/sample.pdf"}
    assert all(issue.path == "elsewhere/sample.pdf" for issue in moved.issues)
    assert _ids(moved) == _ids(result)  # ids name the content, not where it sits


def test_stable_ids_do_not_change_between_versions():
    """Ids are kept by the warehouse and the releases: these were computed before the hash
    moved into extractors/stable_id.py, and must stay what they were."""
    source = Source("a.pdf", "ab" * 32, 3, 12, (10.0, 20.5, 30.0, 40.0), "Lambersart 1 168 436")
    fact = Fact("new_registrations", {"commune": "Lambersart", "commune_insee": "59328"},
                1168.0, "count", 2023, "59386S00", False, source, "new_registrations@L12",
                ("printed_approximate",))
    claim = Claim("share", 49.0, "percent", "des nouveaux inscrits sont des femmes", 2022,
                  "49 % des nouveaux inscrits sont des femmes (48 % en 2022).", 2023, "59386S00",
                  source, (12, 13))

    assert fact.fact_id == "d3967f0ce615eee96f43934c"
    assert claim.claim_id == "92eded270d33b65b49be8b6e"
    assert fact.to_json()["value"] == 1168  # a count prints as an integer
