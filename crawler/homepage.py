"""What the homepage shows of its updates, for ``homepage_stale`` (19号: "监测2周，首页无信息
更新的"; a homepage that is only a navigation entry is judged by its 二级页面). Pure.

``read_home(html, url)`` returns the homepage's list items (every block of dated rows: 要闻,
通知公告 …) and a status: ``ok`` (the lists were read — dated or not), ``script`` (no list in
the markup but scripts that draw one: unknown without a browser, never "not updated"), or
``none`` (no list at all: a navigation entry, whose same-portal links are the 二级页面 to read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.listing import ListItem, all_items, is_attachment, is_nav_text, looks_like_detail

#: Scripts that draw a list in the browser: XHR/fetch calls or template/framework markers.
_SCRIPT_LIST = re.compile(r"\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|axios|XMLHttpRequest|"
                          r"ms-controller|ms-for|v-for=|ng-repeat|\{\{\s*#?each|template", re.I)
#: How many 二级页面 a navigation-only homepage is read through.
MAX_LEVEL2 = 12


#: A date without its year, as homepages print them: "03-10", "[03/10]", "3月10日".
_MONTH_DAY = re.compile(r"^[\s\[【(（]*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?[\s\]】)）]*$")


@dataclass
class HomeRead:
    status: str                       # ok | script | none
    items: list[ListItem] = field(default_factory=list)
    reason: str | None = None
    shown: dict[str, str] = field(default_factory=dict)   # url → a year-less date text as shown


def read_home(html: str, url: str, today: date | None = None) -> HomeRead:
    """The homepage's list items and whether they can be judged (see module doc).

    Homepages often print dates without the year ("03-10", "3月10日"); such an item gets the
    latest date with that month and day not after ``today`` (the crawl day), and its text is
    kept in ``shown`` so the finding can say the year was inferred."""
    items = all_items(html, url)
    if items:
        items, shown = _year_less_dates(html, url, items, today or date.today())
        return HomeRead("ok", items, shown=shown)
    if _SCRIPT_LIST.search(html or ""):
        return HomeRead("script", [], "首页信息列表由脚本生成，未能读取")
    return HomeRead("none", [], "首页无信息列表（仅为导航入口）")


def infer_year(month: int, day: int, today: date) -> date | None:
    """The latest date with ``month``/``day`` not after ``today`` (None for 02-30 and the like)."""
    for year in (today.year, today.year - 1, today.year - 2):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def _year_less_dates(html: str, url: str, items: list[ListItem], today: date):
    undated = {i.url for i in items if not i.date}
    if not undated:
        return items, {}
    try:
        root = Selector(text=html).root
    except Exception:
        return items, {}
    found: dict[str, tuple[str, str]] = {}
    for a in root.iter("a"):
        target = urljoin(url, (a.get("href") or "").strip())
        if target not in undated or target in found:
            continue
        row = a.getparent()
        for _ in range(3):
            if row is None:
                break
            texts = [t for node in row.iter() if isinstance(node.tag, str) and node is not a
                     and node not in set(a.iterdescendants())
                     for t in (node.text, node.tail) if t and t.strip()]
            match = next((m for m in (_MONTH_DAY.match(t) for t in texts) if m), None)
            if match:
                day = infer_year(int(match.group(1)), int(match.group(2)), today)
                if day:
                    found[target] = (day.isoformat(), match.group(0).strip())
                break
            row = row.getparent()
    out = [replace(i, date=found[i.url][0]) if i.url in found else i for i in items]
    return out, {u: text for u, (_, text) in found.items()}


def level2_links(html: str, url: str, limit: int = MAX_LEVEL2) -> list[str]:
    """The 二级页面 of a navigation-only homepage: its same-host page links (not documents,
    files, anchors or scripts), in page order."""
    try:
        root = Selector(text=html or "<html></html>").root
    except Exception:
        return []
    host = urlsplit(url).netloc.lower()
    out: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = urljoin(url, href).split("#")[0]
        parts = urlsplit(target)
        if parts.scheme not in ("http", "https") or parts.netloc.lower() != host:
            continue
        if target.rstrip("/") == url.split("#")[0].rstrip("/") or parts.path in ("", "/"):
            continue
        text = "".join(a.itertext()).strip()
        if looks_like_detail(target) or is_attachment(target) or (text and is_nav_text(text)):
            continue
        if target not in out:
            out.append(target)
        if len(out) >= limit:
            break
    return out
