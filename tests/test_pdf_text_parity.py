"""The PDF path and the text path give the same facts for the same report.

The real 2023 report's text layer is laid out as a PDF (one PDF line per text line, blank
lines as vertical gaps, a page break every 60 lines, so tables cross pages) in a temporary
folder, and both files are extracted: same figures, same meanings, same flags; only the
places differ (page and line within the page, bounding box).
"""

from __future__ import annotations

from extractors.extract import extract_path
from sample_inputs.text_layout import render_text_layer_pdf


def _meaning(fact) -> tuple:
    return (fact.indicator, tuple(sorted(fact.dimensions.items())), fact.value, fact.unit,
            fact.is_total, fact.flags, fact.year, fact.structure)


def test_text_and_pdf_of_the_2023_report_give_identical_facts(mno_2023, tmp_path):
    pdf = render_text_layer_pdf(mno_2023.read_text(encoding="utf-8"), tmp_path / "report.pdf")
    from_text, from_pdf = extract_path(mno_2023), extract_path(pdf)
    assert from_pdf.page_count > 10 and from_text.page_count is None
    assert sorted(map(_meaning, from_pdf.facts)) == sorted(map(_meaning, from_text.facts))
    assert len(from_text.facts) > 300
    # Same issues (the PDF collapses runs of spaces inside quoted text).
    assert ([" ".join(issue.reason.split()) for issue in from_pdf.issues]
            == [" ".join(issue.reason.split()) for issue in from_text.issues])
    # In the PDF, every figure is located by page, line in the page and bounding box.
    assert all(f.source.page and f.source.bbox and f.source.line for f in from_pdf.facts)
    lambersart = next(f for f in from_pdf.facts if f.indicator == "new_registrations"
                      and f.dimensions.get("commune") == "Lambersart")
    assert lambersart.value == 132 and lambersart.source.text == "Lambersart 132 15"


def test_sample_reports_extract_the_same_from_text_and_pdf(tmp_path):
    from sample_inputs import generate_figures, render_pdf, render_text

    figures = generate_figures(2024, seed=3)
    text_file = tmp_path / "sample.txt"
    text_file.write_text(render_text(figures), encoding="utf-8")
    pdf_file = render_pdf(figures, tmp_path / "sample.pdf")
    from_text, from_pdf = extract_path(text_file), extract_path(pdf_file)
    assert not from_text.errors and not from_pdf.errors
    assert sorted(map(_meaning, from_pdf.facts)) == sorted(map(_meaning, from_text.facts))
