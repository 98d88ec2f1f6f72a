"""Guangdong 政府信息公开目录平台 (gkmlpt), used by the province's portals.

Shape (issue 9; public crawlers of gd.gov.cn, sz.gov.cn, gz.gov.cn sites agree):

* ``/gkmlpt/index`` is a Vue page: no list in the markup. The column tree exists only in
  ``window._CONFIG = {SID: '755031', TREE: [{id, name, children, jump_url, post_count}, …]}``;
  a column is opened as ``/gkmlpt/index#<id>``.
* Lists: ``GET /gkmlpt/api/all/<id>?page=N&sid=SID`` →
  ``{"classify": {"post_count": …}, "articles": [{"id", "title", "identifier" (索引号),
  "document_number", "publisher", "created_at", "url", …}]}`` (100 a page on real sites).
* Paging differs by site: on some, page 0 and page 1 return the same items; on others the
  whole list is on one page and page 2 answers 404. So: start at page 1, stop at
  ``post_count``, at an empty page or at a 404; items are de-duplicated by id.
* Details: ``/gkmlpt/content/{id//1000000}/{id//1000}/post_{id}.html`` with a metadata table
  (read by the generic metadata extractor).
"""

from __future__ import annotations

import math
import re
from datetime import datetime, timezone, timedelta
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from crawler.listing import ListItem
from crawler.paging import MAX_PAGES, PageRequest, Paging
from crawler.text import clean, parse_date, to_simplified

from .base import DialectColumn, DialectPage, as_int, load_json

NAME = "gkmlpt"
KIND = "gkmlpt"
_CONFIG = re.compile(r"window\._CONFIG\s*=\s*(\{.*?\})\s*;?\s*</script>", re.S)
_SID = re.compile(r"""\bSID\s*:\s*["']?(\w+)""")
_TREE = re.compile(r"""\bTREE\s*:\s*(\[.*\])\s*[,}]""", re.S)
_CN = timezone(timedelta(hours=8))


def matches(html: str, url: str) -> bool:
    return "/gkmlpt/" in url and "_CONFIG" in html and "TREE" in html


def _tree(html: str) -> tuple[str | None, list]:
    m = _CONFIG.search(html)
    block = m.group(1) if m else html
    sid = _SID.search(block)
    tree_m = _TREE.search(block)
    tree = load_json(tree_m.group(1)) if tree_m else None
    return (sid.group(1) if sid else None), (tree if isinstance(tree, list) else [])


def api_request(page_url: str, category, sid: str, page: int = 1) -> PageRequest:
    root = page_url.split("/gkmlpt/")[0]
    query = urlencode({"page": page, "sid": sid})
    return PageRequest(f"{root}/gkmlpt/api/all/{category}?{query}", "GET", (), KIND)


def _columns(nodes: list, page_url: str, sid: str) -> list[DialectColumn]:
    """Leaves of the tree are columns (a node with children is a group); a node with a
    ``jump_url`` is an ordinary page elsewhere and is read like any column page."""
    out: list[DialectColumn] = []
    for node in nodes:
        if not isinstance(node, dict) or node.get("id") is None:
            continue
        name = clean(to_simplified(str(node.get("name") or ""))) or str(node["id"])
        children = node.get("children") or []
        jump = (node.get("jump_url") or "").strip()
        if children:
            out.extend(_columns(children, page_url, sid))
        elif jump:
            out.append(DialectColumn(name, urljoin(page_url, jump), None, as_int(node.get("post_count"))))
        else:
            human = page_url.split("/gkmlpt/")[0] + f"/gkmlpt/index#{node['id']}"
            out.append(DialectColumn(name, human, api_request(page_url, node["id"], sid),
                                     as_int(node.get("post_count"))))
    return out


def read(html: str, url: str) -> DialectPage | None:
    sid, tree = _tree(html)
    if not sid or not tree:
        return None
    columns = _columns(tree, url, sid)
    note = ("列表由脚本绘制（gkmlpt）：栏目树在 window._CONFIG.TREE，各栏目列表取自 "
            f"GET /gkmlpt/api/all/<栏目id>?page=N&sid={sid}")
    return DialectPage(NAME, kind="directory", columns=columns, script_note=note)


def _date(value) -> str | None:
    if isinstance(value, (int, float)) and value > 0:
        stamp = value / 1000 if value > 10**11 else value
        return datetime.fromtimestamp(stamp, _CN).date().isoformat()
    return parse_date(str(value)) if value else None


def article_item(article: dict, base_url: str) -> ListItem | None:
    url = article.get("url") or article.get("post_url")
    title = clean(to_simplified(str(article.get("title") or "")))
    if not url or not title:
        return None
    date = (_date(article.get("created_at")) or _date(article.get("display_publish_time"))
            or _date(article.get("first_publish_time")))
    return ListItem(urljoin(base_url, str(url)), title, date)


def _page_of(url: str) -> int:
    return as_int(dict(parse_qsl(urlsplit(url).query)).get("page")) or 0


def page_of(request: PageRequest) -> int:
    """The page number a list request asks for (0 when it names none)."""
    return _page_of(request.url)


def _with_page(url: str, page: int) -> str:
    parts = urlsplit(url)
    query = [(k, str(page) if k == "page" else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    return parts._replace(query=urlencode(query)).geturl()


def read_answer(text: str, request: PageRequest, status: int = 200) -> tuple[list[ListItem], Paging]:
    """One API answer → its articles and the remaining pages (all at once: the first answer
    states ``post_count`` and its page size). A 404 or an empty page ends the list."""
    if status >= 400:
        return [], Paging()
    data = load_json(text)
    if not isinstance(data, dict):
        return [], Paging()
    articles = [a for a in data.get("articles") or [] if isinstance(a, dict)]
    seen, items = set(), []
    for article in articles:
        key = article.get("id") or article.get("url")
        item = article_item(article, request.url)
        if item and key not in seen:
            seen.add(key)
            items.append(item)
    classify = data.get("classify") if isinstance(data.get("classify"), dict) else {}
    total = as_int(classify.get("post_count")) or as_int(data.get("total"))
    page = _page_of(request.url)
    if not items or page > 1 or total is None:
        # later pages were all requested by the first; without a total, ask for the next page
        more = [] if (items == [] or total is not None) else [PageRequest(_with_page(request.url, page + 1), "GET", (), KIND)]
        return items, Paging(more[:1] if page < MAX_PAGES else [], None, total)
    size = len(articles)
    pages = min(math.ceil(total / size), MAX_PAGES)
    more = [PageRequest(_with_page(request.url, n), "GET", (), KIND) for n in range(page + 1, pages + 1)]
    return items, Paging(more, pages, total)


def problem(text: str, status: int = 200) -> str | None:
    """Why an answer is no list at all (then the column is unreadable, never empty)."""
    if status >= 400:
        return None
    data = load_json(text)
    if not isinstance(data, dict) or not isinstance(data.get("articles"), list):
        return "gkmlpt 列表接口未返回文章列表"
    return None
