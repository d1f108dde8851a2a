"""Rendering a sample report as a text layer or as a PDF, from one page layout.

Both renderings come from the same laid-out pages: the text rendering is what a PDF reader
gives back for the PDF (one line per visual line, cells joined by a space, page numbers in the
footers), so a text sample and a PDF sample of the same figures read as the same lines.
The layout mimics a real report: a title page, numbered sections, commune tables whose column
headers wrap over several lines, figures right-aligned in fixed columns, a page break between a
section title and its table and another one in the middle of a table. The breakdown tables
(profiles, cross-tabs, label tables) are laid out by render_breakdowns.py inside these chapters;
the layout primitives shared by both are in pages.py.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from extractors.pdf_lines import paragraph_breaks
from sample_inputs import pages
from sample_inputs.report_figures import CommuneTableSpec, ReportFigures
from sample_inputs.pages import (
    BOLD_FONT,
    BOTTOM,
    COLUMN_GAP,
    FOOTER_TOP,
    HEADER_SIZE,
    LEFT,
    NAME_COLUMN_END,
    PAGE_BREAK,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RIGHT,
    TITLE_SIZE,
    TOP,
    Cell,
    Flow,
    KeepTogether,
    PlacedLine,
    VisualLine,
    cell_value,
    thousands,
)
from sample_inputs.render_breakdowns import BreakdownLayout


def render_text(figures: ReportFigures) -> str:
    """The report's text layer: what a PDF reader extracts from `render_pdf`'s output."""
    text = []
    for page in layout(figures):
        placed_lines = sorted(page, key=lambda placed: placed.top)
        breaks = paragraph_breaks([placed.top for placed in placed_lines])
        for index, placed in enumerate(placed_lines):
            if index in breaks:
                text.append("\n")  # the empty line the PDF reader yields for a paragraph break
            text.append(placed.line.text + "\n")
    return "".join(text)


def render_pdf(figures: ReportFigures, path: str | Path) -> Path:
    """Draw the report with reportlab; byte-identical for identical figures (invariant mode)."""
    path = Path(path)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1, pageCompression=1)
    pdf.setTitle(f"{figures.structure_name} — Rapport d'activité {figures.year}")
    pdf.setAuthor("sample_inputs (synthetic)")
    for page in layout(figures):
        for placed in page:
            _draw_line(pdf, placed)
        pdf.showPage()
    pdf.save()
    return path


def write_edition(figures: ReportFigures, path: str | Path) -> Path:
    """Render to `path` in the format its suffix names (.txt or .pdf)."""
    path = Path(path)
    if path.suffix == ".pdf":
        return render_pdf(figures, path)
    if path.suffix == ".txt":
        path.write_text(render_text(figures), encoding="utf-8")
        return path
    raise ValueError(f"unsupported sample format {path.suffix!r}: expected .txt or .pdf")


def _draw_line(pdf: canvas.Canvas, placed: PlacedLine) -> None:
    line = placed.line
    baseline = PAGE_HEIGHT - placed.top - line.size * 0.8
    if line.rule_above:
        pdf.setLineWidth(0.5)
        rule_y = PAGE_HEIGHT - placed.top + 1.5  # between this line and the one above
        pdf.line(LEFT, rule_y, RIGHT, rule_y)
    pdf.setFont(line.font, line.size)
    for cell in line.cells:
        if cell.right_aligned:
            pdf.drawRightString(cell.x, baseline, cell.text)
        else:
            pdf.drawString(cell.x, baseline, cell.text)


# --- layout -------------------------------------------------------------------------------------


def layout(figures: ReportFigures) -> list[list[PlacedLine]]:
    """The report's pages: its flow of lines cut into pages, a page number at each foot."""
    paged: list[list[PlacedLine]] = [[]]
    cursor = TOP
    for item in _flow(figures):
        if item is PAGE_BREAK:
            if paged[-1]:
                paged.append([])
                cursor = TOP
            continue
        lines = item.lines if isinstance(item, KeepTogether) else (item,)
        height = sum(line.space_before + line.size * 1.35 for line in lines)
        if cursor + height > BOTTOM and paged[-1]:
            paged.append([])
            cursor = TOP
        for line in lines:
            space = line.space_before if paged[-1] else 0.0
            paged[-1].append(PlacedLine(line, cursor + space))
            cursor += space + line.size * 1.35
    for number, page in enumerate(paged[1:], start=2):  # no number on the title page
        footer = VisualLine((Cell(str(number), PAGE_WIDTH / 2),), size=8.0)
        page.append(PlacedLine(footer, FOOTER_TOP))
    return paged


def _columns(count: int) -> list[tuple[float, float]]:
    """(left, right) edges of a table's value columns, sharing the width after the names."""
    width = (RIGHT - NAME_COLUMN_END - COLUMN_GAP * count) / count
    lefts = [NAME_COLUMN_END + COLUMN_GAP + i * (width + COLUMN_GAP) for i in range(count)]
    return [(left, left + width) for left in lefts]


def _table(figures: ReportFigures, spec: CommuneTableSpec, break_after_row: int | None = None) -> Flow:
    """A commune table: wrapped headers, one row per commune, the "Total général" row."""
    columns = _columns(len(spec.indicators))
    wrapped = [simpleSplit(header, BOLD_FONT, HEADER_SIZE, right - left)
               for header, (left, right) in zip(spec.headers, columns)]
    flow: Flow = []
    for index in range(max(len(parts) for parts in wrapped)):
        cells = [Cell("Commune", LEFT)] if index == 0 else []
        cells += [Cell(parts[index], left)
                  for parts, (left, _) in zip(wrapped, columns) if index < len(parts)]
        flow.append(VisualLine(tuple(cells), font=BOLD_FONT, size=HEADER_SIZE,
                               space_before=8.0 if index == 0 else 0.0))
    for number, commune in enumerate(figures.communes, start=1):
        values = figures.row(spec, commune)
        flow.append(VisualLine(_row_cells(commune, values, columns, spec.units),
                               rule_above=number == 1))
        if number == break_after_row:
            flow.append(PAGE_BREAK)
    total = figures.total_row(spec)
    flow.append(VisualLine(_row_cells("Total général :", total, columns, spec.units), font=BOLD_FONT,
                           rule_above=True))
    return flow


