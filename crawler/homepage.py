"""What the homepage shows of its updates, for ``homepage_stale`` (19号: "监测2周，首页无信息
更新的"; a homepage that is only a navigation entry is judged by its 二级页面). Pure.

``read_home(html, url)`` returns the homepage's list items (every block of dated rows: 要闻,
通知公告 …) and a status: ``ok`` (the lists were read — dated or not), ``script`` (no list in
the markup but scripts that draw one: unknown without a browser, never "not updated"), or
``none`` (no list at all: a navigation entry, whose same-portal links are the 二级页面 to read).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.listing import ListItem, all_items, is_attachment, is_nav_text, looks_like_detail

#: Scripts that draw a list in the browser: XHR/fetch calls or template/framework markers.
_SCRIPT_LIST = re.compile(r"\$\.(?:ajax|get|getJSON|post)\s*\(|\bfetch\s*\(|axios|XMLHttpRequest|"
                          r"ms-controller|ms-for|v-for=|ng-repeat|\{\{\s*#?each|template", re.I)
#: How many 二级页面 a navigation-only homepage is read through.
MAX_LEVEL2 = 12


@dataclass
class HomeRead:
    status: str                       # ok | script | none
    items: list[ListItem] = field(default_factory=list)
    reason: str | None = None


def read_home(html: str, url: str) -> HomeRead:
    """The homepage's list items and whether they can be judged (see module doc)."""
    items = all_items(html, url)
    if items:
        return HomeRead("ok", items)
    if _SCRIPT_LIST.search(html or ""):
        return HomeRead("script", [], "首页信息列表由脚本生成，未能读取")
    return HomeRead("none", [], "首页无信息列表（仅为导航入口）")


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
