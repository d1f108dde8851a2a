"""Recognising the MELT's annual report from its content, and reading its edition year.

The report names itself ("Mission Emploi Lys-Tourcoing", with its acronym MELT far more often
than any other structure) and prints "Chiffres clés" blocks. Nothing here reads the file name.
"""

from __future__ import annotations

import re

from extractors.activity_report.report_edition import (
    detect_structure,
    detect_year,
    normalised_document_text,
)
from extractors.lines import Document
from extractors.reference import structure_aliases

OWN_NAME = "mission emploi lys-tourcoing"
_OWN_NAME = re.compile(r"\bmission emploi lys[- ]tourcoing\b")
_KEY_FIGURES = re.compile(r"\bchiffres cles\b")


def document_text(document: Document) -> str:
    return normalised_document_text([line.text for line in document.lines])


def own_structure() -> str | None:
    """The I-MILO code the reference data gives to the MELT's name."""
    return structure_aliases().get(OWN_NAME)


def recognises_text(text: str) -> bool:
    """Names the MELT, is mostly about the MELT, and has key-figure blocks."""
    code = own_structure()
    return (code is not None and bool(_OWN_NAME.search(text)) and bool(_KEY_FIGURES.search(text))
            and detect_structure(text) == code)


def edition_year(text: str) -> int | None:
    return detect_year(text)
