"""`mlw review` on a real warehouse file: the extraction of a reworded report, with the review
item the extractors emit for a label the dimension does not know, landed by the real raw-layer
loader; then the command lists, accepts, exports and applies, and the extractor reads the cell.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from review_helpers import CODE, DIMENSION, NEW_LABEL, YEAR, housing_cells, write_reworded_report

from extractors import curation
from extractors.extract import extract_path
from extractors.facts import Source
from extractors.review import ReviewItem
from orchestration.cli import main
from orchestration.warehouse import land_raw_layer


@pytest.fixture
def landed(tmp_path, monkeypatch) -> tuple[Path, ReviewItem]:
    """A warehouse holding the reworded report's extraction and one unknown_label item."""
    monkeypatch.setenv("MLW_CURATION", str(tmp_path / "curation"))
    monkeypatch.setenv("MLW_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    report = write_reworded_report(tmp_path / "report.txt")
    result = extract_path(report)
    line = next(number for number, text in enumerate(report.read_text(encoding="utf-8").splitlines(), 1)
                if text.startswith(NEW_LABEL))
    source = Source(str(report), result.sha256, None, line, None, NEW_LABEL)
    item = ReviewItem(value_text="", value=None, reason="label not known in its dimension", context="",
                      year=YEAR, structure=result.structure, source=source, kind="unknown_label",
                      indicator="new_registrations_share", dimension=DIMENSION, label=NEW_LABEL,
                      suggestion=CODE)
    land_raw_layer(tmp_path / "warehouse.duckdb", [replace(result, review_items=[item])])
    return report, item


def test_review_lists_items_by_kind_with_id_and_suggestion(landed, capsys):
    report, item = landed
    assert main(["review"]) == 0
    listed = capsys.readouterr().out
    assert "unknown_label (1):" in listed and "extraction_issue (" in listed
    assert f"{item.review_id}  {YEAR}  {report.name}:{item.source.line}" in listed
    assert f"{DIMENSION} '{NEW_LABEL}' -> suggestion: {CODE}" in listed


def test_accept_records_the_decision_and_the_next_extraction_reads_the_cell(landed, capsys):
    report, item = landed
    assert CODE not in housing_cells(report)
    assert main(["review", "accept", item.review_id]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: CODE}}
    assert CODE in housing_cells(report)
    assert main(["review", "accept", "no-such-item"]) == 1
    main(["review"])
    issue_id = next(word for word in capsys.readouterr().out.split() if word.startswith("issue-"))
    assert main(["review", "accept", issue_id]) == 1  # an issue is settled in the mapping files
    assert "only labels are settled" in capsys.readouterr().err


def test_accept_as_another_code(landed):
    _, item = landed
    assert main(["review", "accept", item.review_id, "--as", "independent"]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: "independent"}}


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_export_then_apply_the_filled_in_decisions(landed, tmp_path, suffix):
    _, item = landed
    exported = tmp_path / f"review{suffix}"
    assert main(["review", "export", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8")
    assert item.review_id in text and curation.digest() == curation.NO_CURATION
    if suffix == ".yaml":
        rows = yaml.safe_load(text)
        next(row for row in rows if row["item_id"] == item.review_id)["decision"] = "accept"
        exported.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    else:
        lines = text.splitlines()
        lines = [line + "accept" if line.startswith(item.review_id) else line for line in lines]
        exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["review", "apply", str(exported)]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: CODE}}
