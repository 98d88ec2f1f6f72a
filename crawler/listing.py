"""List items (url, title, date) from any 信息公开 list page shape. Pure: text in, values out.

Three shapes are understood, and their results merged in page order:

(a) markup rows: a ``<li>``/``<tr>``/``<div>`` holding an ``<a>`` to a detail page and a date
    in a sibling cell/span/b/em (TRS ``table.gl_list``, ``<li><a/><span>2024-01-05</span></li>``,
    legacy tables whose last cell is the date);
(b) Hanweb JCMS ``<script type="text/xml"><datastore>…<record><![CDATA[<li>…</li>]]></record>``:
    the first group of records is shipped inside a script, invisible to a markup parser;
(c) JSON embedded in inline JavaScript (``articleList: [{title, pubDate, urls}]``), used by the
    newer platforms that render the list in the browser.

Precision matters more than recall: a navigation link counted as a "document" would hide a
stale column, so an anchor only becomes an item when its URL looks like an article AND it sits
in the repeated, dated row structure of the page (the container with the most dated anchors).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urljoin, urlsplit

from parsel import Selector

from crawler.urls import is_attachment  # noqa: F401  (re-exported: listed files are items)
from crawler.text import clean, parse_date, squeeze, to_simplified


@dataclass(frozen=True)
class ListItem:
    url: str            # absolute URL (urljoin with the page URL)
    title: str          # full title (the title attribute when the text is truncated), 简体
    date: str | None    # ISO date shown next to the item in the list, else None


# --- URL heuristics -------------------------------------------------------------------------


_ARTICLE_PATTERNS = [
    re.compile(r"/t\d{8}_\d+\.\w+$"),                      # TRS t20200903_2748784.html
    re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+"),     # Hanweb /art/2022/1/20/art_…html
    re.compile(r"content_\d+"),                            # UCAP/new Hanweb content_<id>.html
    re.compile(r"/(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:\d{2})?/[^/]+$"),   # /202401/…, /20240105/…
    re.compile(r"/(?:19|20)\d{2}[-/](?:0?[1-9]|1[0-2])(?:[-/]\d{1,2})?/[^/]+\.\w+$"),
    re.compile(r"/[^/]*\d{4,}[^/]*\.(?:s?html?|jhtml|jsp|php|aspx?)$"),  # digits in the file name
]
_ARTICLE_QUERY_KEYS = {"id", "docid", "articleid", "infoid", "contentid", "newsid", "itemid",
                       "aid", "artid", "doc_id", "article_id", "info_id", "uuid", "guid"}
# A file name that names a list, not a document: index.html, index_3.html, list_2.htm, default.htm
_LIST_FILE = re.compile(r"/(?:index|list|default|more|main)(?:_\d+)?\.\w+$", re.I)
_PAGE_QUERY_KEYS = {"page", "pageno", "pageindex", "curpage", "p", "pagenum", "currentpage", "pn"}


def is_web_url(url: str) -> bool:
    """http(s) URLs only: javascript:, mailto:, tel: and bare anchors are never items or columns.

    ``file:`` is accepted too, so `xxgk inspect saved-page.html` sees the same items as a crawl.
    """
    return urlsplit(url).scheme in ("http", "https", "file")


def looks_like_detail(url: str) -> bool:
    """Whether ``url`` looks like one document (an article or an attached file), not a list.

    Portals name articles after their date and a serial (``t20200903_2748784.html``,
    ``/art/2022/1/20/art_12377_1486865.html``, ``content_1881….html``, ``/202401/…``) or pass an
    id in the query (``?id=123``); lists are directories or ``index_N.html``.
    """
    parts = urlsplit(url)
    path = parts.path
    if is_attachment(url):
        return True
    if _LIST_FILE.search(path):
        return False
    if any(p.search(path) for p in _ARTICLE_PATTERNS):
        return True
    keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    # "/gszbm/auto23692/?id=1780/2138" is a directory with a tracking id, not a document
    if keys & _ARTICLE_QUERY_KEYS and not keys & _PAGE_QUERY_KEYS and not path.endswith("/"):
        return True
    return False


# --- anchor texts that are navigation, never documents --------------------------------------

_NAV_TEXT = re.compile(
    r"^(?:首页|网站首页|返回首页|上一?页|下一?页|前一?页|后一?页|尾页|末页|最后一?页|第一页|"
    r"更多|更多.{0,4}|more|查看更多|\d{1,4}|[<>«»›‹]+|跳转|go|打印|关闭|收藏|"
    r"网站声明|联系我们|网站地图|关于我们|帮助|无障碍|english)$", re.I)


def is_nav_text(text: str) -> bool:
    """Texts of pagination, "更多" and site-furniture links (compared 简体, without spaces)."""
    compact = re.sub(r"[\s\[\]【】()（）:：>»]+$", "", to_simplified(squeeze(text)))
    compact = re.sub(r"\s+", "", compact)
    return not compact or bool(_NAV_TEXT.match(compact)) or bool(_NAV_TEXT.match(to_simplified(squeeze(text))))


# --- dates and titles ------------------------------------------------------------------------

_DATE_TOKEN = re.compile(
    r"^[\s\[【(（]*(?:(?:19|20)\d{2}\s*[-/._年]\s*\d{1,2}\s*[-/._月]\s*\d{1,2}\s*日?)"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\s\]】)）]*$")


def date_of_text(text: str | None) -> str | None:
    """The date of a short text that is (essentially) just a date: "2024-01-05", "[2024/1/5]",
    "2024年01月05日", "2025-07-29 16:59". Longer texts (titles mentioning dates) give None."""
    if not text:
        return None
    text = squeeze(text)
    if len(text) > 40:
        return None
    if _DATE_TOKEN.match(text):
        return parse_date(text)
    # "发布日期：2024-01-05" and similar short label+date cells
    if len(text) <= 24 and re.search(r"(?:19|20)\d{2}\s*[-/.年]", text):
        return parse_date(text)
    return None


def _truncated(text: str) -> bool:
    return text.endswith(("...", "…", "..", "．．．"))


def pick_title(text: str | None, title_attr: str | None) -> str:
    """The full title: the ``title`` attribute when the visible text is empty or cut with "..."."""
    text_c = clean(text) or ""
    attr_c = clean(title_attr) or ""
    if attr_c and (not text_c or _truncated(text_c)
                   or (len(attr_c) > len(text_c) and attr_c.startswith(text_c.rstrip(".…． ")))):
        return attr_c
    return text_c or attr_c


# --- shape (a): markup rows ------------------------------------------------------------------

_ROW_TAGS = {"li", "tr", "dd", "dt", "div", "p", "dl", "article", "section", "span", "td"}
_SKIP_TEXT_ANCESTORS = ("script", "style", "noscript", "template", "textarea", "option")


def _text_nodes(el) -> list[str]:
    """Visible text nodes of an lxml element (scripts, styles and comments excluded)."""
    out = []
    for node in el.iter():
        if not isinstance(node.tag, str) or node.tag in _SKIP_TEXT_ANCESTORS:
            if node is not el and node.tail and node.tail.strip():
                out.append(node.tail)
            continue
        if node.text and node.text.strip():
            out.append(node.text)
        if node is not el and node.tail and node.tail.strip():
            out.append(node.tail)
    return out


def _date_outside(row, anchor) -> str | None:
    """The first date-like text of ``row`` that is not inside ``anchor`` (document order)."""
    inside = set(anchor.iterdescendants())
    for node in row.iter():
        if node in inside:
            continue
        own_tail = node.tail if node is not row else None
        if node is anchor or not isinstance(node.tag, str) or node.tag in _SKIP_TEXT_ANCESTORS:
            d = date_of_text(own_tail)       # text after the anchor / comment is outside it
        else:
            d = date_of_text(node.text) or date_of_text(own_tail)
        if d:
            return d
    return None


def _date_inside(anchor) -> tuple[str | None, str | None]:
    """A date printed inside the anchor in its own element (``<a><span>t</span><em>date</em></a>``);
    returns (date, that element's text) so the title can be told apart from it."""
    for child in anchor.iterdescendants():
        if isinstance(child.tag, str) and child.text:
            d = date_of_text(child.text)
            if d and not len(child):
                return d, child.text
    return None, None


def _anchor_text(anchor) -> str:
    return "".join(_text_nodes(anchor))


def _row_of(anchor, candidates: set) -> tuple[object, str | None]:
    """Walk up from the anchor to the element holding its date (a row), without swallowing
    another candidate anchor. Returns (row element, date)."""
    node = anchor
    for _ in range(5):
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        others = [a for a in parent.iter("a") if a is not anchor and a in candidates]
        if others:
            break
        node = parent
        d = _date_outside(node, anchor)
        if d:
            return node, d
    # no dated row: the nearest row-like ancestor
    row = anchor.getparent()
    while row is not None and row.tag not in _ROW_TAGS and row.tag not in ("body", "html"):
        row = row.getparent()
    return (row if row is not None else anchor), None


def _signature(el) -> tuple:
    """Tag and class of a container and of its parent: the blocks of one list split into
    several ``<ul>`` share both, a sidebar of the same tag usually does not."""
    parent = el.getparent()
    own = (el.tag, (el.get("class") or "").strip())
    return own + ((parent.tag, (parent.get("class") or "").strip()) if parent is not None else ())


def _all_groups(root, url: str) -> list[tuple[object, list[tuple[int, ListItem]], int]]:
    """Every container of document-like rows: (container, [(position, item)], dated rows)."""
    anchors = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        abs_url = urljoin(url, href)
        if not is_web_url(abs_url):
            continue
        text = _anchor_text(a)
        if is_nav_text(text) and not clean(a.get("title")):
            continue
        anchors.append((a, abs_url))
    candidate_set = {a for a, u in anchors if looks_like_detail(u)}
    # rows and their containers
    groups: dict[int, list] = defaultdict(list)
    containers = {}
    order = {el: i for i, el in enumerate(root.iter())}
    for a, abs_url in anchors:
        row, date = _row_of(a, candidate_set)
        if a not in candidate_set:
            # a dated row whose link is not directory-like still counts as a document
            path = urlsplit(abs_url).path
            if not date or path.endswith("/") or _LIST_FILE.search(path) or not path.strip("/"):
                continue
        inner_date, inner_text = (None, None)
        if not date:
            inner_date, inner_text = _date_inside(a)
            date = inner_date
        text = _anchor_text(a)
        if inner_text:
            text = text.replace(inner_text, " ")
        title = pick_title(text, a.get("title"))
        if not title or is_nav_text(title):
            continue
        container = row.getparent() if row is not a else a.getparent()
        if container is None:
            continue
        key = id(container)
        containers[key] = container
        groups[key].append((order.get(a, 0), ListItem(abs_url, title, date)))
    return [(containers[k], v, sum(1 for _, it in v if it.date)) for k, v in groups.items()]


def _markup_groups(root, url: str) -> list[list[tuple[int, ListItem]]]:
    """The item rows of the page's list: the container with the most dated anchors, plus the
    containers that look the same (lists split into several ``<ul>`` blocks)."""
    found = _all_groups(root, url)
    if not found:
        return []
    groups = {i: g[1] for i, g in enumerate(found)}
    containers = {i: g[0] for i, g in enumerate(found)}
    dated = {i: g[2] for i, g in enumerate(found)}
    best = max(groups, key=lambda k: (dated[k], len(groups[k]), -min(p for p, _ in groups[k])))
    if dated[best] == 0:
        # undated lists: only a clearly repeated block of document links counts
        return [groups[best]] if len(groups[best]) >= 3 else []
    sig = _signature(containers[best])
    return [groups[k] for k in groups
            if k == best or (dated[k] and _signature(containers[k]) == sig)]


def _markup_items(root, url: str) -> list[tuple[int, ListItem]]:
    """Items of shape (a), as (document position, item), in page order."""
    out = [item for group in _markup_groups(root, url) for item in group]
    return sorted(out, key=lambda t: t[0])


def item_containers(html: str, url: str) -> int:
    """How many separate containers hold the dated document rows: a directory page shows several
    "latest" previews, a list page one list. Used by the page classifier."""
    root = _root(html)
    if root is None:
        return 0
    return sum(1 for _, _, dated in _all_groups(root, url) if dated >= 2)


# --- shape (b): Hanweb datastore records ----------------------------------------------------

_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)


