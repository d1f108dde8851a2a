"""A reviewer's decision on one review item, written into the curation folder: the one code
path of `mlw review accept` (orchestration/review/decisions.py) and of the drift benchmark.

What an item asks to settle is named by its `dimension`:

- a conformed dimension (or `commune`): the printed `label` means the code decided
  (`<year>/dimension_labels.yaml`, extractors/curation.py);
- TABLE_COLUMNS: a commune table prints the headers of one mapping plus a column no mapping
  knows, whose header is `label`; the decision lists the columns in print order, `?` for the
  new one ("youths_in_contact | ? | youths_interviewed"), or a catalogue indicator when the
  reviewer knows what it counts;
- TABLE_SECTION: a commune table whose headers several mappings share is printed under the
  section `label` (a moved table); the decision names its mapping by its indicators
  ("pacea_allowance_beneficiaries/pacea_allowance_amount").

Table decisions are entries of `<year>/ml_activity_report.yaml`'s `commune_tables`, laid over
the shipped mapping file like any mapping wording: no file of the repository changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractors import curation
from extractors.catalogue import load_catalogue
from extractors.wording_rules import UNKNOWN_COLUMN, CommuneTableMapping, commune_table_mappings

TABLE_COLUMNS = "commune_table_columns"
TABLE_SECTION = "commune_table_section"
TABLE_DECISIONS = (TABLE_COLUMNS, TABLE_SECTION)
COMMUNE_TABLES_FILE = "ml_activity_report"  # the mapping file a table decision is laid over
COLUMN_SEPARATOR = " | "  # between the columns of a TABLE_COLUMNS suggestion
INDICATOR_SEPARATOR = "/"  # between the indicators of a TABLE_SECTION suggestion


class DecisionRefused(ValueError):
    """A decision that names no known mapping or indicator: nothing is written."""


def record_decision(dimension: str | None, label: str | None, code: str | None, year: int | None,
                    folder: Path | None = None) -> Path:
    """Record that `label` (of what `dimension` names) means `code` in the `year` edition; the
    decision file written. DecisionRefused when the item names nothing a decision settles."""
    if not (dimension and label and year):
        raise DecisionRefused("only an item naming a dimension (or a commune table's columns or "
                              "section) and a label is settled by a decision")
    if not code:
        raise DecisionRefused("no suggestion: give the decision")
    if dimension == TABLE_COLUMNS:
        return _record_table(_columns_entry(label, code, year), year, folder)
    if dimension == TABLE_SECTION:
        return _record_table(_section_entry(label, code, year), year, folder)
    return curation.record_label(dimension, label, code, year, folder)


def columns_suggestion(indicators: tuple[str, ...]) -> str:
    return COLUMN_SEPARATOR.join(indicators)


def section_suggestion(indicators: tuple[str, ...]) -> str:
    return INDICATOR_SEPARATOR.join(indicators)


def _record_table(entry: dict[str, Any], year: int, folder: Path | None) -> Path:
    def same(known: dict) -> bool:  # a decision on the same printed table replaces it
        return (known.get("header_labels") == entry["header_labels"]
                and known.get("section") == entry.get("section"))
    return curation.record_entry(COMMUNE_TABLES_FILE, ("commune_tables",), entry, same, year, folder)


def _columns_entry(header: str, code: str, year: int) -> dict[str, Any]:
    """The mapping whose every column the decision names, with the new column (`?`, or the
    indicator the reviewer gave) where it is printed."""
    columns = [column.strip() for column in code.split("|")]
    known = [column for column in columns if column not in (UNKNOWN_COLUMN, "")]
    mapping = next((mapping for mapping in _mappings()
                    if set(mapping.indicators) <= set(known) and len(columns) == len(mapping.indicators) + 1),
                   None)
    if mapping is None or len(set(columns)) != len(columns):
        raise DecisionRefused(f"{code!r}: the columns of one commune-table mapping in print order, "
                              f"the new column as '{UNKNOWN_COLUMN}' or an indicator")
    _check_indicators([column for column in known if column not in mapping.indicators])
    labels = dict(zip(mapping.indicators, _labels(mapping, year)))
    entry: dict[str, Any] = {
        "indicators": [None if column in (UNKNOWN_COLUMN, "") else column for column in columns],
        "header_labels": {year: [labels.get(column, header) for column in columns]},
    }
    return _with_section(entry, mapping, year)


def _section_entry(section: str, code: str, year: int) -> dict[str, Any]:
    """The mapping of the decided indicators, read in the section the table is printed under."""
    indicators = tuple(code.strip().split(INDICATOR_SEPARATOR))
    mapping = next((mapping for mapping in _mappings() if mapping.indicators == indicators), None)
    if mapping is None:
        raise DecisionRefused(f"{code!r}: no commune-table mapping reads exactly these indicators "
                              f"(write them as in the suggestion, separated by '{INDICATOR_SEPARATOR}')")
    return {"indicators": list(indicators), "header_labels": {year: list(_labels(mapping, year))},
            "section": {year: section}}


def _mappings() -> list[CommuneTableMapping]:
    """The shipped mappings (with earlier decisions), those with a column of review aside."""
    return [mapping for mapping in commune_table_mappings() if UNKNOWN_COLUMN not in mapping.indicators]


def _labels(mapping: CommuneTableMapping, year: int) -> tuple[str, ...]:
    edition = year if year in mapping.header_labels else max(mapping.header_labels)
    return mapping.header_labels[edition]


def _with_section(entry: dict[str, Any], mapping: CommuneTableMapping, year: int) -> dict[str, Any]:
    if mapping.section is not None:
        entry["section"] = {year: list(mapping.section.wordings(year))}
    return entry


def _check_indicators(codes: list[str]) -> None:
    unknown = [code for code in codes if code not in load_catalogue()]
    if unknown:
        raise DecisionRefused(f"not catalogue indicators: {', '.join(unknown)}")
