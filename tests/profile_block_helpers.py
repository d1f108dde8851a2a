"""Shared by test_profile_blocks.py and test_profile_blocks_synthetic.py: the structure the
blocks are read for, the flags they may carry, and the profile blocks of one report text."""

from __future__ import annotations

from extractors.activity_report.profile_blocks import extract_profile_blocks
from extractors.activity_report.sections import section_contexts
from extractors.documents import read_document

STRUCTURE = "59386S00"
RESOLVED = ("resolved_by_table_constraints",)
MISMATCH = ("source_total_mismatch",)


def _extract(path, year=2023):
    """Facts and issues (`_extract_reviewed` adds the review items)."""
    return _extract_reviewed(path, year)[:2]


def _extract_reviewed(path, year=2023):
    document = read_document(path)
    return extract_profile_blocks(document, year, STRUCTURE, section_contexts(document.lines))