def record_items(text: str, url: str) -> list[ListItem]:
    """Items of the ``<record><![CDATA[…]]></record>`` blocks of a Hanweb datastore (inline in a
    column page or a dataproxy.jsp answer). Every record is one row by definition."""
    out = []
    for fragment in _RECORD.findall(text or ""):
        sel = Selector(text=f"<div>{fragment}</div>")
        for a in sel.xpath("//a[@href]"):
            el = a.root
            abs_url = urljoin(url, el.get("href").strip())
            if not is_web_url(abs_url):
                continue
            title = pick_title(_anchor_text(el), el.get("title"))
            if not title or is_nav_text(title):
                continue
            date = None
            for piece in _text_nodes(sel.root):
                if piece not in _text_nodes(el):
                    date = date_of_text(piece)
                    if date:
                        break
            if not date:
                date = _date_inside(el)[0]
            out.append(ListItem(abs_url, title, date))
            break   # one document per record; further anchors are attachments/icons
    return out


# --- shape (c): JSON ------------------------------------------------------------------------

_TITLE_KEYS = ("title", "docTitle", "articleTitle", "doctitle", "fileName", "name", "showTitle")
_URL_KEYS = ("url", "urls", "link", "href", "docUrl", "docurl", "linkUrl", "pageUrl", "path",
             "articleUrl", "detailUrl")
