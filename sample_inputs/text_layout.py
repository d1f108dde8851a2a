"""Lay a report's text layer out as a PDF, line for line, to check the PDF path against the text path.

The sample editions (`render.py`) are drawn from figures with table columns; this renders any
text layer as it is: one PDF line per text line, a blank text line as a vertical gap (as a
paragraph break is in a real PDF), a page break every `lines_per_page` lines, so that every table
layout of a real report also crosses page breaks. The PDF is written to the caller's path
(tests write it to a temporary folder: the real reports are never copied into the project).
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

FONT = "Helvetica"
FONT_SIZE = 7.0
LEADING = 9.0  # distance between two lines' baselines
BLANK_GAP = 9.0  # extra space a blank text line leaves
MARGIN = 36.0


def render_text_layer_pdf(text: str, path: str | Path, lines_per_page: int = 60) -> Path:
    """Write `text` as a PDF at `path`; returns the path."""
    path = Path(path)
    width, height = A4
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    pdf.setFont(FONT, FONT_SIZE)
    y = height - MARGIN
    drawn_on_page = 0
    pending_gap = 0.0
    for raw_line in text.splitlines():
        line = " ".join(raw_line.replace("\t", " ").split())
        if not line:
            pending_gap = BLANK_GAP if drawn_on_page else 0.0
            continue
        if drawn_on_page >= lines_per_page or y - pending_gap < MARGIN:
            pdf.showPage()
            pdf.setFont(FONT, FONT_SIZE)
            y, drawn_on_page, pending_gap = height - MARGIN, 0, 0.0
        y -= pending_gap
        pdf.drawString(MARGIN, y, line)
        y -= LEADING
        drawn_on_page += 1
        pending_gap = 0.0
    pdf.showPage()
    pdf.save()
    return path
