"""Mission Locale annual activity reports (e.g. ML Métropole Nord-Ouest's)."""

from __future__ import annotations

from extractors.activity_report.prose_claims import extract_claims
from extractors.activity_report.commune_tables import extract_commune_tables, find_commune_tables
from extractors.activity_report.label_tables import extract_label_tables
from extractors.activity_report.profile_blocks import extract_profile_blocks
from extractors.activity_report.sections import section_contexts
from extractors.activity_report.report_edition import (
    detect_structure,
    detect_year,
    normalised_document_text,
)
from extractors.catalogue import load_catalogue
from extractors.lines import Document
from extractors.facts import ExtractionIssue
from extractors.result import ExtractionResult

KIND = "ml_activity_report"


def extract_activity_report(document: Document) -> ExtractionResult:
    """Identify the report (structure, year) from its content, then extract its tables."""
    result = ExtractionResult(document.path, document.sha256, page_count=document.page_count)
    text = normalised_document_text([line.text for line in document.lines])
    structure = detect_structure(text)
    year = detect_year(text)
    missing = [what for what, value in (("structure", structure), ("year", year)) if value is None]
    if missing:
        result.issues.append(_not_a_report(document, f"no clear {' and '.join(missing)} named in "
                                                     "the text: not a Mission Locale activity report"))
        return result
    if next(find_commune_tables(document.lines, year), None) is None:
        result.issues.append(_not_a_report(document, "no commune table (a 'Commune' header "
                                                     "followed by commune rows): not a Mission "
                                                     "Locale activity report"))
        return result
    result.kind, result.year, result.structure = KIND, year, structure
    units = {code: indicator.unit for code, indicator in load_catalogue().items()}
    contexts = section_contexts(document.lines)
    result.facts, result.issues, result.review_items = extract_commune_tables(
        document, year, structure, units, contexts)
    block_facts, block_issues, block_reviews = extract_profile_blocks(document, year, structure,
                                                                      contexts)
    result.facts.extend(block_facts)
    result.issues.extend(block_issues)
    result.review_items.extend(block_reviews)
    label_facts, label_issues, label_reviews = extract_label_tables(document, year, structure,
                                                                    contexts)
    result.facts.extend(label_facts)
    result.issues.extend(label_issues)
    result.review_items.extend(label_reviews)
    result.claims = extract_claims(document, year, structure)
    return result


def _not_a_report(document: Document, reason: str) -> ExtractionIssue:
    return ExtractionIssue(path=document.path, sha256=document.sha256, severity="error",
                           reason=reason)
