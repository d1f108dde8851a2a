"""Shared by the test_label_tables*.py modules: the label tables of one report text, with or
without the review items, and a report text written to a file."""

from __future__ import annotations

from extractors.activity_report.label_tables import extract_label_tables
from extractors.activity_report.sections import section_contexts
from extractors.documents import read_document


def _label_tables(path, year=2023, structure="59386S00"):
    """Facts and issues (`_label_tables_reviewed` adds the review items)."""
    return _label_tables_reviewed(path, year, structure)[:2]


def _label_tables_reviewed(path, year=2023, structure="59386S00"):
    document = read_document(path)
    return extract_label_tables(document, year, structure, section_contexts(document.lines))


def _write(tmp_path, text, name="report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
