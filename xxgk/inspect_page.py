"""What the extractors see on one page: the engine behind `xxgk inspect`.

A person uses this to see why a portal is not parsed: it runs exactly the functions the spider
runs (discover, listing, paging, metadata, content) plus, for a 年报, the report checks.
"""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode

from crawler import attachments, content, dialects, discover, listing, metadata, paging
from crawler.render.detect import script_list_signs
from crawler.text import clean

REPORT_WORDS = ("年度报告", "年报")
FIELDS = ("title", "index_no", "publisher", "published", "written", "doc_no", "topic")


class InspectError(Exception):
    """The page could not be read (bad path, network error); the message is for the user."""


_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(https?://[^\s>]+)\s*-->", re.I)
_BASE_HREF = re.compile(r"<base\s[^>]*href=[\"']?(https?://[^\"'\s>]+)", re.I)


def page_address(text: str, fallback: str) -> str:
    """The address a saved page came from (browser "saved from url" comment or <base href>).

    Links of a saved page resolve against it, so a saved copy is inspected as the live page
    would be: its columns and items on the same host are inside the portal, not external.
    """
    head = text[:4000]
    match = _SAVED_FROM.search(head) or _BASE_HREF.search(head)
    return match.group(1) if match else fallback


def _fetch(target: str, timeout: float) -> tuple[bytes, str, str]:
    """(body, content type, final url) of a URL or a local file."""
    if urlsplit(target).scheme in ("http", "https"):
        request = urllib.request.Request(target, headers={"User-Agent": "xxgk-monitor/0.1 (inspect)"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.read(attachments.MAX_BYTES + 1), response.headers.get("Content-Type", ""), response.url
        except OSError as exc:
            raise InspectError(f"无法获取页面：{target}：{exc}") from None
    path = Path(target)
    if not path.is_file():
        raise InspectError(f"找不到文件：{target}")
    ctype = "text/plain" if path.suffix.lower() in (".txt", ".text", ".md") else ""
    return path.read_bytes(), ctype, path.resolve().as_uri()


def load(target: str, timeout: float = 15) -> tuple[str, str, str]:
    """(text, url, content kind) of a URL or a local file; decodes GBK/UTF-8 like a browser."""
    body, ctype, url = _fetch(target, timeout)
    return _decode(body, ctype, url)


def _decode(body: bytes, ctype: str, url: str) -> tuple[str, str, str]:
    _, text = html_to_unicode(ctype, body)
    if url.startswith("file:"):
        url = page_address(text, url)
    kind = "json" if "json" in ctype or text.lstrip()[:1] in ("{", "[") else (
        "text" if ctype.startswith("text/plain") else "html")
    if kind == "html" and "<datastore" in text[:2000] and "<html" not in text[:2000].lower():
        kind = "xml"
    return text, url, kind


def inspect(target: str, base_url: str | None = None) -> dict:
    """Everything the extractors see on ``target`` as a JSON-able dict (SPEC `inspect` shape).

    ``base_url`` treats a saved file as if it were served at that address.
    """
    body, ctype, url = _fetch(target, 15)
    result = {"url": base_url or url, "kind": "other", "title": None, "metadata": {f: None for f in FIELDS},
              "labels": {}, "items": [], "next_pages": [], "page_count": None,
              "total_records": None, "columns": [], "entry": None, "empty_note": None,
              "empty_note_gives_reason": False,
              "report": None, "dialect": None, "script_list": None, "dialect_columns": [], "script_signs": []}
    file_kind = attachments.kind_of(urlsplit(url).path, body, ctype)
    if file_kind in ("pdf", "docx", "doc"):
        # A 年报 published as an attachment: read its text and tables like a report page.
        extracted = attachments.extract(body, urlsplit(url).path, ctype)
        result["kind"] = "annual_report"
        result["report"] = read_report(extracted.text, None)
        result["report"]["file"] = {"kind": extracted.kind, "status": extracted.status,
                                    "pages": extracted.pages, "tables": extracted.tables}
        if extracted.note:
            result["report"]["notes"].insert(0, extracted.note)
        result["title"] = result["report"]["title"]
        return result
    text, url, kind = _decode(body, ctype, url)
    url = base_url or url
    result["url"] = url
    if kind == "text":
        result["kind"] = "annual_report"
        result["report"] = read_report(text, _text_title(text))
        result["title"] = result["report"]["title"]
        return result
    if kind == "json":
        dialect = dialects.answer_kind(text)
        if dialect:
            result["dialect"] = dialect
            request = paging.PageRequest(url, "POST" if dialect == "fjdzapp" else "GET",
                                         (("page", "1"),) if dialect == "fjdzapp" else (), dialect)
            items, pages = dialects.read_answer(dialect, text, request)
        else:
            items, pages = paging.parse_json_list(text, url)
        _fill_list(result, items, pages)
        return result
    if kind == "xml":
        items, total = paging.parse_dataproxy(text, url)
        _fill_list(result, items, paging.Paging(next_pages=[], page_count=None, total_records=total))
        return result
    meta = metadata.extract_metadata(text, url)
    result["metadata"] = {f: meta.get(f) for f in FIELDS}
    result["labels"] = meta.get("raw") or {}
    result["title"] = meta.get("title")
    found = dialects.read_page(text, url)
    if found is not None:
        result["dialect"], result["script_list"] = found.dialect, found.script_note
        result["dialect_columns"] = [_dialect_column(c) for c in found.columns]
    if found is not None and found.kind == "detail":
        items, pages, page_kind = [], paging.Paging(), "detail"
    elif found is not None and found.kind == "list":
        items, pages, page_kind = found.items, found.paging, "list"
    elif found is not None and found.kind == "directory":
        items, pages, page_kind = [], paging.Paging(), "directory"
    else:
        items = listing.extract_items(text, url)
        pages = paging.find_paging(text, url)
        page_kind = discover.classify_page(text, url)
    result["kind"] = page_kind
    if page_kind in ("list", "directory") or items or pages.next_pages:
        _fill_list(result, items, pages)
        result["empty_note"] = discover.explained_empty_note(text, url) if not items else None
        result["empty_note_gives_reason"] = discover.note_gives_reason(result["empty_note"])
    if not items:
        signs = script_list_signs(text)
        result["script_signs"] = list(signs.signs)   # the list is drawn by script: `--render` shows it
    if found is not None and found.kind == "directory":
        result["columns"] = result["dialect_columns"]
    elif page_kind != "detail":
        result["columns"] = [{"name": c.name, "url": c.url} for c in discover.find_columns(text, url)]
        result["entry"] = discover.find_entry(text, url)
    if page_kind == "detail" or not (items or pages.next_pages):
        body_text = content.main_text(text)
        if any(w in (result["title"] or "") for w in REPORT_WORDS) or looks_like_report(body_text):
            result["kind"] = "annual_report"
            result["report"] = read_report(body_text, result["title"])
    return result


def looks_like_report(text: str) -> bool:
    """A body that is a 年报 though the page title does not say so (a generic title, a bare
    article body): it names the report format and carries the applications table."""
    head = text[:3000]
    return (("年度报告" in head or "年报" in head or "政府信息公开条例" in head)
            and "本年新收" in text and ("总体情况" in text or "主动公开政府信息情况" in text))


def _dialect_column(column: dialects.DialectColumn) -> dict:
    request = column.request
    return {"name": column.name, "url": column.url, "post_count": column.post_count,
            "request": None if request is None else _request_text(request)}


def _request_text(page: paging.PageRequest) -> str:
    """``GET url`` / ``POST url form=…``: how a person would repeat the request."""
    if page.method == "GET":
        return page.url
    return f"{page.method} {page.url} " + "&".join(f"{k}={v}" for k, v in page.formdata)


def _text_title(text: str) -> str | None:
    """The title of a plain-text report: the first early line naming a 年度报告, else line one."""
    lines = [clean(line) for line in text.strip().splitlines()[:15]]
    lines = [line for line in lines if line]
    for line in lines:
        if any(w in line for w in REPORT_WORDS) and len(line) <= 80:
            return re.sub(r"^标题\s*[:：]\s*", "", line)
    return lines[0] if lines else None


def _fill_list(result: dict, items, pages) -> None:
    if result["kind"] != "directory":     # a directory may show a "recent items" list too
        result["kind"] = "list"
    result["items"] = [{"url": i.url, "title": i.title, "date": i.date} for i in items]
    result["next_pages"] = [_request_text(p) for p in pages.next_pages]
    result["page_count"] = pages.page_count
    result["total_records"] = pages.total_records


def read_report(text: str, title: str | None) -> dict:
    """The 年报 reading for inspect: year, unit, table format, notes and problems (audits.reports)."""
    from audits.reports import read_report as audit_report

    reading = audit_report(text, title=title)
    return {"year": reading.year, "title": reading.title, "unit": reading.unit,
            "unit_source": reading.unit_source, "format": reading.fmt, "table_format": reading.table_format,
            "notes": list(reading.notes),
            "problems": [{"check": p.check, "kind": getattr(p, "kind", None), "detail": p.detail,
                          "quote": getattr(p, "quote", None)} for p in reading.problems]}


def as_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