def _row_cells(name: str, values: tuple[int, ...], columns: list[tuple[float, float]],
               units: tuple[str, ...] = ()) -> tuple[Cell, ...]:
    units = units or ("count",) * len(values)
    return (Cell(name, LEFT),) + tuple(
        Cell(cell_value(value) + (" €" if unit == "eur" and value else ""), right, right_aligned=True)
        for value, unit, (_, right) in zip(values, units, columns)
    )


def _flow(figures: ReportFigures) -> Flow:
    """The report's content, in reading order; wording written for the sample, not copied."""
    year, short, t = figures.year, figures.structure_short, figures.totals
    n = thousands
    specs = {spec.indicators[0]: spec for spec in figures.table_specs}
    breakdowns = BreakdownLayout(figures)
    chapter = ""

    def section(heading: str) -> Flow:
        nonlocal chapter
        chapter = heading
        return pages.section(heading)

    def table(main: str, break_after_row: int | None = None) -> Flow:
        """A commune table, then the breakdown tables that detail it (render_breakdowns)."""
        spec = specs.pop(main, None)  # a table the mapping no longer lists is left out
        flow = _table(figures, spec, break_after_row) if spec else []
        return flow + breakdowns.chapter(main, chapter)

    title = f"{figures.structure_name} — Rapport d’activité {year} (exemple synthétique)"
    title_size = min(TITLE_SIZE, TITLE_SIZE * (RIGHT - LEFT) / stringWidth(title, BOLD_FONT, TITLE_SIZE))
    flow: Flow = [VisualLine((Cell(title, LEFT),), font=BOLD_FONT, size=round(title_size, 1))]
    flow += pages.paragraph(f"Structure {figures.structure_code} : {len(figures.communes)} communes "
                       f"du nord-ouest de la métropole lilloise.", space_before=12.0)
    flow += pages.paragraph("Document d’exemple produit par le générateur sample_inputs : toutes les "
                       "valeurs sont fictives et ne décrivent aucune activité réelle.")
    flow.append(PAGE_BREAK)

    flow += pages.title("L’essentiel de l’année", space_before=0.0)
    flow += pages.paragraph(f"La {short} a réalisé {n(t['new_registrations'])} nouvelles inscriptions "
                       f"en {year}.")
    flow += pages.paragraph(f"En {year}, {n(t['youths_in_contact'])} jeunes ont été en contact avec la "
                       f"{short}, pour un total de {n(t['contacts'])} contacts.")
    flow += pages.paragraph(f"En {year}, {n(t['employment_contracts'])} contrats de travail et "
                       f"{n(t['alternance_contracts'])} contrats en alternance ont été signés.")

    flow += section("1) Les premiers accueils")
    flow += pages.paragraph(f"Lieu de résidence des jeunes accueillis pour la première fois en {year}.")
    flow += table("new_registrations")

    flow += section("2) Les jeunes en contact")
    flow += pages.paragraph(f"En {year}, {n(t['youths_in_contact'])} jeunes ont été en contact avec "
                       f"la {short} (dont {n(t['youths_interviewed'])} reçus en entretien).")
    flow += table("youths_in_contact")

    flow += section("3) Les contacts")
    flow += pages.paragraph(f"{n(t['contacts'])} contacts en {year}, dont "
                       f"{n(t['contacts_interviews'])} entretiens individuels ou collectifs.")
    flow += table("contacts", break_after_row=6)  # a table across two pages

    flow += section("4) Les immersions en entreprise")
    flow += pages.paragraph("Les périodes de mise en situation permettent de découvrir un métier "
                       "avant de s’y engager.")
    flow += table("pmsmp_periods")

    flow += section("5) La formation")
    flow += table("training_entries")

    flow += section("6) L’emploi")
    flow += pages.paragraph(f"En {year}, {n(t['employment_contracts'])} contrats de travail ont été "
                       f"signés par des jeunes suivis.")
    flow += table("employment_contracts")
    flow += pages.paragraph("Les Parcours Emploi Compétences (PEC) associent un emploi aidé et "
                       "une formation.", space_before=12.0)
    flow += table("pec_contracts")

    flow += section("7) L’alternance")
    flow += table("alternance_contracts")

    flow += section("8) Le Service Civique")
    flow += pages.paragraph(f"{n(t['civic_service_youths'])} jeunes en mission de Service Civique en "
                       f"{year}, dont {n(t['civic_service_starts'])} nouveaux départs.")
    flow += table("civic_service_youths")

    flow += section("9) Le Contrat d’Engagement Jeune")
    flow += pages.paragraph(f"{n(t['cej_youths'])} jeunes suivis dans le dispositif en {year}.")
    flow.append(PAGE_BREAK)  # the section title on one page, its table on the next
    flow += table("cej_youths")

    extra, number = breakdowns.own_chapters(10)  # breakdowns of no chapter above
    flow += extra
    if specs:  # tables added to the mapping since this layout was written
        flow += section(f"{number}) Autres indicateurs")
        for number, main in enumerate(list(specs), start=1):
            if specs[main].section:  # printed under the headings that say what it counts
                flow += pages.paragraph(f"{pages.roman(number)}. {specs[main].section}", space_before=12.0)
            flow += table(main)
    return flow
