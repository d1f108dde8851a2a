"""`mlw review` on a real warehouse file: the extraction of a reworded report (its unknown_label
review item included) landed by the real raw-layer loader; then the command lists, accepts,
exports and applies, and the extractor reads the cell with the accepted code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from review_helpers import CODE, DIMENSION, NEW_LABEL, YEAR, housing_cells, write_reworded_report

from extractors import curation
from extractors.extract import extract_path
from extractors.review import ReviewItem
from orchestration.cli import main
from orchestration.review.decisions import NotSettledByAccept, accept
from orchestration.review.items import ISSUE_KIND, OpenItem
from orchestration.warehouse import land_raw_layer


@pytest.fixture
def landed(tmp_path, monkeypatch) -> tuple[Path, ReviewItem]:
    """A warehouse holding the reworded report's extraction; its unknown_label item."""
    monkeypatch.setenv("MLW_CURATION", str(tmp_path / "curation"))
    monkeypatch.setenv("MLW_WAREHOUSE", str(tmp_path / "warehouse.duckdb"))
    report = write_reworded_report(tmp_path / "report.txt")
    result = extract_path(report)
    land_raw_layer(tmp_path / "warehouse.duckdb", [result])
    item = next(item for item in result.review_items if item.label == NEW_LABEL)
    assert (item.kind, item.dimension, item.year) == ("unknown_label", DIMENSION, YEAR)
    return report, item


def test_review_lists_items_by_kind_with_id_and_suggestion(landed, capsys):
    report, item = landed
    assert main(["review"]) == 0
    listed = capsys.readouterr().out
    assert "unknown_label (1):" in listed
    assert f"{item.review_id}  {YEAR}  {report.name}:{item.source.line}  {DIMENSION} '{NEW_LABEL}'" in listed


def test_accept_records_the_decision_and_the_next_extraction_reads_the_cell(landed, capsys):
    report, item = landed
    assert CODE not in housing_cells(report)
    assert main(["review", "accept", item.review_id, "--as", CODE]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: CODE}}
    assert CODE in housing_cells(report)
    assert main(["review", "accept", "no-such-item"]) == 1


def test_an_item_without_label_or_code_is_not_recorded(landed, capsys):
    _, item = landed
    without_code = OpenItem(item.review_id, item.kind, YEAR, "report.txt", 1, "", "", DIMENSION, NEW_LABEL)
    with pytest.raises(NotSettledByAccept, match="--as CODE"):
        accept(without_code)
    with pytest.raises(NotSettledByAccept, match="only labels are settled"):
        accept(OpenItem("issue-1", ISSUE_KIND, YEAR, "report.txt", 1, "", "error: ...", suggestion=CODE))
    assert curation.digest() == curation.NO_CURATION


def test_accept_as_another_code(landed):
    _, item = landed
    assert main(["review", "accept", item.review_id, "--as", "independent"]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: "independent"}}


@pytest.mark.parametrize("suffix", [".yaml", ".csv"])
def test_export_then_apply_the_filled_in_decisions(landed, tmp_path, suffix):
    _, item = landed
    exported = tmp_path / f"review{suffix}"
    assert main(["review", "write", str(exported)]) == 0
    text = exported.read_text(encoding="utf-8")
    assert item.review_id in text and curation.digest() == curation.NO_CURATION
    if suffix == ".yaml":
        rows = yaml.safe_load(text)
        next(row for row in rows if row["item_id"] == item.review_id)["decision"] = CODE
        exported.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    else:
        lines = text.splitlines()
        lines = [line + CODE if line.startswith(item.review_id) else line for line in lines]
        exported.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["review", "apply", str(exported)]) == 0
    assert curation.decisions("dimension_labels", YEAR) == {DIMENSION: {NEW_LABEL: CODE}}
