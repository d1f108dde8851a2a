"""A real report's text layer as an edition to drift, its truth typed by hand.

The truth is an expected-facts file (tests/expected/README.md: one entry per table and
indicator, facts with conformed codes and the line they are printed on). The lines are used
once, to find each commune table in the text; from then on a table is held by meaning
(model.py) and its truth follows its figures. A commune table that the model would not print
back exactly as the report does (its own spacing, a total that differs from its rows) stays
plain text, its cells in the truth as typed.
"""

from __future__ import annotations

from collections import Counter
from itertools import groupby
from typing import Any

from sample_inputs.drift.model import Block, Column, CommuneTable, Edition, Row
from sample_inputs.drift.truth import TruthCell
from sample_inputs.report_figures import STRUCTURE_CODE, STRUCTURE_NAME, table_specs, territory


def corpus_edition(text: str, expected: dict[str, Any]) -> Edition:
    """The report's lines with its commune tables as models; the rest of its cells as typed."""
    lines = text.splitlines()
    year, structure = expected["report"]["year"], expected["report"]["structure"]
    communes = {insee: name for insee, name, _ in territory(structure or STRUCTURE_CODE)}
    other = Counter(_cell(entry["indicator"], fact)
                    for entry in expected["tables"] for fact in entry["facts"])
    tables: dict[int, tuple[int, CommuneTable]] = {}  # first line index -> (last, table)
    for header_line, entries in groupby(expected["tables"], key=lambda entry: entry["header_line"]):
        entries = list(entries)
        found = _commune_table(lines, header_line, entries, communes, year)
        if found is not None:
            tables[header_line - 1] = found
            other -= Counter(_cell(entry["indicator"], fact) for entry in entries for fact in entry["facts"])
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        if index in tables:
            last, table = tables[index]
            blocks.append(table)
            index = last + 1
        else:
            blocks.append(lines[index])
            index += 1
    return Edition(year, STRUCTURE_NAME, {name: insee for insee, name in communes.items()},
                   blocks, other)


def _commune_table(lines: list[str], header_line: int, entries: list[dict], communes: dict[str, str],
                   year: int) -> tuple[int, CommuneTable] | None:
    """The table whose header starts at `header_line`, when it is a commune table the model
    prints back line for line; (its last line's index, the table)."""
    facts = [fact for entry in entries for fact in entry["facts"]]
    if any(fact.get("flags") or set(fact["dims"]) - {"commune_insee"} for fact in facts):
        return None
    row_lines = sorted({fact["line"] for fact in facts if not fact.get("total")})
    totals = {fact["line"] for fact in facts if fact.get("total")}
    if len(totals) != 1 or not row_lines or not lines[header_line - 1].startswith("Commune"):
        return None
    values = {(entry["indicator"], fact["line"]): fact["value"]
              for entry in entries for fact in entry["facts"]}
    indicators = [entry["indicator"] for entry in entries]
    rows, breaks = [], {}
    for number in range(row_lines[0], max(totals)):
        if number not in row_lines:
            breaks.setdefault(len(rows), []).append(lines[number - 1])
            continue
        insee = next(fact["dims"]["commune_insee"] for fact in facts if fact["line"] == number)
        name = communes.get(insee, "")
        if not lines[number - 1].startswith(name + " "):
            return None
        rows.append(Row(name, insee, [values[indicator, number] for indicator in indicators]))
    table = CommuneTable(_columns(indicators, year), rows, breaks=breaks,
                         header_lines=lines[header_line - 1:row_lines[0] - 1])
    last = max(totals) - 1
    return (last, table) if table.lines() == lines[header_line - 1:last + 1] else None


def _columns(indicators: list[str], year: int) -> list[Column]:
    """The columns with the headers and units the mapping file gives them."""
    spec = next((spec for spec in table_specs(year) if list(spec.indicators) == indicators), None)
    if spec is None:
        return [Column(indicator, indicator) for indicator in indicators]
    return [Column(code, header, unit) for code, header, unit
            in zip(spec.indicators, spec.headers, spec.units or ("count",) * len(indicators))]


def _cell(indicator: str, fact: dict) -> TruthCell:
    return TruthCell(indicator, tuple(sorted(fact["dims"].items())), bool(fact.get("total")),
                     float(fact["value"]))
