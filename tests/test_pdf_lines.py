"""PDF text layers read into lines, and unreadable PDFs refused with a clear reason (real PDFs)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extractors.documents import read_document
from extractors.lines import DocumentError
from extractors.pdf_lines import read_pdf_lines

HEIGHT = A4[1]


def _two_page_pdf(path: Path) -> Path:
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 10)
    pdf.drawString(56, HEIGHT - 100, "Commune")
    pdf.drawString(210, HEIGHT - 100, "Nombre de contacts")
    pdf.drawString(56, HEIGHT - 120, "Marcq-en-Barœul")
    pdf.drawRightString(350, HEIGHT - 120, "11 234")  # cells drawn separately, one line
    pdf.drawRightString(500, HEIGHT - 120.8, "5 056")  # baseline jitter stays on the line
    pdf.showPage()
    pdf.setFont("Helvetica", 10)
    pdf.drawString(56, HEIGHT - 100, "Nombre d’entrées — Deûle")
    pdf.drawString(56, HEIGHT - 200, "Total général : 679 38")
    pdf.showPage()
    pdf.save()
    return path


def test_pdf_reads_into_lines_with_pages_and_bboxes(tmp_path):
    lines, page_count = read_pdf_lines(_two_page_pdf(tmp_path / "report.pdf"))

    assert page_count == 2
    assert [(line.page, line.number, line.text) for line in lines] == [
        (1, 1, "Commune Nombre de contacts"),
        (1, 2, "Marcq-en-Barœul 11 234 5 056"),
        (2, 1, "Nombre d’entrées — Deûle"),
        (2, 2, "Total général : 679 38"),
    ]
    x0, top, x1, bottom = lines[1].bbox
    assert x0 == 56.0 and x1 == 500.0
    assert 110 < top < bottom < 125  # top-down coordinates, like pdfplumber's
    assert all(value == round(value, 1) for line in lines for value in line.bbox)


def test_read_document_uses_pdf_lines(tmp_path):
    document = read_document(_two_page_pdf(tmp_path / "report.pdf"))

    assert document.page_count == 2
    assert document.lines[-1].text == "Total général : 679 38"
    assert len(document.sha256) == 64


def test_empty_page_in_a_text_document_is_fine(tmp_path):
    path = tmp_path / "blank_page.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.showPage()  # page 1: nothing on it
    pdf.drawString(56, HEIGHT - 100, "Rapport d'activité 2023")
    pdf.showPage()
    pdf.save()

    lines, page_count = read_pdf_lines(path)

    assert page_count == 2
    assert [(line.page, line.text) for line in lines] == [(2, "Rapport d'activité 2023")]


def test_image_only_pdf_has_no_text_layer(tmp_path):
    path = tmp_path / "scanned.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    scan = Image.new("RGB", (200, 100), "white")
    pdf.drawImage(ImageReader(scan), 56, HEIGHT - 300, width=400, height=200)
    pdf.rect(56, 100, 300, 50)  # graphics are not text either
    pdf.showPage()
    pdf.save()

    with pytest.raises(DocumentError) as caught:
        read_pdf_lines(path)

    assert "no text layer" in caught.value.reason
    assert "OCR is not supported" in caught.value.reason
    assert caught.value.page == 1
    assert str(path) in str(caught.value)


def test_encrypted_pdf_is_refused(tmp_path):
    path = tmp_path / "locked.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    pdf.drawString(56, HEIGHT - 100, "Rapport d'activité 2023")
    pdf.showPage()
    pdf.save()

    with pytest.raises(DocumentError) as caught:
        read_document(path)

    assert "encrypted" in caught.value.reason and "password" in caught.value.reason
    assert str(path) in str(caught.value)


def test_truncated_pdf_is_refused(tmp_path):
    whole = _two_page_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(DocumentError) as caught:
        read_pdf_lines(path)

    assert "cannot open PDF" in caught.value.reason
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("content, reason", [
    (bytes(range(256)) * 8, "not a PDF file"),
    (b"", "the file is empty"),
    (b"%PDF-1.4\nthis is not really a PDF\n", "cannot open PDF"),
])
def test_non_pdf_with_pdf_suffix_is_refused(tmp_path, content, reason):
    path = tmp_path / "fake.pdf"
    path.write_bytes(content)

    with pytest.raises(DocumentError) as caught:
        read_pdf_lines(path)

    assert reason in caught.value.reason
    assert str(path) in str(caught.value)