_DATE_KEYS = ("pubDate", "publishDate", "publishTime", "pubTime", "releaseTime", "docDate",
              "date", "time", "createTime", "docreltime", "publishedTime", "updateTime")
_PAGE_FACTS = {
    "page": ("page", "pageNo", "pageIndex", "curPage", "currentPage", "pageNum", "current"),
    "pages": ("pages", "totalPage", "totalPages", "pageCount", "pageTotal", "countPage"),
    "total": ("total", "totalRecord", "totalCount", "totalrecord", "count", "countnum", "recordCount",
              "totalElements", "totalNum", "totalSize"),
    "size": ("size", "pageSize", "perPage", "perpage", "limit", "rows", "pagesize"),
}


def _json_url(value) -> str | None:
    """A URL value: a string, or the ``{"pc": "…"}`` map (itself sometimes a JSON string)."""
    if isinstance(value, str):
        v = value.strip()
        if v.startswith("{"):
            try:
                return _json_url(json.loads(v))
            except ValueError:
                return None
        return v or None
    if isinstance(value, dict):
        for key in ("pc", "url", "web", "href"):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip()
        for v in value.values():
            if isinstance(v, str) and v.strip():
                return v.strip()
    return None


def _json_date(value) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 1e11 else value
        if not 3e8 < seconds < 5e9:
            return None
        # portals stamp Beijing time
        return datetime.fromtimestamp(seconds, timezone(timedelta(hours=8))).date().isoformat()
    if isinstance(value, str):
        v = value.strip()
        if v.isdigit() and len(v) >= 10:
            return _json_date(int(v))
        return parse_date(v)
    return None


