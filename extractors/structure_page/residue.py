"""Figures that no profile rule or action used: claimed, or reported; never dropped.

A figure followed by words is a claim on them ("43,000 inhabitants", "13 french industrial
groups"); one in a unit the contract lacks (km, hectares) is a review item; one with no label
at all (a carousel's "2 3 4") is a review item and a warning naming the file and line.
"""

from __future__ import annotations

from extractors.lines import Line
from extractors.structure_page.line_figures import Figure, LineReading, redact
from extractors.structure_page.page_mapping import CONTRACT_UNITS
from extractors.structure_page.page_records import Records
from extractors.structure_page.page_text import sentence_spans

NO_LABEL = "no label next to it"


def _sentence(line: Line, figure: Figure) -> str:
    for start, end in sentence_spans(line.text):
        if start <= figure.start < end:
            return " ".join(redact(line.text[start:end]).split())
    return " ".join(redact(line.text).split())


def report_leftovers(lines: tuple[Line, ...], readings: dict[int, LineReading], used: set[Figure],
                     records: Records) -> None:
    for line in lines:
        unlabelled = []
        for figure in readings[line.number].figures:
            if figure in used:
                continue
            if figure.unit not in CONTRACT_UNITS:
                records.review(figure.printed, figure.value, line,
                               f"unit {figure.unit} is not a unit of the fact contract "
                               f"({', '.join(CONTRACT_UNITS)}); kept for review, not published")
            elif figure.subject:
                records.claim(figure, line, _sentence(line, figure))
            else:
                records.review(figure.printed, figure.value, line, NO_LABEL)
                unlabelled.append(figure.printed)
        if unlabelled:
            records.warn(line, f"figure(s) without a label, not extracted: {', '.join(unlabelled)}")
