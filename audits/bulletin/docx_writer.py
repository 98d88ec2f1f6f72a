"""Word 通报 following GB/T 9704-2012 (党政机关公文格式) as far as python-docx allows.

What is applied: A4 with the standard margins (top 37 mm, bottom 35 mm, left 28 mm, right
26 mm); title in 2号 (22 pt) 小标宋; body in 3号 (16 pt) 仿宋 with a two-character first-line
indent and a fixed 28 pt line pitch (about 22 lines a page); 一级标题 in 黑体 and 二级标题 in
楷体; 附件说明 after the body; 落款 and 成文日期 on the right; page numbers in 4号 as "— 1 —",
on the right of odd pages and the left of even ones; each 附件 on a new page with its own
heading, wide tables on landscape pages, header rows repeated on every page.
Fonts are named, not embedded: Word substitutes on machines without 方正小标宋/仿宋_GB2312.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from audits.bulletin.wording import Attachment, Document

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NO_FONT = "宋体"
WIDE_TABLE = 7   # tables with more columns than this go on landscape pages…
URL_HEADERS = ("网址", "网站")   # …and so do tables with a URL column (a URL cannot wrap at words)
#: Relative column widths by header; the rest get DEFAULT_WEIGHT. URLs and descriptions get room.
COLUMN_WEIGHTS = {"序号": 0.8, "年度": 1.0, "状态": 1.3, "结论": 1.3, "问题数": 1.1, "检查栏目数": 1.3,
                  "单位": 2.6, "问题类型": 2.2, "栏目": 2.0, "否决项": 2.2, "问题描述": 5.0,
                  "上期问题描述": 5.0, "网址": 5.0, "网站": 4.0}
DEFAULT_WEIGHT = 2.0


_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """Scraped text may hold control characters that XML (and so Word) cannot store."""
    return _XML_BAD.sub("", text)


def _font(run, east_asia: str, size: float, bold: bool = False, latin: str = LATIN_FONT) -> None:
    """Set a run's fonts: python-docx's ``font.name`` does not set the East Asian slot."""
    run.font.name = latin
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), east_asia)


def _para(doc, text: str = "", font: str = BODY_FONT, size: float = 16,
          align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent: bool = True, bold: bool = False):
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28 if size >= 14 else max(size * 1.4, 12))
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.first_line_indent = Pt(size * 2) if indent else None
    if text:
        _font(p.add_run(_xml_safe(text)), font, size, bold)
    return p


def _field(paragraph, instruction: str, east_asia: str, size: float) -> None:
    """Insert a Word field (e.g. PAGE) as begin / instruction / end runs."""
    for kind in ("begin", None, "end"):
        run = paragraph.add_run()
        _font(run, east_asia, size, latin=east_asia)
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {instruction} "
        run._element.append(el)


def _page_number(footer, align) -> None:
    p = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    p.alignment = align
    p.paragraph_format.left_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.LEFT else None
    p.paragraph_format.right_indent = Pt(14) if align == WD_ALIGN_PARAGRAPH.RIGHT else None
    _font(p.add_run("— "), PAGE_NO_FONT, 14, latin=PAGE_NO_FONT)
    _field(p, "PAGE", PAGE_NO_FONT, 14)
    _font(p.add_run(" —"), PAGE_NO_FONT, 14, latin=PAGE_NO_FONT)


def _page_setup(section, landscape: bool = False) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    if landscape:
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) if not landscape else Mm(15)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def is_wide(headers: list[str]) -> bool:
    """Does a 附件 table need a landscape page (GB/T 9704 allows 横排 for tables)?"""
    return len(headers) > WIDE_TABLE or any(h in URL_HEADERS for h in headers)


def column_widths(headers: list[str], text_width_mm: float) -> list[float]:
    """Column widths in mm sharing ``text_width_mm`` by ``COLUMN_WEIGHTS``."""
    weights = [COLUMN_WEIGHTS.get(h, DEFAULT_WEIGHT) for h in headers]
    return [text_width_mm * w / sum(weights) for w in weights]


def _text_width_mm(section) -> float:
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def _table(doc, headers: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = ""
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(text), H1_FONT, 10.5)
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for i, (cell, text) in enumerate(zip(cells, values)):
            p = cell.paragraphs[0]
            if i == 0:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(p.add_run(_xml_safe(str(text))), BODY_FONT, 10.5)
    widths = column_widths(headers, _text_width_mm(doc.sections[-1]))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Mm(width)


def _attachment(doc, a: Attachment) -> None:
    wide = a.table is not None and is_wide(a.table.headers)
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    _page_setup(section, landscape=wide)
    _para(doc, a.label, H1_FONT, 16, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False)
    _para(doc, a.title, TITLE_FONT, 18, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    if a.table is not None:
        _table(doc, a.table.headers, a.table.rows)
    else:
        _para(doc, a.note)


def render_docx(doc_text: Document, chart_png: bytes | None = None) -> bytes:
    """The .docx file's bytes."""
    doc = new_document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    doc.core_properties.title = _xml_safe(doc_text.title)
    doc.core_properties.author = _xml_safe(doc_text.issuer)
    doc.settings.odd_and_even_pages_header_footer = True
    first = doc.sections[0]
    _page_setup(first)
    _page_number(first.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(first.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)

    _para(doc, doc_text.title, TITLE_FONT, 22, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if doc_text.doc_number:
        _para(doc, doc_text.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _para(doc, "", indent=False)
    _para(doc, doc_text.recipients, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, doc_text.opening)
    for section in doc_text.sections:
        _para(doc, section.heading, H1_FONT)
        for block in section.blocks:
            if block.kind == "h":
                _para(doc, block.text, H2_FONT)
            elif block.kind == "item":
                p = _para(doc, block.text, size=14, indent=False)
                p.paragraph_format.left_indent = Pt(64)
            elif block.kind == "chart":
                if chart_png:
                    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                    p.add_run().add_picture(io.BytesIO(chart_png), width=Mm(156))
                    _para(doc, block.text, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            elif block.kind == "image":
                image = doc_text.images.get(block.ref)
                if image:
                    p = _para(doc, "", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
                    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                    p.add_run().add_picture(io.BytesIO(image), width=Mm(140))
                    _para(doc, block.text, size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
            else:
                _para(doc, block.text)
    _para(doc, "")
    for i, a in enumerate(doc_text.attachments, 1):
        head = "附件：" if i == 1 else "　　　"
        _para(doc, f"{head}{i}. {a.title}", align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(doc, "")
    _para(doc, "")
    for text in (doc_text.issuer, doc_text.date_text):
        p = _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
        p.paragraph_format.right_indent = Pt(64)   # 成文日期右空四字
    for a in doc_text.attachments:
        _attachment(doc, a)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def write_docx(doc_text: Document, path: Path, chart_png: bytes | None = None) -> Path:
    path.write_bytes(render_docx(doc_text, chart_png))
    return path
