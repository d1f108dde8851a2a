"""Commune tables of an activity report: "Commune | count | dont ..." rows and a stated total.

A table starts at a line whose first word is "Commune"; the lines up to the first commune
row are its column headers; it ends at its "Total ..." line. Headers are matched to
catalogue indicators through the year-keyed mapping file, never by position in the report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from dataclasses import dataclass, field

from extractors.documents import Document, Line
from extractors.activity_report.sections import SectionContext
from extractors.facts import (
    FLAG_EXPLAINED_BY_FOOTNOTE,
    FLAG_RESOLVED_BY_CONSTRAINTS,
    FLAG_SOURCE_TOTAL_MISMATCH,
    ExtractionIssue,
    Fact,
    Source,
)
from extractors.mappings import CommuneTableMapping, commune_table_mappings, label_words
from extractors.numbers import readings, resolve_table, split_cells
from extractors.reference import Commune, communes_by_name, normalise_label

_HEADER_MAX_LINES = 15
# Headers of a drifted edition are matched to the closest known ones when they share at least
# this share of their words (Jaccard), and the next closest is at least the margin behind.
APPROXIMATE_MATCH = 0.6
APPROXIMATE_MARGIN = 0.15
_TOTAL_PREFIX = re.compile(r"^\s*total(?:\s+g[ée]n[ée]ral)?\s*:?\s*", re.IGNORECASE)
_VALUE_TOKEN = re.compile(r"^(?:\d+(?:,\d+)?|/|€)$")
# "(dont 29 € de frais de gestion)" under a total: an amount the rows do not show.
_FOOTNOTE = re.compile(r"^\(?\s*dont\s+(\d{1,3}(?:\s\d{3})*(?:,\d+)?)\s*€")


@dataclass
class CommuneRow:
    line: Line
    commune: Commune
    cells: list[str]


@dataclass
class CommuneTable:
    """A commune table as printed, before its figures are read."""

    header_line: Line
    header_text: str
    header_index: int  # position of the header in the document's lines
    rows: list[CommuneRow] = field(default_factory=list)
    total_line: Line | None = None
    total_cells: list[str] | None = None
    footnote: tuple[Line, Decimal] | None = None  # "(dont N € de ...)" under the total
    problems: list[tuple[Line, str]] = field(default_factory=list)


def segments(text: str) -> list[tuple[str, list[str]]]:
    """Split a line into (name, value tokens) runs: two-column layouts give two runs."""
    runs: list[tuple[list[str], list[str]]] = []
    for token in text.split():
        if _VALUE_TOKEN.match(token):
            if not runs:
                runs.append(([], []))
            runs[-1][1].append(token)
        elif not runs or runs[-1][1]:
            runs.append(([token], []))
        else:
            runs[-1][0].append(token)
    return [(" ".join(name), [t for t in values if t != "€"]) for name, values in runs]


def _commune(name: str) -> Commune | None:
    return communes_by_name().get(normalise_label(name))


def _is_total(line: Line) -> bool:
    return normalise_label(line.text).startswith("total")


def _commune_rows(line: Line) -> list[CommuneRow] | None:
    """The commune rows a line holds (one, or two in a two-column list), else None."""
    runs = segments(line.text)
    if not runs or any(not values for _, values in runs):
        return None
    rows = []
    for name, values in runs:
        commune = _commune(name)
        if commune is None:
            return None
        rows.append(CommuneRow(line, commune, values))
    return rows


def _unknown_commune_row(line: Line, year: int) -> str | None:
    """The name of a line that reads like a table row but names no known commune."""
    runs = segments(line.text)
    if len(runs) != 1:
        return None
    name, values = runs[0]
    if not name or not values or _commune(name) is not None or values == [str(year)]:
        return None
    return name


def find_commune_tables(lines: tuple[Line, ...], year: int) -> Iterator[CommuneTable]:
    index = 0
    while index < len(lines):
        line = lines[index]
        if normalise_label(line.text).split(" ")[:1] != ["commune"]:
            index += 1
            continue
        table, index = _read_table(lines, index, year)
        if table is not None:
            yield table


def _read_table(lines: tuple[Line, ...], start: int, year: int) -> tuple[CommuneTable | None, int]:
    """Read the table whose header starts at `start`; return it and the index after it."""
    header_line = lines[start]
    header_parts = [header_line.text]
    index = start + 1
    first_rows = None
    while index < len(lines) and index - start <= _HEADER_MAX_LINES:
        candidate = lines[index]
        first_rows = _commune_rows(candidate)
        if first_rows or _is_total(candidate) or _unknown_commune_row(candidate, year):
            break
        if normalise_label(candidate.text).startswith("commune"):
            return None, index  # another header: this one had no rows
        header_parts.append(candidate.text)
        index += 1
    if not first_rows and not (index < len(lines) and _unknown_commune_row(lines[index], year)):
        return None, index
    table = CommuneTable(header_line, " ".join(header_parts), start)
    while index < len(lines):
        line = lines[index]
        text = line.text.strip()
        if not text or line.is_page_number:
            index += 1
            continue
        if _is_total(line):
            table.total_line = line
            table.total_cells = split_cells(_TOTAL_PREFIX.sub("", line.text))
            table.footnote = _footnote_after(lines, index + 1)
            return table, index + 1
        rows = _commune_rows(line)
        if rows:
            table.rows.extend(rows)
        elif (unknown := _unknown_commune_row(line, year)) is not None:
            table.problems.append((line, f"unknown commune {unknown!r} in a commune table"))
        else:
            break
        index += 1
    return table, index


def _footnote_after(lines: tuple[Line, ...], index: int) -> tuple[Line, Decimal] | None:
    """A "(dont N € de ...)" note on the line right after a total (blank lines skipped)."""
    while index < len(lines) and not lines[index].text.strip():
        index += 1
    if index < len(lines) and (match := _FOOTNOTE.match(normalise_label(lines[index].text))):
        return lines[index], Decimal(match.group(1).replace(" ", "").replace(",", "."))
    return None


def _match_mapping(table: CommuneTable, year: int,
                   context: SectionContext | None) -> CommuneTableMapping | None:
    """The mapping whose headers (and, if it names one, section) match the table."""
    words = _header_words(table, year)
    for mapping in _in_section(context, year):
        if words in mapping.header_words(year):
            return mapping
    return None


def _header_words(table: CommuneTable, year: int) -> tuple[str, ...]:
    return tuple(sorted(_drop_once(label_words(table.header_text, year), "commune")))


def _in_section(context: SectionContext | None, year: int) -> list[CommuneTableMapping]:
    return [mapping for mapping in commune_table_mappings()
            if mapping.section is None or (context and mapping.section.matches(context, year))]


def _approximate_mapping(table: CommuneTable, year: int, context: SectionContext | None
                         ) -> tuple[CommuneTableMapping, float] | None:
    """For an edition whose headers drifted ("Quartier Politique" -> "Quartier Prioritaire de la
    Politique"): the one mapping whose known headers share most words with the table's, if it
    shares at least APPROXIMATE_MATCH of them and no other mapping comes close. The caller
    reports the match, so that the new wording gets into the mapping file."""
    words = set(_header_words(table, year))
    scored = sorted(
        ((max(_similarity(words, set(known)) for known in mapping.header_words(year)), index)
         for index, mapping in enumerate(_in_section(context, year))), reverse=True)
    if not scored or scored[0][0] < APPROXIMATE_MATCH:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < APPROXIMATE_MARGIN:
        return None  # two mappings fit about as well: not guessed
    return _in_section(context, year)[scored[0][1]], scored[0][0]


def _similarity(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _drop_once(words: tuple[str, ...], word: str) -> list[str]:
    remaining = list(words)
    if word in remaining:
        remaining.remove(word)
    return remaining


def extract_commune_tables(
    document: Document, year: int, structure: str, units: dict[str, str],
    contexts: list[SectionContext] | None = None,
) -> tuple[list[Fact], list[ExtractionIssue]]:
    """Facts of every mapped commune table; an issue for everything that is not extracted."""
    facts: list[Fact] = []
    issues: list[ExtractionIssue] = []
    seen_indicators: dict[tuple[str, ...], Line] = {}

    def issue(line: Line, reason: str, severity: str = "error", candidates=()) -> None:
        issues.append(ExtractionIssue(
            path=document.path, sha256=document.sha256, severity=severity, reason=reason,
            page=line.page, line=line.number, text=line.text, year=year, structure=structure,
            candidates=tuple(candidates),
        ))

    for table in find_commune_tables(document.lines, year):
        context = contexts[table.header_index] if contexts else None
        mapping = _match_mapping(table, year, context)
        if mapping is None and table.total_line is None:
            continue  # a commune list without a stated total: profile_blocks reads those
        if mapping is None and (approximate := _approximate_mapping(table, year, context)):
            mapping, similarity = approximate
            issue(table.header_line, f"column headers {table.header_text.strip()!r} are not in the "
                  f"mapping file for {year}; read as {'/'.join(mapping.indicators)} (closest known "
                  f"headers, {similarity:.0%} of words shared): add this wording to "
                  "extractors/mappings/ml_activity_report.yaml", severity="warning")
        if mapping is None:
            issue(table.header_line, "commune table whose column headers are not in the "
                  f"mapping file, not extracted: {table.header_text.strip()!r}", severity="warning")
            continue
        name = "/".join(mapping.indicators)
        if table.problems:
            for line, reason in table.problems:
                issue(line, f"{reason} ({name}); table not extracted")
            continue
        if mapping.indicators in seen_indicators:
            issue(table.header_line, f"second table for {name} (first at line "
                  f"{seen_indicators[mapping.indicators].number}); not extracted")
            continue
        seen_indicators[mapping.indicators] = table.header_line
        table_facts, table_issue = _read_figures(document, table, mapping, year, structure, units)
        if table_issue:
            line, reason, candidates = table_issue
            issue(line, f"{name}: {reason}; table not extracted", candidates=candidates)
        facts.extend(table_facts)
    return facts, issues


def _read_figures(document, table, mapping, year, structure, units):
    """Resolve the table's figures and turn them into facts, or explain why not."""
    columns = len(mapping.indicators)
    if table.total_line is None:
        return [], (table.header_line, "no stated total after the commune rows", ())
    duplicates = _duplicate_communes(table.rows)
    if duplicates:
        return [], (table.header_line, f"commune listed twice: {', '.join(duplicates)}", ())
    if table.total_cells is None:
        return [], (table.total_line, "the stated total holds something other than figures", ())
    row_options = [readings(row.cells, columns) for row in table.rows]
    for row, options in zip(table.rows, row_options):
        if not options:
            return [], (row.line, f"cannot read {columns} figure(s) from {' '.join(row.cells)!r}", ())
    total_options = readings(table.total_cells, columns)
    subordinate = {
        col for col, label in enumerate(_labels_for(mapping, year))
        if normalise_label(label).startswith("dont")
    }
    reading = resolve_table(row_options, total_options, subordinate)
    if reading.problem:
        return [], (table.header_line, reading.problem, reading.candidates)

    table_ref = _table_ref(mapping, table.header_line)
    facts = []
    for index, (row, values) in enumerate(zip(table.rows, reading.rows)):
        flags = (FLAG_RESOLVED_BY_CONSTRAINTS,) if index in reading.resolved_rows else ()
        for col, value in enumerate(values):
            facts.append(_fact(document, mapping.indicators[col], value, units, year, structure,
                               row.line, table_ref, flags,
                               {"commune": row.commune.name, "commune_insee": row.commune.insee}))
    for col, value in enumerate(reading.total):
        flags = _total_flags(table, reading, col)
        facts.append(_fact(document, mapping.indicators[col], value, units, year, structure,
                           table.total_line, table_ref, flags, {}, is_total=True))
    return facts, None


def _total_flags(table: CommuneTable, reading, col: int) -> tuple[str, ...]:
    """A total that differs from its rows is kept as printed and flagged; when a footnote
    under it states exactly the missing amount, it is flagged as explained instead."""
    if col not in reading.mismatched_columns:
        return ()
    if table.footnote is not None:
        rows_sum = sum(row[col] for row in reading.rows)
        if rows_sum + table.footnote[1] == reading.total[col]:
            return (FLAG_EXPLAINED_BY_FOOTNOTE,)
    return (FLAG_SOURCE_TOTAL_MISMATCH,)


def _labels_for(mapping: CommuneTableMapping, year: int) -> tuple[str, ...]:
    edition = year if year in mapping.header_labels else max(mapping.header_labels)
    return mapping.header_labels[edition]


def _duplicate_communes(rows: list[CommuneRow]) -> list[str]:
    seen: set[str] = set()
    duplicates = []
    for row in rows:
        if row.commune.insee in seen:
            duplicates.append(row.commune.name)
        seen.add(row.commune.insee)
    return duplicates


def _table_ref(mapping: CommuneTableMapping, header: Line) -> str:
    place = f"p{header.page}l{header.number}" if header.page is not None else f"l{header.number}"
    return f"{mapping.indicators[0]}@{place}"


def _fact(document, indicator, value, units, year, structure, line, table_ref, flags,
          dimensions, is_total=False) -> Fact:
    return Fact(
        indicator=indicator, dimensions=dimensions, value=float(value), unit=units[indicator],
        year=year, structure=structure, is_total=is_total,
        source=Source(document.path, document.sha256, line.page, line.number, line.bbox, line.text),
        table=table_ref, flags=tuple(flags),
    )
