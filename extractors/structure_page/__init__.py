"""Extractor for a Mission Locale's web page (structure profile and actions).

Stub: recognises nothing yet. `recognises` must read the document's content (never its file
name); `extract` turns it into an ExtractionResult (see extractors/result.py).
"""

from __future__ import annotations

from extractors.documents import Document
from extractors.result import ExtractionResult

KIND = "ml_structure_page"


def recognises(document: Document) -> bool:
    return False


def extract(document: Document) -> ExtractionResult:
    raise NotImplementedError(KIND)
