"""Extract one document, whatever its format and kind, into an ExtractionResult (never raises).

The kind of a document is read from its content, never from its file name: each kind in
DOCUMENT_KINDS says whether it recognises a document; the Mission Locale activity report comes
last and explains, as an error, why a document is none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from extractors import melt_report, pia_guide, structure_page
from extractors.activity_report import extract_activity_report
from extractors.documents import file_sha256, read_document
from extractors.facts import ExtractionIssue
from extractors.lines import Document, DocumentError
from extractors.result import ExtractionResult


# (recognises, extract) of every document kind other than the activity report, tried in order.
DOCUMENT_KINDS: list[tuple[Callable[[Document], bool], Callable[[Document], ExtractionResult]]] = [
    (pia_guide.recognises, pia_guide.extract),
    (melt_report.recognises, melt_report.extract),
    (structure_page.recognises, structure_page.extract),
]


def extract_path(path: str | Path) -> ExtractionResult:
    """Read and extract a document; an unreadable one gives a result holding one error."""
    try:
        document = read_document(path)
    except DocumentError as error:
        sha256 = _sha256_or_none(path)
        return ExtractionResult(str(path), sha256, issues=[ExtractionIssue(
            path=str(path), sha256=sha256 or "", severity="error", reason=error.reason,
            page=error.page)])
    result = next((extract(document) for recognises, extract in DOCUMENT_KINDS
                   if recognises(document)), None) or extract_activity_report(document)
    if document.encoding not in (None, "utf-8"):
        result.issues.insert(0, ExtractionIssue(
            path=document.path, sha256=document.sha256, severity="warning",
            reason=f"not UTF-8: read as {document.encoding} (encoding detected from the "
                   f"content by charset-normalizer)", year=result.year,
            structure=result.structure))
    return result


def _sha256_or_none(path: str | Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None
