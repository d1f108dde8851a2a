"""The structure's territory: the communes the report lists after stating how many it covers.

"elle couvre 11 communes, dont 8 sont frontalières : Bondues, Bousbecque, ... et Wervicq-Sud."
The count is a key figure (published by the mapping's wording); the names that follow its ":"
become one `territory_commune` fact each (value 1, dimensions commune and commune_insee). A
name that is not a MEL commune, a list whose length differs from the count, or another
sentence stating a different number of communes is reported as an issue, never corrected.
"""

from __future__ import annotations

import re

from extractors.facts import ExtractionIssue, Fact, Source
from extractors.melt_report.key_figures import Setting
from extractors.melt_report.report_mapping import Edition
from extractors.melt_report.text_blocks import Block
from extractors.reference import communes_by_name, normalise_label

_LIST_END = re.compile(r"\.(?:\s|$)")
_SEPARATOR = re.compile(r"\s*,\s*|\s+et\s+")
_COMMUNES_COUNT = re.compile(r"\b(\d{1,3}) communes\b")


def read_territory(setting: Setting, blocks: list[Block], facts: list[Fact], edition: Edition,
                   ) -> tuple[list[Fact], list[ExtractionIssue]]:
    count = next((fact for fact in facts if fact.indicator == edition.count_indicator), None)
    if count is None or edition.commune_indicator is None:
        return [], []
    index = next((i for i, block in enumerate(blocks)
                  if any(line.number == count.source.line and line.page == count.source.page
                         for line in block.lines) and ":" in block.printed), None)
    if index is None:
        return [], [_issue(setting, count.source.line, "the territory's communes are not listed "
                           "after the sentence stating their number")]
    names = _listed_names(blocks, index)
    territory, issues = [], []
    for name, block, position in names:
        line = block.line_at(position)
        commune = communes_by_name().get(normalise_label(name))
        if commune is None:
            issues.append(_issue(setting, line.number, f"{name!r} is listed in the territory but "
                                 "is not a commune of the MEL reference", line.text))
            continue
        territory.append(Fact(
            indicator=edition.commune_indicator,
            dimensions={"commune": commune.name, "commune_insee": commune.insee}, value=1,
            unit="count", year=setting.year, structure=setting.structure, is_total=False,
            source=Source.of_line(setting.document, line), table=f"territory@L{count.source.line}"))
    if len(names) != count.value:
        issues.append(_issue(setting, count.source.line,
                             f"the report states {count.value:g} communes but lists {len(names)}"))
    issues += _other_counts(setting, blocks, count)
    return territory, issues


def _listed_names(blocks: list[Block], index: int) -> list[tuple[str, Block, int]]:
    """(name, block, printed position) of each name after the ":" up to the full stop."""
    block = blocks[index]
    start = block.printed.index(":") + 1
    if not block.printed[start:].strip() and index + 1 < len(blocks):
        block, start = blocks[index + 1], 0
    text = block.printed
    end_match = _LIST_END.search(text, start)
    end = end_match.start() if end_match else len(text)
    names, position = [], start
    for part in _SEPARATOR.split(text[start:end]):
        found = text.find(part, position)
        if part.strip():
            names.append((part.strip(), block, found))
        position = found + len(part)
    return names


def _other_counts(setting: Setting, blocks: list[Block], count: Fact) -> list[ExtractionIssue]:
    """Sentences elsewhere that give the territory another number of communes."""
    issues = []
    for block in blocks:
        for match in _COMMUNES_COUNT.finditer(block.folded.text):
            if int(match[1]) == count.value:
                continue
            line = block.line_at(block.folded.printed_span(*match.span(1))[0])
            issues.append(_issue(setting, line.number,
                                 f"the report states {match[1]} communes here but "
                                 f"{count.value:g} at line {count.source.line}", line.text))
    return issues


def _issue(setting: Setting, line: int, reason: str, text: str | None = None) -> ExtractionIssue:
    return ExtractionIssue(path=setting.document.path, sha256=setting.document.sha256,
                           severity="warning", reason=reason, line=line, text=text,
                           year=setting.year, structure=setting.structure)
