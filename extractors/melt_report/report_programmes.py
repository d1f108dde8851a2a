"""The programmes the MELT report describes, as `Programme` records with their provenance.

The mapping says how each programme is named and which sentences date it or state its public;
the years and ages themselves are read from those sentences, so an edition that changes them is
read as printed. A programme of the mapping that the document does not name is reported, not
invented.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extractors.facts import ExtractionIssue, Source
from extractors.lines import Document, Line
from extractors.melt_report.report_mapping import Edition, ProgrammeSpec, TargetSpec
from extractors.melt_report.report_sections import line_windows
from extractors.melt_report.text_blocks import Block
from extractors.programmes import Programme, programme_key
from extractors.reference import national_scheme_code, normalise_label

CARRIER = "Mission Emploi Lys-Tourcoing"  # the report's own programmes are carried by the MELT
_SENTENCE_END = re.compile(r"[.!?](?= |$)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_AGES = re.compile(r"\bde (\d{1,2}) a (\d{1,2}) ans\b")


def find_programmes(document: Document, blocks: list[Block], edition: Edition, year: int,
                    structure: str) -> tuple[list[Programme], list[ExtractionIssue]]:
    programmes, issues = [], []
    for spec in edition.programmes:
        line = naming_line(document.lines, spec.named_by)
        if line is None:
            issues.append(ExtractionIssue(
                path=document.path, sha256=document.sha256, severity="warning",
                reason=f"programme {spec.name!r} of the mapping is not named in the document "
                       f"(looked for {spec.named_by!r})", year=year, structure=structure))
            continue
        programmes.append(_programme(document, blocks, spec, line, year, structure))
    return programmes, issues


def naming_line(lines: Sequence[Line], wording: str) -> Line | None:
    """The first line that is the wording (alone, over up to four lines), else the first line
    holding it, else the first pair of lines holding it."""
    wanted = normalise_label(wording)
    for index, line in enumerate(lines):
        if wanted in line_windows(lines, index):
            return line
    pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    for index, line in enumerate(lines):
        if pattern.search(normalise_label(line.text)):
            return line
    for index, line in enumerate(lines):
        windows = line_windows(lines, index, size=2)
        if len(windows) == 2 and pattern.search(windows[1]):
            return line
    return None


def _programme(document: Document, blocks: list[Block], spec: ProgrammeSpec, line: Line,
               year: int, structure: str) -> Programme:
    target = _target(blocks, spec.target) if spec.target else None
    ages = _AGES.search(normalise_label(target)) if target else None
    since = _sentence(blocks, spec.since) if spec.since else None
    first_year = _YEAR.search(normalise_label(since)) if since else None
    scheme = next((code for code in map(national_scheme_code, (spec.name, *spec.aliases)) if code),
                  None)
    return Programme(
        key=programme_key(spec.name), name=spec.name, category=spec.category,
        carriers=(CARRIER,), target_public=target,
        age_min=int(ages[1]) if ages else None, age_max=int(ages[2]) if ages else None,
        communes=(), first_year=int(first_year[0]) if first_year else None, last_year=None,
        resources=None,
        description=_sentence(blocks, spec.description) if spec.description else None,
        structure=structure, year=year, source=Source.of_line(document, line), aliases=spec.aliases,
        national_scheme=scheme)


def _sentence(blocks: list[Block], phrase: str) -> str | None:
    """The printed sentence holding the phrase (first occurrence)."""
    found = _find(blocks, phrase)
    if found is None:
        return None
    block, start, end = found
    text = block.folded.text
    begin = max([match.end() for match in _SENTENCE_END.finditer(text, 0, start)] + [0])
    stop = _SENTENCE_END.search(text, end)
    return _printed(block, begin, stop.end() if stop else len(text))


def _target(blocks: list[Block], spec: TargetSpec) -> str | None:
    """The words after the anchor, up to `until` or the sentence's end."""
    found = _find(blocks, spec.after)
    if found is None:
        return None
    block, _, end = found
    text = block.folded.text
    stop = text.find(normalise_label(spec.until), end) if spec.until else -1
    if stop < 0:
        sentence_end = _SENTENCE_END.search(text, end)
        stop = sentence_end.start() if sentence_end else len(text)
    return _printed(block, end, stop).strip(" ,;:") or None


def _find(blocks: list[Block], phrase: str) -> tuple[Block, int, int] | None:
    wanted = normalise_label(phrase)
    for block in blocks:
        start = block.folded.text.find(wanted)
        if start >= 0:
            return block, start, start + len(wanted)
    return None


def _printed(block: Block, start: int, end: int) -> str:
    while start < end and block.folded.text[start] == " ":
        start += 1
    if start >= end:
        return ""
    return block.printed[slice(*block.folded.printed_span(start, end))].strip()
