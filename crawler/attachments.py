"""Text and tables of an attached 年报 file: PDF, DOCX or legacy DOC (pure: bytes in, text out).

Many units publish the 年度报告 as an attachment ("附件下载") rather than as an HTML page. The
report checks read plain text in which a table row is one line of cells joined by `` | `` (the
form ``crawler/content.py`` writes for HTML tables), so every extractor here writes that form:

- PDF: pdfplumber (pdfminer's layout analysis) — page text outside tables, then each table it
  finds, row by row. A PDF whose pages carry no text layer (a scan) gives no text and the status
  ``scanned`` with the note "无法读取文字（扫描件）": the content is unknown, not missing.
- DOCX: python-docx — paragraphs and tables in document order; a merged (gridSpan/vMerge)
  cell repeats in python-docx's row, so a run of the same cell object is written once.
- DOC (Word 97–2003): the Debian ``antiword`` program, when installed; otherwise the status
  ``unsupported`` with a note saying so.

Nothing here touches the network; the spider downloads (size-capped) and calls :func:`extract`.
"""

from __future__ import annotations

import io
import logging
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

#: Attachments larger than this are not downloaded for reading (a 年报 is rarely over 10 MB).
MAX_BYTES = 20 * 1024 * 1024
#: Suffixes whose text we can read.
READABLE = (".pdf", ".docx", ".doc")
SCANNED_NOTE = "无法读取文字（扫描件）"
#: Fewer letters than this per page on average: the PDF has no usable text layer.
_MIN_CHARS_PER_PAGE = 20


@dataclass(frozen=True)
class AttachmentText:
    """``status``: ok | scanned | unsupported | error; ``note`` says why there is no text."""

    kind: str                 # pdf | docx | doc | other
    text: str
    status: str = "ok"
    note: str | None = None
    pages: int | None = None
    tables: int = 0


def kind_of(name: str | None, data: bytes = b"", content_type: str | None = None) -> str:
    """pdf | docx | doc | other, from the file's magic bytes first, then its name/type."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04") and b"word/" in data[:4000]:
        return "docx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    low = (name or "").lower().split("?")[0]
    ctype = (content_type or "").lower()
    for suffix, kind in ((".pdf", "pdf"), (".docx", "docx"), (".doc", "doc")):
        if low.endswith(suffix):
            return kind
    if "pdf" in ctype:
        return "pdf"
    if "officedocument.wordprocessingml" in ctype:
        return "docx"
    if "msword" in ctype:
        return "doc"
    return "other"


_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _cell(text: str | None) -> str:
    """A cell's text on one line; a wrapped Chinese cell ("予以公\n开") is joined without a space."""
    text = _CJK_GAP.sub("", (text or "").strip())
    return re.sub(r"\s+", " ", text).strip()


def _row_line(cells: list[str]) -> str:
    return " | ".join(cells) if any(cells) else ""


def _inside(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _drop_empty_columns(rows: list[list[str]]) -> list[list[str]]:
    """Columns empty in every row are layout (a ruled grid wider than the data): drop them."""
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    keep = [c for c in range(width) if any(r[c] for r in rows)]
    return [[r[c] for c in keep] for r in rows]


def pdf_text(data: bytes) -> AttachmentText:
    import pdfplumber

    lines: list[str] = []
    chars = pages = tables = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            pages += 1
            found = page.find_tables()
            boxes = [t.bbox for t in found]
            outside = page.filter(lambda obj: obj.get("object_type") != "char" or not _inside(obj, boxes))
            # Text lines and tables in reading order (top to bottom), so headings stay in place.
            blocks: list[tuple[float, list[str]]] = []
            for line in outside.extract_text_lines():
                chars += len(re.sub(r"\s", "", line["text"]))
                blocks.append((line["top"], [line["text"]]))
            for table in found:
                tables += 1
                rows = _drop_empty_columns([[_cell(c) for c in row] for row in table.extract()])
                chars += sum(len(c) for r in rows for c in r)
                blocks.append((table.bbox[1], [line for r in rows if (line := _row_line(r))]))
            for _, block in sorted(blocks, key=lambda b: b[0]):
                lines.extend(block)
    if pages and chars < _MIN_CHARS_PER_PAGE * pages:
        return AttachmentText("pdf", "", "scanned", SCANNED_NOTE, pages, tables)
    return AttachmentText("pdf", "\n".join(lines), pages=pages, tables=tables)


def docx_text(data: bytes) -> AttachmentText:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    tables = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text.strip())
        elif tag == "tbl":
            tables += 1
            for row in Table(block, document).rows:
                cells, last = [], None
                for cell in row.cells:
                    if last is not None and cell._tc is last:
                        continue          # a horizontally merged cell repeats: write it once
                    last = cell._tc
                    cells.append(_cell(cell.text))
                line = _row_line(cells)
                if line:
                    lines.append(line)
    return AttachmentText("docx", "\n".join(line for line in lines if line), tables=tables)


def doc_text(data: bytes) -> AttachmentText:
    antiword = shutil.which("antiword")
    if not antiword:
        return AttachmentText("doc", "", "unsupported", "无法读取 .doc 文件（未安装 antiword）")
    with tempfile.NamedTemporaryFile(suffix=".doc") as tmp:
        tmp.write(data)
        tmp.flush()
        try:
            # -w 0: no hard wrapping; UTF-8 output so Chinese survives.
            out = subprocess.run([antiword, "-w", "0", "-m", "UTF-8.txt", tmp.name], capture_output=True,
                                 timeout=60, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return AttachmentText("doc", "", "error", f"无法读取 .doc 文件：{exc}")
    if out.returncode != 0:
        reason = out.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        return AttachmentText("doc", "", "error", "无法读取 .doc 文件" + (f"：{reason[0]}" if reason else ""))
    text = out.stdout.decode("utf-8", "replace")
    # antiword draws table rows as "|cell|cell|": the same " | " form as the other extractors.
    rows = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            stripped = _row_line([_cell(c) for c in stripped.strip("|").split("|")])
        rows.append(stripped)
    return AttachmentText("doc", "\n".join(rows))


def extract(data: bytes, name: str | None = None, content_type: str | None = None) -> AttachmentText:
    """The text of one attachment; never raises (a broken file gives status ``error``)."""
    kind = kind_of(name, data, content_type)
    if len(data) > MAX_BYTES:
        return AttachmentText(kind, "", "error", f"附件超过{MAX_BYTES // (1024 * 1024)}MB，未读取")
    try:
        if kind == "pdf":
            return pdf_text(data)
        if kind == "docx":
            return docx_text(data)
        if kind == "doc":
            return doc_text(data)
    except Exception as exc:  # a corrupt file must not break a crawl or inspect
        log.warning("could not read attachment %s: %s", name, exc)
        return AttachmentText(kind, "", "error", f"附件无法解析：{type(exc).__name__}")
    return AttachmentText(kind, "", "unsupported", "不支持读取该类型的附件")


def extract_file(path: str | Path) -> AttachmentText:
    path = Path(path)
    return extract(path.read_bytes(), path.name)


def is_readable(url: str) -> bool:
    return url.lower().split("?")[0].endswith(READABLE)
