"""Tables split by a page break in a real PDF: the folio, the running title and the part
heading between the two parts are not rows, and the table is read as one."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extractors.activity_report.commune_tables import extract_commune_tables
from extractors.activity_report.sections import section_contexts
from extractors.catalogue import load_catalogue
from extractors.documents import read_document

ROWS = [("La Madeleine", "112", "/"), ("Lambersart", "132", "15"), ("Lompret", "9", "/"),
        ("Marcq-en-Barœul", "148", "23"), ("Marquette-lez-Lille", "72", "/"),
        ("Pérenchies", "52", "/"), ("Quesnoy-sur-Deûle", "31", "/"),
        ("Saint-André-lez-Lille", "62", "/"), ("Verlinghem", "4", "/"),
        ("Wambrechies", "57", "/")]
HEADER = ("Commune Nombre de jeunes en 1er accueil Dont jeunes résidant dans un Quartier "
          "Politique de la Ville")


def _pdf(path, break_after: int, folio: bool = True):
    """The first commune table of an MNO-like report, its rows over two pages."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 9)
    y = 800.0

    def line(text: str) -> None:
        nonlocal y
        pdf.drawString(40, y, text)
        y -= 14

    def new_page(number: int) -> None:
        nonlocal y
        if folio:
            pdf.drawString(290, 30, str(number))
        pdf.showPage()
        pdf.setFont("Helvetica", 9)
        y = 800.0
        line("Mission Locale Métropole Nord-Ouest - Rapport d'activité 2023")
        line(" I. Les nouveaux accueils")

    for text in (" 1) Le Public", " I. Les nouveaux accueils", "a. Les communes de résidence",
                 HEADER):
        line(text)
    for index, (name, count, qpv) in enumerate(ROWS, start=1):
        line(f"{name} {count} {qpv}")
        if index == break_after:
            new_page(1)
    line("Total général : 679 38")
    new_page(2)
    pdf.save()
    return path


def _extract(path):
    document = read_document(path)
    units = {code: indicator.unit for code, indicator in load_catalogue().items()}
    return extract_commune_tables(document, 2023, "59386S00", units,
                                  section_contexts(document.lines))


def test_a_commune_table_over_two_pdf_pages_is_read_as_one(tmp_path):
    facts, issues, review_items = _extract(_pdf(tmp_path / "report.pdf", break_after=4))
    assert issues == [] and review_items == []
    values = {f.dimensions.get("commune"): f.value for f in facts
              if f.indicator == "new_registrations"}
    assert values == {name: int(count) for name, count, _ in ROWS} | {None: 679}
    pages = {f.source.page for f in facts if f.indicator == "new_registrations"}
    assert pages == {1, 2}
    assert not any(f.flags for f in facts)


def test_the_same_lines_on_one_page_end_the_table(tmp_path):
    """Without the page break (and its folio) the running lines are content: the rows after
    them are not joined to the table (its total is missing: reported, not guessed)."""
    path = tmp_path / "report.pdf"
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 9)
    texts = ([" 1) Le Public", " I. Les nouveaux accueils", HEADER]
             + [f"{n} {c} {q}" for n, c, q in ROWS[:4]]
             + ["Mission Locale Métropole Nord-Ouest - Rapport d'activité 2023"]
             + [f"{n} {c} {q}" for n, c, q in ROWS[4:]] + ["Total général : 679 38"])
    for index, text in enumerate(texts):
        pdf.drawString(40, 800 - 14 * index, text)
    pdf.save()
    facts, issues, _ = _extract(path)
    assert any("no stated total" in issue.reason for issue in issues)
