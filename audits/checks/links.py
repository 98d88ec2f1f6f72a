"""``broken_link``: a listed item or an attachment of the portal cannot be opened.

Definite: an answer 404, 403 or 410 from the portal's own hosts. Any other failure (5xx, a
timeout, a refused connection) was asked again once at the end of the crawl (the spider's
``on_idle``); still failing, it is reported with "疑似" in the detail — a busy server is not
proof of a dead link. Links outside the portal's hosts are not this unit's defect and are not
findings.

The evidence URL is the URL that fails — opening it shows the problem: for a broken listed
item the item's own URL, for a broken attachment the attachment's URL, with the document
page that links it named in the detail (and its column in ``column``). Sources: the ``links``
rows of the crawl, plus documents whose page failed (so a failure recorded only on the
document row is not lost). One finding per broken URL.
"""

from __future__ import annotations

from datetime import date

from crawler.errors import DEFINITE_STATUSES
from crawler.urls import same_portal

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData


def failure(status, error) -> str | None:
    """Why a fetch failed, in words (None when it did not fail)."""
    if status is not None:
        try:
            code = int(status)
        except (TypeError, ValueError):
            code = 0
        if code >= 400:
            return f"HTTP {code}"
        if code:
            return None
    if error:
        return str(error).strip() or "无法访问"
    if status is None:
        return "无法访问"
    return None


def _code(status) -> int | None:
    try:
        return int(status) if status is not None else None
    except (TypeError, ValueError):
        return None


def qualified(why: str, status, retried) -> str:
    """``why`` as the finding says it: definite (404/403/410) as is, anything else 疑似."""
    if _code(status) in DEFINITE_STATUSES:
        return why
    again = "，抓取结束时重试仍失败" if retried else ""
    return f"疑似：{why}{again}"


class _Portal:
    """The anchors ``crawler.urls.same_portal`` compares with: homepage and entry."""

    def __init__(self, site: SiteData):
        self.url = site.site.get("url") or site.crawl.get("url") or ""
        self.entry = site.crawl.get("entry_url")


def _item_columns(site: SiteData) -> dict[str, str]:
    """URL of a listed item → name of the (first, by URL) column listing it."""
    out: dict[str, str] = {}
    for item in sorted(site.column_items, key=lambda i: (i.get("column_url") or "", i.get("url") or "")):
        name = site.column_name(item.get("column_url"))
        if item.get("url") and name and item["url"] not in out:
            out[item["url"]] = name
    return out


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    columns = _item_columns(site)
    broken: dict[str, Finding] = {}
    severity = rules.severity("broken_link")
    portal = _Portal(site)
    inside = (lambda u: same_portal(u, portal)) if portal.url else (lambda u: True)
    for link in sorted(site.links, key=lambda r: r.get("url") or ""):
        url = link.get("url")
        why = failure(link.get("status"), link.get("error"))
        if not url or not why or url in broken or not inside(url):
            continue
        why = qualified(why, link.get("status"), link.get("retried"))
        if (link.get("kind") or "item") == "attachment":
            page = link.get("source_url") or url
            doc = site.document(page) or {}
            column = site.column_name(doc.get("column_url")) or columns.get(page)
            broken[url] = Finding("broken_link", severity,
                                  f"附件无法打开（{why}），所在文件：{page}", column=column, url=url)
        else:
            doc = site.document(url) or {}
            column = columns.get(url) or site.column_name(doc.get("column_url"))
            broken[url] = Finding("broken_link", severity,
                                  f"栏目列出的信息无法打开（{why}）", column=column, url=url)
    for doc in sorted(site.documents, key=lambda d: d.get("url") or ""):
        url = doc.get("url")
        status = doc.get("http_status")
        if not url or url in broken or not (doc.get("error") or (status is not None and int(status) >= 400)):
            continue
        if not inside(url):
            continue
        why = qualified(failure(status, doc.get("error")) or "无法访问", status, False)
        column = columns.get(url) or site.column_name(doc.get("column_url"))
        broken[url] = Finding("broken_link", severity, f"栏目列出的信息无法打开（{why}）",
                              column=column, url=url)
    return list(broken.values())
