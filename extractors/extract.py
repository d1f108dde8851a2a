"""Extract one document, whatever its format, into an ExtractionResult (never raises)."""

from __future__ import annotations

from pathlib import Path

from extractors.activity_report import extract_activity_report
from extractors.documents import DocumentError, file_sha256, read_document
from extractors.facts import ExtractionIssue
from extractors.result import ExtractionResult


def extract_path(path: str | Path) -> ExtractionResult:
    """Read and extract a document; an unreadable one gives a result holding one error."""
    try:
        document = read_document(path)
    except DocumentError as error:
        sha256 = _sha256_or_none(path)
        return ExtractionResult(str(path), sha256, issues=[ExtractionIssue(
            path=str(path), sha256=sha256 or "", severity="error", reason=error.reason,
            page=error.page)])
    return extract_activity_report(document)


def _sha256_or_none(path: str | Path) -> str | None:
    try:
        return file_sha256(path)
    except OSError:
        return None
