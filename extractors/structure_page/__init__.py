"""Extractor for a Mission Locale's web page (structure profile and actions).

A structure page names one Mission Locale, carries a web page's chrome (cookie banner, links,
social networks...) and prints profile key figures ("42041 inhabitants"); see
extractors/mappings/ml_structure_page.yaml. It gives profile facts, the communes of the
structure's territory, its actions as `Programme`s with their participants, and claims and
review items for every other figure. Wordings live in the mapping file, not here.

The page has no edition year: its year is the latest year it names (figures not dated by their
own sentence take it and are flagged `year_from_page`); a page naming no year gives no fact.
"""

from __future__ import annotations

from extractors.facts import ExtractionIssue
from extractors.lines import Document
from extractors.reference import Commune
from extractors.result import ExtractionResult
from extractors.structure_page.actions import extract_actions, page_partners
from extractors.structure_page.line_figures import scan
from extractors.structure_page.page_identity import (
    StructureMention,
    language,
    page_structure,
    page_year,
    structure_mentions,
    web_markers,
)
from extractors.structure_page.page_mapping import PageMapping, load_mapping
from extractors.structure_page.page_records import NO_YEAR, Records
from extractors.structure_page.page_sections import (
    PROFILE,
    about_subject,
    action_blocks,
    split_sections,
)
from extractors.structure_page.page_text import norm, word_set
from extractors.structure_page.profile import (
    add_territory_facts,
    extract_profile,
    profile_commune,
    territory_communes,
)
from extractors.structure_page.residue import report_leftovers

KIND = "ml_structure_page"


def recognises(document: Document) -> bool:
    """One Mission Locale named, a web page's chrome, and a profile key figure."""
    mapping = load_mapping()
    if len(web_markers(document, mapping)) < mapping.min_web_markers:
        return False
    if page_structure(structure_mentions(document.lines, mapping)) is None:
        return False
    lang = language(document, mapping)
    wordings = [set(word_set(w)) for rule in mapping.key_figures for w in rule.wordings_for(None)]
    for line in document.lines:
        reading = scan(line.text, line.number, mapping, lang)
        if len(reading.figures) == 1 and not reading.years:
            label = {w for w in word_set(line.text) if not w.isdigit()}
            if label in wordings:
                return True
    return False


def extract(document: Document) -> ExtractionResult:
    """The page's profile, territory, actions, claims and leftovers, with provenance."""
    mapping = load_mapping()
    result = ExtractionResult(document.path, document.sha256, page_count=document.page_count)
    mentions = structure_mentions(document.lines, mapping)
    named = page_structure(mentions)
    if named is None:
        result.issues.append(ExtractionIssue(
            path=document.path, sha256=document.sha256, severity="error",
            reason="no single Mission Locale named in the text: not a structure page"))
        return result
    lang = language(document, mapping)
    year = page_year(document, mapping, lang)
    result.kind, result.year, result.structure = KIND, year, named.code
    records = Records(document, named.code, year)
    if year is None:
        records.issues.append(ExtractionIssue(
            path=document.path, sha256=document.sha256, severity="warning",
            reason=f"{NO_YEAR}: its figures are kept for review", structure=named.code))

    readings = {line.number: scan(line.text, line.number, mapping, lang) for line in document.lines}
    sections = split_sections(document.lines, mapping)
    territory, where = _territory(mentions, named)
    add_territory_facts(records, where.line, territory)
    profile = next(section for section in sections if section.kind == PROFILE)
    used = extract_profile(profile, readings, mapping, records, profile_commune(profile, territory))

    presented = [name for section in sections if (name := about_subject(section, mapping))
                 and not _is_structure(name, mapping)]
    spans: dict[int, list[tuple[int, int]]] = {}
    for mention in mentions:
        spans.setdefault(mention.line.number, []).append((mention.start, mention.end))
    blocks = [block for section in sections for block in action_blocks(section, mapping)]
    result.programmes, action_figures = extract_actions(
        blocks, readings, mapping, records, named.name,
        page_partners(document.lines, presented, mapping), spans)
    report_leftovers(document.lines, readings, used | action_figures, records)

    result.facts, result.claims = records.facts, records.claims
    result.review_items, result.issues = records.review_items, records.issues
    return result


def _territory(mentions: list[StructureMention],
               named: StructureMention) -> tuple[list[Commune], StructureMention]:
    """The communes of the first naming of the structure that holds any ("Wattrelos-Leers")."""
    for mention in mentions:
        if mention.code == named.code and (communes := territory_communes(mention.line, mention.start,
                                                                          mention.end)):
            return communes, mention
    return [], named


def _is_structure(name: str, mapping: PageMapping) -> bool:
    """"What's the Milo?" presents the structure itself, not a partner."""
    return norm(name) in mapping.structure_words
