"""Extractor for the MEL's PIA Jeunesse guide ("Investir dans les jeunesses", programme catalogue).

One `Programme` per action block (title, thematic axis, carriers, target public and ages, own
communes, first and last milestone years, resources, description); the milestones' counts of
young people become `Fact`s (indicators_mel_pia_guide.yaml), their other figures `Claim`s.
The guide is published by the metropolis, not by a Mission Locale: `structure` is None.
Contact persons (names, e-mails, phones) are never read: see action_layout.py and guide_text.redact.

Modules: mapping (wordings), segments (blocks and axes), layout (parts of a block), tail
(communes, scope, target public), communes, ages, milestones, figures, edition (year), records.
"""

from __future__ import annotations

from extractors.lines import Document
from extractors.pia_guide.action_layout import read_layout
from extractors.pia_guide.action_records import action_name, build_action
from extractors.pia_guide.edition import edition_year
from extractors.pia_guide.guide_mapping import load_mapping
from extractors.pia_guide.guide_text import norm
from extractors.pia_guide.issue_log import IssueLog
from extractors.pia_guide.milestones import read_milestones
from extractors.pia_guide.segments import segment
from extractors.programmes import programme_key
from extractors.result import ExtractionResult

KIND = "mel_pia_guide"


def recognises(document: Document) -> bool:
    """The guide names the programme and prints a carrier line for each action."""
    mapping = load_mapping()
    texts = [norm(line.text) for line in document.lines]
    if not any(mapping.programme_phrase in text for text in texts):
        return False
    carriers = sum(1 for text in texts if mapping.carrier.match(text))
    return carriers >= mapping.min_action_blocks


def extract(document: Document) -> ExtractionResult:
    mapping = load_mapping()
    blocks = segment(document.lines, mapping)
    layouts = [(block, read_layout(block, mapping)) for block in blocks]
    timelines = {id(layout): read_milestones(layout.milestones)
                 for _, layout in layouts if layout is not None}
    year = edition_year(timelines.values())
    log = IssueLog(document, year)
    if year is None:
        log.add(None, "no yearly milestone found: the guide's edition year is unknown", "error")
    result = ExtractionResult(document.path, document.sha256, kind=KIND, year=year,
                              structure=None, page_count=document.page_count)
    keys: set[str] = set()
    fact_ids: set[str] = set()
    for block, layout in layouts:
        if layout is None:
            log.add(block.lines[0], "action block without a title: not extracted")
            continue
        key = _unique_key(programme_key(action_name(layout)), keys)
        if key != programme_key(action_name(layout)):
            log.add(layout.title[0].line, f"second action named {action_name(layout)!r}: key {key}")
        records = build_action(document, layout, key, timelines[id(layout)], year, mapping, log)
        result.programmes.append(records.programme)
        for fact in records.facts:
            if fact.fact_id in fact_ids:
                log.add(None, f"two figures of {key} give the same fact id: second not published")
                continue
            fact_ids.add(fact.fact_id)
            result.facts.append(fact)
        result.claims.extend(records.claims)
    if not result.programmes:
        log.add(None, "no action block found", "error")
    result.issues.extend(log.issues)
    return result


def _unique_key(key: str, taken: set[str]) -> str:
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}_{number}", number + 1
    taken.add(candidate)
    return candidate
