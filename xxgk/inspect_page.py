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

from crawler import content, discover, listing, metadata, paging
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


def load(target: str, timeout: float = 15) -> tuple[str, str, str]:
    """(text, url, content kind) of a URL or a local file; decodes GBK/UTF-8 like a browser."""
    if urlsplit(target).scheme in ("http", "https"):
        request = urllib.request.Request(target, headers={"User-Agent": "xxgk-monitor/0.1 (inspect)"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body, ctype, url = response.read(), response.headers.get("Content-Type", ""), response.url
        except OSError as exc:
            raise InspectError(f"无法获取页面：{target}：{exc}") from None
    else:
        path = Path(target)
        if not path.is_file():
            raise InspectError(f"找不到文件：{target}")
        body, url = path.read_bytes(), path.resolve().as_uri()
        ctype = "text/plain" if path.suffix.lower() in (".txt", ".text") else ""
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
    text, url, kind = load(target)
    url = base_url or url
    result = {"url": url, "kind": "other", "title": None, "metadata": {f: None for f in FIELDS},
              "labels": {}, "items": [], "next_pages": [], "page_count": None,
              "total_records": None, "columns": [], "entry": None, "empty_note": None,
              "report": None, "script_signs": []}
    if kind == "text":
        result["kind"] = "annual_report"
        result["title"] = _text_title(text)
        result["report"] = read_report(text, result["title"])
        return result
    if kind == "json":
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
    items = listing.extract_items(text, url)
    pages = paging.find_paging(text, url)
    page_kind = discover.classify_page(text, url)
    result["kind"] = page_kind
    if page_kind in ("list", "directory") or items or pages.next_pages:
        _fill_list(result, items, pages)
        result["empty_note"] = discover.explained_empty_note(text) if not items else None
    if not items and not pages.next_pages:
        signs = script_list_signs(text)
        result["script_signs"] = list(signs.signs)   # the list is drawn by script: `--render` shows it
    if page_kind != "detail":
        result["columns"] = [{"name": c.name, "url": c.url} for c in discover.find_columns(text, url)]
        result["entry"] = discover.find_entry(text, url)
    if page_kind == "detail" and any(w in (result["title"] or "") for w in REPORT_WORDS):
        result["kind"] = "annual_report"
        result["report"] = read_report(content.main_text(text), result["title"])
    return result


def _text_title(text: str) -> str | None:
    """The title of a plain-text report: the first early line naming a 年度报告, else line one."""
    lines = [clean(line) for line in text.strip().splitlines()[:15]]
    lines = [line for line in lines if line]
    for line in lines:
        if any(w in line for w in REPORT_WORDS) and len(line) <= 80:
            return line
    return lines[0] if lines else None


def _fill_list(result: dict, items, pages) -> None:
    if result["kind"] != "directory":     # a directory may show a "recent items" list too
        result["kind"] = "list"
    result["items"] = [{"url": i.url, "title": i.title, "date": i.date} for i in items]
    result["next_pages"] = [p.url if p.method == "GET" else f"{p.method} {p.url}" for p in pages.next_pages]
    result["page_count"] = pages.page_count
    result["total_records"] = pages.total_records


def read_report(text: str, title: str | None) -> dict:
    """The 年报 reading for inspect: year and problems (from audits.reports)."""
    from audits.reports import read_report as audit_report

    reading = audit_report(text)
    return {"year": reading.year,
            "problems": [{"check": p.check, "kind": getattr(p, "kind", None), "detail": p.detail,
                          "quote": getattr(p, "quote", None)} for p in reading.problems]}


def as_json(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)
