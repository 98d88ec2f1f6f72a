"""Builders of hand-made crawl rows for the audit tests (rows shaped as crawler/store.py stores them)."""

from __future__ import annotations

import json
from datetime import date

from audits.rules import load_rules
from audits.site import SiteData

RULES = load_rules()
SITE = {"id": "songling", "name": "松岭区人民政府", "url": "http://songling.test/", "config": {}}


def column(name: str, url: str, latest: str | None = None, count: int | None = None, **extra) -> dict:
    if count is None:
        count = 1 if latest else 0
    return {"run_id": 1, "site_id": "songling", "name": name, "url": url, "category": None,
            "item_count": count, "latest_date": latest, "parent_url": None, "declared_total": None,
            "empty_note": None, "http_status": None, **extra}


def item(column_url: str, url: str, title: str, list_date: str | None, position: int = 0) -> dict:
    return {"run_id": 1, "site_id": "songling", "column_url": column_url, "url": url,
            "title": title, "list_date": list_date, "position": position}


def document(url: str, column_url: str = "http://songling.test/xxgk/zcwj/", title: str = "关于某事的通知",
             list_date: str | None = "2026-03-01", index_no: str | None = "11441700007280420Y/2026-00001",
             publisher: str | None = "松岭区人民政府办公室", published: str | None = "2026-03-01",
             written: str | None = "2026-02-27", labels: dict | None = None,
             date_texts: dict | None = None, **extra) -> dict:
    if labels is None:
        labels = {k: v for k, v in (("索引号", index_no), ("发布机构", publisher),
                                    ("发布日期", published), ("成文日期", written)) if v}
    return {"site_id": "songling", "url": url, "title": title, "column_url": column_url,
            "list_date": list_date, "index_no": index_no, "publisher": publisher,
            "published": published, "written": written, "doc_no": None, "topic": None,
            "raw": json.dumps({"labels": labels, "date_texts": date_texts or {}}, ensure_ascii=False),
            "http_status": 200, "error": None, "text": None, **extra}


def link(url: str, status: int | None, kind: str = "item", source_url: str | None = None,
         error: str | None = None) -> dict:
    return {"run_id": 1, "site_id": "songling", "url": url, "source_url": source_url, "kind": kind,
            "status": status, "error": error}


def site(columns=(), items=(), documents=(), links=(), config=None, name=None, status="ok",
         error=None) -> SiteData:
    info = dict(SITE, config=config or {})
    if name is not None:
        info["name"] = name
    return SiteData(site=info, crawl={"run_id": 1, "site_id": "songling", "status": status,
                                      "error": error, "url": SITE["url"],
                                      "entry_url": "http://songling.test/xxgk/"},
                    columns=list(columns), column_items=list(items), documents=list(documents),
                    links=list(links), rules=RULES)


def d(text: str) -> date:
    return date.fromisoformat(text)


def checks_of(findings) -> list[str]:
    return [f.check for f in findings]