def _first_key(d: dict, keys) -> object:
    for k in keys:
        if k in d and d[k] not in (None, ""):
            return d[k]
    lower = {str(k).lower(): v for k, v in d.items()}
    for k in keys:
        v = lower.get(k.lower())
        if v not in (None, ""):
            return v
    return None


def _list_score(rows: list[dict]) -> tuple:
    titled = sum(1 for r in rows if _first_key(r, _TITLE_KEYS) and _first_key(r, _URL_KEYS))
    dated = sum(1 for r in rows if _first_key(r, _DATE_KEYS) is not None)
    title_key = any(any(k in r for k in _TITLE_KEYS[:5]) for r in rows[:3])   # "title" beats "name"
    return (titled > 0, title_key, dated > 0, titled)


def _int(value) -> int | None:
    try:
        n = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return n if n >= 0 else None


def _paging_facts(holders: list[dict]) -> dict:
    facts = {"page": None, "pages": None, "total": None, "size": None}
    for holder in holders:
        if not isinstance(holder, dict):
            continue
        for fact, keys in _PAGE_FACTS.items():
            if facts[fact] is None:
                v = _first_key(holder, keys)
                if not isinstance(v, (dict, list)):
                    facts[fact] = _int(v)
    return facts


def _rows_to_items(rows: list[dict], base_url: str, detail_only: bool) -> list[ListItem]:
    out = []
    for r in rows:
        raw_url = _json_url(_first_key(r, _URL_KEYS))
        title_raw = _first_key(r, _TITLE_KEYS)
        if not raw_url or not isinstance(title_raw, str):
            continue
        if "<" in title_raw:
            title_raw = " ".join(Selector(text=f"<div>{title_raw}</div>").xpath("//text()").getall())
        title = clean(title_raw)
        abs_url = urljoin(base_url, raw_url)
        if not title or not is_web_url(abs_url) or (detail_only and not looks_like_detail(abs_url)):
            continue
        out.append(ListItem(abs_url, title, _json_date(_first_key(r, _DATE_KEYS))))
    return out


