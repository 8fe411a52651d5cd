"""A draft report as a Word document the office edits and signs (NĐ 30/2020 layout).

A4, margins 20/20/30/15 mm, Times New Roman: 13 pt for the header block and tables, 14 pt for
the body; the issuer and the national motto side by side in a borderless table, no emblem.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from include.reports.formatting import roman
from include.reports.model import APPROXIMATE_MARK, Heading, Paragraph, Report, Table

FONT = "Times New Roman"
BODY_PT = 14
HEADER_PT = 13
FOOTNOTE_PT = 12


def write_docx(report: Report, path: Path) -> Path:
    document = Document()
    _page_setup(document)
    _header_block(document, report)
    _centred(document, report.title, bold=True, space_before=12)
    _centred(document, report.subtitle, bold=True)
    _centred(document, report.recipient, space_before=6, space_after=12)
    _body(document, report.intro)
    for number, section in enumerate(report.sections, start=1):
        _body(document, f"{roman(number)}. {section.title}", bold=True, indent=False)
        for block in section.blocks:
            if isinstance(block, Heading):
                _body(document, block.text, bold=True, indent=False)
            elif isinstance(block, Paragraph):
                _body(document, block.text, lead=block.lead, bullet=block.bullet)
            else:
                _table(document, block)
    for note in report.footnotes:
        _footnote(document, note)
    _body(document, report.closing)
    _signature_block(document, report)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def _page_setup(document) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # Word picks the font per script; without these it falls back to its theme font for
    # complex-script and East-Asian runs.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _run(paragraph: DocxParagraph, text: str, *, bold=False, italic=False, size=BODY_PT) -> None:
    run = paragraph.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)


def _marked_runs(paragraph: DocxParagraph, text: str, *, bold=False, size=BODY_PT) -> None:
    """Text whose approximate marks are superscript, the way a footnote mark is printed."""
    pieces = text.split(APPROXIMATE_MARK)
    for index, piece in enumerate(pieces):
        if piece:
            _run(paragraph, piece, bold=bold, size=size)
        if index < len(pieces) - 1:
            _run(paragraph, APPROXIMATE_MARK, bold=bold, size=size)
            paragraph.runs[-1].font.superscript = True


def _footnote(document, text: str) -> None:
    """A note under the body (Word footnotes would need a part python-docx cannot write)."""
    paragraph = document.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=3)
    if text.startswith(APPROXIMATE_MARK):
        _run(paragraph, APPROXIMATE_MARK, italic=True, size=FOOTNOTE_PT)
        paragraph.runs[-1].font.superscript = True
        text = text[len(APPROXIMATE_MARK) :]
    _run(paragraph, text, italic=True, size=FOOTNOTE_PT)


def _format(paragraph: DocxParagraph, *, align, before=0, after=0) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(before)
    paragraph.paragraph_format.space_after = Pt(after)


def _cell_line(cell, text: str, *, first: bool, bold=False, italic=False, size=HEADER_PT) -> None:
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER)
    _run(paragraph, text, bold=bold, italic=italic, size=size)


def _header_block(document, report: Report) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    first = True
    if report.issuer_parent:
        _cell_line(left, report.issuer_parent, first=True)
        first = False
    _cell_line(left, report.issuer, first=first, bold=True)
    _cell_line(left, "───────", first=False)
    _cell_line(left, report.number_line, first=False)
    _cell_line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", first=True, bold=True)
    _cell_line(right, "Độc lập - Tự do - Hạnh phúc", first=False, bold=True, size=BODY_PT)
    _cell_line(right, "───────────────", first=False)
    _cell_line(right, report.place_date, first=False, italic=True, size=BODY_PT)


def _centred(document, text: str, *, bold=False, space_before=0, space_after=0) -> None:
    paragraph = document.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.CENTER, before=space_before, after=space_after)
    _run(paragraph, text, bold=bold)


def _body(document, text: str, *, lead="", bullet="", bold=False, indent=True) -> None:
    paragraph = document.add_paragraph()
    _format(paragraph, align=WD_ALIGN_PARAGRAPH.JUSTIFY, after=6)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if bullet:
        _run(paragraph, bullet + " ")
    if lead:
        _run(paragraph, lead + " ", bold=True)
    _marked_runs(paragraph, text, bold=bold)


def _table(document, block: Table) -> DocxTable:
    table = document.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(table.rows[0].cells, block.headers, strict=True):
        _run(cell.paragraphs[0], header, bold=True, size=HEADER_PT)
    for row in block.rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            _marked_runs(cell.paragraphs[0], value, size=HEADER_PT)
    document.add_paragraph()
    return table


def _signature_block(document, report: Report) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    heading, *copies = report.copies_to
    paragraph = left.paragraphs[0]
    _run(paragraph, heading, bold=True, italic=True, size=12)
    for line in copies:
        _run(left.add_paragraph(), line, size=11)
    for index, line in enumerate(report.signature):
        _cell_line(right, line, first=index == 0, bold=True, size=BODY_PT)
