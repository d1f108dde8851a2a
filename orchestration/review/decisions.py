"""Reviewers' decisions written into the curation folder (extractors/curation.py).

`accept` settles one item; `write` writes the open items to an editable file (YAML, or CSV by
its suffix) with an empty `decision` column, and `apply` accepts every row whose `decision`
was filled in (`accept` takes the suggestion). The file carries what a decision needs, so it
can be applied on another checkout of the same warehouse.
"""

from __future__ import annotations

import csv
from dataclasses import asdict, fields
from pathlib import Path

import yaml

from extractors import curation
from extractors.decisions import DecisionRefused, record_decision
from extractors.melt_report.wording_decisions import is_key_figure, record_wording
from orchestration.review.items import OpenItem

ACCEPT_SUGGESTION = "accept"  # a `decision` cell that takes the item's suggestion
EXPORT_COLUMNS = [field.name for field in fields(OpenItem)] + ["decision"]


class NotSettledByAccept(ValueError):
    """An item that a curation decision cannot settle (yet): it names what to do instead."""


def accept(item: OpenItem, code: str | None = None, folder: Path | None = None) -> Path:
    """Record that the item's printed label means `code` (default: its suggestion); the
    decision file written (extractors/decisions.py: a label's code, or a commune table's
    columns or section; extractors/melt_report/wording_decisions.py: a key figure's wording).
    An unknown_label item names its dimension and label, a table item its decision's subject,
    a key figure that no wording covers its clause (the code is then an indicator); another
    item (an extraction issue) can be settled from a review file whose row the reviewer
    completed."""
    code = code or item.suggestion
    if item.label and item.year and is_key_figure(item.table):  # a key figure: its wording
        if not code:
            raise NotSettledByAccept(f"{item.item_id}: no suggestion, give the indicator with --as CODE")
        try:
            return record_wording(item.label, item.text, item.table or "", code, item.year, folder)
        except ValueError as error:
            raise NotSettledByAccept(f"{item.item_id}: {error}") from error
    if not (item.dimension and item.label and item.year):
        raise NotSettledByAccept(
            f"{item.item_id} is a {item.kind} without a dimension and label: only labels are settled by "
            "a decision (a dimension's, or a commune table's columns or section; fill in dimension, label and "
            "decision in `mlw review write`'s file), other wordings go into their mapping file "
            f"(extractors/mappings/, or over it {curation.curation_dir()}/<year>/<mapping>.yaml) "
            f"({item.reason})")
    if not code:
        raise NotSettledByAccept(f"{item.item_id}: no suggestion, give the code with --as CODE")
    try:
        return record_decision(item.dimension, item.label, code, item.year, folder)
    except DecisionRefused as error:
        raise NotSettledByAccept(f"{item.item_id}: {error}") from error


def write_review_file(items: list[OpenItem], target: Path) -> int:
    """Write the items to `target` (.csv, else YAML) with an empty `decision`; rows written."""
    rows = [{**asdict(item), "decision": None} for item in items]
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() == ".csv":
        with target.open("w", newline="", encoding="utf-8") as stream:
            writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    else:
        target.write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(rows)


def _read_rows(source: Path) -> list[dict]:
    if source.suffix.lower() == ".csv":
        with source.open(newline="", encoding="utf-8") as stream:
            return list(csv.DictReader(stream))
    return yaml.safe_load(source.read_text(encoding="utf-8")) or []


def _item(row: dict) -> OpenItem:
    values = {name: (row.get(name) or None) for name in EXPORT_COLUMNS if name != "decision"}
    for number in ("year", "line"):
        values[number] = int(values[number]) if values[number] is not None else None
    values["text"], values["reason"] = values["text"] or "", values["reason"] or ""
    return OpenItem(**values)


def apply(source: Path, folder: Path | None = None) -> tuple[list[Path], list[str]]:
    """Accept every row of a review file whose `decision` is filled in: the decision files
    written, and one line per row that could not be settled."""
    written: list[Path] = []
    refused: list[str] = []
    for row in _read_rows(source):
        decision = str(row.get("decision") or "").strip()
        if not decision:
            continue
        try:
            written.append(accept(_item(row), None if decision == ACCEPT_SUGGESTION else decision, folder))
        except NotSettledByAccept as error:
            refused.append(str(error))
    return sorted(set(written)), refused
