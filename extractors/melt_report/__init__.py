"""Extractor for the Mission Emploi Lys-Tourcoing's annual report (key figures).

The glossy layout splits, reorders and glues numbers and labels, so precision comes first: a
key figure is published only when a wording of the year-keyed mapping
(extractors/mappings/melt_activity_report.yaml), checked against that edition, covers it in
its section; every other figure of a figure box is kept as a ReviewItem with its context.
Also read: the structure's territory (its communes), the programmes the report describes, and
the figures its prose states (claims).
"""

from __future__ import annotations

from extractors.activity_report.prose_claims import extract_claims
from extractors.catalogue import load_catalogue
from extractors.claims import Claim
from extractors.facts import ExtractionIssue
from extractors.lines import Document, Line
from extractors.melt_report.key_figures import Setting, read_key_figures
from extractors.melt_report.report_identity import (
    document_text,
    edition_year,
    own_structure,
    recognises_text,
)
from extractors.melt_report.report_mapping import edition_for
from extractors.melt_report.report_programmes import find_programmes
from extractors.melt_report.report_sections import find_sections
from extractors.melt_report.territory import read_territory
from extractors.melt_report.text_blocks import Block, blocks
from extractors.melt_report.wording_suggestions import with_suggestions
from extractors.melt_report.wordings import compile_wording
from extractors.result import ExtractionResult

KIND = "melt_activity_report"


def recognises(document: Document) -> bool:
    """From the content only: the MELT names itself and prints key-figure blocks."""
    return recognises_text(document_text(document))


def extract(document: Document) -> ExtractionResult:
    result = ExtractionResult(document.path, document.sha256, kind=KIND,
                              page_count=document.page_count)
    year, structure = edition_year(document_text(document)), own_structure()
    if year is None or structure is None:
        missing = "edition year" if year is None else "structure code of the MELT"
        result.issues.append(ExtractionIssue(path=document.path, sha256=document.sha256,
                                             severity="error", reason=f"no clear {missing}"))
        return result
    result.year, result.structure = year, structure
    edition = edition_for(year)
    document_blocks = blocks(document.lines, year)
    result.programmes, programme_issues = find_programmes(document, document_blocks, edition,
                                                          year, structure)
    setting = Setting(
        document=document, year=year, structure=structure,
        units={code: indicator.unit for code, indicator in load_catalogue().items()},
        programme_keys={spec.id: spec_key for spec in edition.programmes
                        for spec_key in [_key_of(result, spec.name)] if spec_key},
        sections=find_sections(document.lines, edition.sections),
    )
    wordings = [compile_wording(spec, year) for spec in edition.figures]
    result.claims = _prose_claims(document, document_blocks, year, structure)
    facts, review_items = read_key_figures(setting, document_blocks, wordings, result.claims)
    result.review_items = with_suggestions(review_items, facts, wordings, setting.units)
    territory, territory_issues = read_territory(setting, document_blocks, facts, edition)
    result.facts = facts + territory
    result.issues = programme_issues + territory_issues + _review_summary(result)
    return result


def _key_of(result: ExtractionResult, name: str) -> str | None:
    return next((programme.key for programme in result.programmes if programme.name == name), None)


def _prose_claims(document: Document, document_blocks: list[Block], year: int,
                  structure: str) -> list[Claim]:
    """Figures stated in the report's paragraphs; figure boxes are blanked out so that the
    claims reader only sees body text."""
    prose = {(line.page, line.number) for block in document_blocks if block.is_prose
             for line in block.lines}
    lines = tuple(line if (line.page, line.number) in prose else Line("", line.number, line.page)
                  for line in document.lines)
    only_prose = Document(document.path, document.sha256, lines, document.page_count)
    return [claim for claim in extract_claims(only_prose, year, structure)
            if _has_subject(claim)]


_LINK_WORDS = frozenset(["plus", "moins", "dont", "avec", "pour", "dans", "sans"])


def _has_subject(claim: Claim) -> bool:
    """A claim qualifies something: a word of four letters or more ("Adopte 1 Job" and
    "BAC+2" state no figure)."""
    return any(len(word) >= 4 and word not in _LINK_WORDS for word in claim.subject.split())


def _review_summary(result: ExtractionResult) -> list[ExtractionIssue]:
    """One warning naming how many figures wait for review, so a run's log shows them."""
    if not result.review_items:
        return []
    first = min(result.review_items, key=lambda item: (item.source.page or 0, item.source.line))
    return [ExtractionIssue(
        path=result.path, sha256=result.sha256 or "", severity="warning",
        reason=f"{len(result.review_items)} figures kept for review: what they count could not "
               "be told for certain from the layout (see the review items)",
        page=first.source.page, line=first.source.line, text=first.source.text,
        year=result.year, structure=result.structure)]