def items_from_json(data: object, base_url: str, *, detail_only: bool = False
                    ) -> tuple[list[ListItem], dict]:
    """Items of a JSON list answer and the paging facts it states.

    Finds, at any nesting, the list of dicts that has a title-like key (title/name/docTitle/…)
    and a URL-like key (url/link/href/docUrl/urls); dates come from pubDate/publishDate/date/…
    (epoch milliseconds included). Paging facts ``{"page","pages","total","size"}`` are read from
    the dict that holds the list and from its parents (``{"data": {"total": 37, "list": […]}}``).
    ``detail_only`` keeps only article-like URLs (for JSON found inside HTML, where channel trees
    with names and URLs sit next to the article list).
    """
    best = None

    def walk(node, chain):
        nonlocal best
        if isinstance(node, dict):
            for v in node.values():
                if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
                    score = _list_score(v)
                    if best is None or score > best[0]:
                        best = (score, v, chain + [node])
                if isinstance(v, (dict, list)) and len(chain) < 10:
                    walk(v, chain + [node])
        elif isinstance(node, list):
            if node and all(isinstance(x, dict) for x in node) and not chain:
                score = _list_score(node)
                if best is None or score > best[0]:
                    best = (score, node, [])
            for v in node:
                if isinstance(v, (dict, list)) and len(chain) < 10:
                    walk(v, chain)

    walk(data, [])
    if best is None or not best[0][0]:
        return [], _paging_facts([data] if isinstance(data, dict) else [])
    _, rows, chain = best
    items = _rows_to_items(rows, base_url, detail_only)
    return _dedup(items), _paging_facts(list(reversed(chain)))


_JS_ARRAY_START = re.compile(r"\[\s*\{")


def embedded_json_items(html: str, url: str) -> list[ListItem]:
    """Shape (c): article lists written as JSON literals in inline scripts. Every ``[{`` that
    starts a valid JSON value is decoded (``json.raw_decode`` stops at its end) and searched
    with :func:`items_from_json`, keeping article-like URLs only."""
    try:
        scripts = Selector(text=html).xpath("//script[not(@src)]/text()").getall()
    except Exception:
        return []
    out: list[ListItem] = []
    decoder = json.JSONDecoder()
    for script in scripts:
        pos = 0
        while (m := _JS_ARRAY_START.search(script, pos)) is not None:
            try:
                value, end = decoder.raw_decode(script, m.start())
            except ValueError:
                pos = m.end()
                continue
            out.extend(items_from_json({"list": value}, url, detail_only=True)[0])
            pos = end
    return out


# --- public entry point ---------------------------------------------------------------------

def _root(html: str):
    if not html or not html.strip():
        return None
    try:
        return Selector(text=html).root
    except Exception:   # parsel/lxml refuse some garbage; an unparseable page has no items
        return None


def _dedup(items: list[ListItem]) -> list[ListItem]:
    seen, out = set(), []
    for it in items:
        if it.url not in seen:
            seen.add(it.url)
            out.append(it)
    return out


def extract_items(html: str, url: str) -> list[ListItem]:
    """Every document item of a list page, in page order, deduplicated by URL.

    Markup rows first (they are what a visitor sees), then Hanweb datastore records (the first
    group of a JCMS column), then article lists embedded as JSON in scripts.
    """
    if not html or not html.strip():
        return []
    items: list[ListItem] = []
    root = _root(html)
    if root is not None:
        items.extend(it for _, it in _markup_items(root, url))
    if "<record" in html.lower():
        items.extend(record_items(html, url))
    if "[{" in html or "[ {" in html:
        items.extend(embedded_json_items(html, url))
    return _dedup(items)


def all_items(html: str, url: str) -> list[ListItem]:
    """Every item of *every* container of document rows on a page (a homepage shows several
    blocks: 要闻, 通知公告, 政策文件 …), in page order, deduplicated by URL; plus datastore
    records and embedded JSON lists. ``extract_items`` keeps only the page's main list. As
    there, an undated block counts only when it clearly repeats (≥3 document links): a lone
    banner link to an article is no list."""
    if not html or not html.strip():
        return []
    root = _root(html)
    items: list[ListItem] = []
    if root is not None:
        rows = [row for _, group, dated in _all_groups(root, url) if dated or len(group) >= 3
                for row in group]
        items.extend(it for _, it in sorted(rows, key=lambda t: t[0]))
    if "<record" in html.lower():
        items.extend(record_items(html, url))
    if "[{" in html or "[ {" in html:
        items.extend(embedded_json_items(html, url))
    return _dedup(items)
