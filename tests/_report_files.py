"""Generated 年报 (crawler/simulator/reports.py text) rendered as the files units publish.

- ``word_html``: the page a clerk makes by pasting the Word report into the CMS editor: MsoNormal
  paragraphs, tables with ``rowspan`` group labels (三、本年度办理结果 spanning its rows, （三）不予公开
  spanning its eight sub-rows — as on pingtan.gov.cn's TRS pages and shuyang.gov.cn's Word-style
  tables in ../shared/realreports), a ``colspan`` header (法人或其他组织 over five columns) and
  blank cells for zero where ``blank_zeros`` (as shanghai.gov.cn prints them).
- ``pdf_bytes``: a PDF made with reportlab (CID font STSong-Light, ruled tables), as offices export.
- ``docx_bytes``: a DOCX made with python-docx, tables with merged label cells.
- ``scanned_pdf``: a PDF whose page is only a drawn picture, no text layer.
"""

from __future__ import annotations

import html
import io
import re

_GROUP = re.compile(r"^（[一二三四五六]）")


def _blocks(text: str):
    """('p', line) and ('table', [cells…]…) blocks of a report text (table rows contain ' | ')."""
    blocks: list = []
    for line in text.splitlines():
        if " | " in line or line.startswith(" | "):
            cells = [c.strip() for c in line.split(" | ")]
            if blocks and blocks[-1][0] == "table":
                blocks[-1][1].append(cells)
            else:
                blocks.append(("table", [cells]))
        elif line.strip():
            blocks.append(("p", line.strip()))
    return blocks


def _is_number(cell: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(?:\.\d+)?", cell))


def word_html(text: str, *, blank_zeros: bool = False, title: str | None = None) -> str:
    out = ["<html><head><meta charset='utf-8'><title>", html.escape(title or text.splitlines()[0]),
           "</title></head><body><div class='TRS_Editor'>"]
    for kind, body in _blocks(text):
        if kind == "p":
            out.append(f"<p class=MsoNormal style='text-indent:2em'><span style='font-family:仿宋'>"
                       f"{html.escape(body)}</span></p>")
            continue
        out.append("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>")
        rows = body
        i = 0
        while i < len(rows):
            cells = rows[i]
            labels = [c for c in cells if not _is_number(c)]
            values = [c for c in cells if _is_number(c)]
            if len(values) < 7 or not labels:
                # header rows: 法人或其他组织 spans the five organisation columns
                tds = "".join(f"<td colspan=5>{html.escape(c)}</td>" if c == "法人或其他组织"
                              else f"<td>{html.escape(c)}</td>" for c in cells)
                out.append(f"<tr>{tds}</tr>")
                i += 1
                continue
            # A group label ("（三）不予公开 | 1.属于国家秘密") spans the rows of its sub-items.
            span = 1
            if len(labels) == 2 and _GROUP.match(labels[0]):
                while i + span < len(rows) and re.match(r"^\d+\.", rows[i + span][0]):
                    span += 1
            tds = []
            if len(labels) == 2 and span > 1:
                tds.append(f"<td rowspan={span}><p class=MsoNormal>{html.escape(labels[0])}</p></td>")
                tds.append(f"<td>{html.escape(labels[1])}</td>")
            else:
                tds.extend(f"<td>{html.escape(c)}</td>" for c in labels)
            for v in values:
                shown = "" if blank_zeros and v == "0" else v
                tds.append(f"<td><p class=MsoNormal align=center>{html.escape(shown)}&nbsp;</p></td>"
                           if shown else "<td><p class=MsoNormal>&nbsp;</p></td>")
            out.append(f"<tr>{''.join(tds)}</tr>")
            for sub in rows[i + 1: i + span]:
                sub_tds = "".join(f"<td>{html.escape(c)}</td>" if not _is_number(c) else
                                  (f"<td>{'' if blank_zeros and c == '0' else c}</td>") for c in sub)
                out.append(f"<tr>{sub_tds}</tr>")
            i += span
        out.append("</table>")
    out.append("</div></body></html>")
    return "".join(out)


def pdf_bytes(text: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cn", fontName="STSong-Light", fontSize=10.5, leading=16, wordWrap="CJK")
    cell_style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    story = []
    for kind, body in _blocks(text):
        if kind == "p":
            story.append(Paragraph(html.escape(body), style))
            continue
        width = max(len(r) for r in body)
        # A row with fewer cells sits under a spanning label: its cells are the right-hand ones,
        # as in the official table where （三）不予公开 spans the rows of its sub-items.
        data = [[""] * (width - len(r)) + [Paragraph(html.escape(c), cell_style) for c in r] for r in body]
        label = 150 if width > 4 else 200
        rest = (530 - label) / max(1, width - 1)
        table = Table(data, colWidths=[label] + [rest] * (width - 1))
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                                   ("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]))
        story.extend([table, Spacer(1, 6)])
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4, leftMargin=30, rightMargin=30).build(story)
    return buf.getvalue()


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    for kind, body in _blocks(text):
        if kind == "p":
            document.add_paragraph(body)
            continue
        width = max(len(r) for r in body)
        table = document.add_table(rows=len(body), cols=width)
        table.style = "Table Grid"
        for r, cells in enumerate(body):
            pad = width - len(cells)      # right-aligned under a spanning label (see pdf_bytes)
            for c, value in enumerate(cells):
                table.cell(r, pad + c).text = value
            if pad and r > 0 and not any(body[r - 1][:1]) is False:
                # the label column of a continuation row merges with the label above it
                top = table.cell(r - 1, 0)
                if top.text and not re.fullmatch(r"-?\d+", top.text):
                    top.merge(table.cell(r, pad - 1))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def scanned_pdf() -> bytes:
    """A one-page PDF with only vector drawing (what a scan looks like to a text extractor)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for y in range(100, 700, 14):
        c.line(60, y, 520, y + 3)
        c.rect(60, y, 40, 8, fill=1)
    c.showPage()
    c.save()
    return buf.getvalue()
