"""Further pages of a list: TRS createPageHTML, Hanweb dataproxy, JSON list APIs, 下一页 links.

Pure: ``find_paging(html, url)`` reads one page and says which requests fetch the rest of the
list. One small reader per CMS family, tried in turn; the first that recognises its family wins.
When a page says how many pages the list has, every further page is returned at once so the
spider can fetch them concurrently; otherwise only the next one (the spider follows the chain).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from parsel import Selector

from crawler.listing import (ListItem, is_web_url, items_from_json, record_items)
from crawler.text import squeeze, to_simplified

#: Upper bound on the pages of one list. Real 信息公开 columns have at most a few hundred pages
#: (Handan's whole-site "近期信息公开" feed: 56 pages of 6,348 records); larger numbers come from
#: calendars, search pages or template bugs (``countPage = 99999``) and would turn a monthly
#: audit into an endless, impolite crawl. 500 pages (≈10,000 items at 20 a page) is far more than
#: the audits need: update frequency looks at the newest items, 年报 at a handful per year.
MAX_PAGES = 500


@dataclass(frozen=True)
class PageRequest:
    url: str
    method: str = "GET"                          # "POST" for Hanweb dataproxy
    formdata: tuple[tuple[str, str], ...] = ()     # POST form fields
    kind: str = "html"                           # "html" | "dataproxy" (XML answer) | "json"


@dataclass
class Paging:
    next_pages: list[PageRequest] = field(default_factory=list)  # all further pages when known, else the next
    page_count: int | None = None        # pages of the list, when known
    total_records: int | None = None     # countnum / totalrecord / total, when the page gives it


def _cap(n: int | None) -> int | None:
    return None if n is None else min(n, MAX_PAGES)


def _scripts(html: str) -> str:
    """All inline script text of the page (where TRS, Hanweb and AJAX paging live)."""
    try:
        return "\n".join(Selector(text=html).xpath("//script[not(@src)]/text()").getall())
    except Exception:
        return ""


def _int_var(js: str, *names: str) -> int | None:
    """``var countPage = 56`` / ``countPage=2//共多少页`` / ``totalRecord: 120`` → the number."""
    for name in names:
        m = re.search(r"(?<![\w.])%s\s*[=:]\s*['\"]?(\d+)" % re.escape(name), js)
        if m:
            return int(m.group(1))
    return None


def _visible_text(html: str) -> str:
    """The page text a visitor sees (scripts, styles and comments left out), 简体."""
    try:
        nodes = Selector(text=html).xpath(
            "//text()[not(ancestor::script or ancestor::style or ancestor::noscript)]").getall()
    except Exception:
        return ""
    return to_simplified(" ".join(nodes))


def _total_in_text(html: str) -> int | None:
    """"共6348条记录" / "共有 120 条信息" / "共37条 … 页" / "总记录数：37" in the pager text.
    A bare "共19条" without pager words is a document's own text ("《办法》共19条")."""
    text = _visible_text(html)
    for m in re.finditer(r"共\s*(?:有|计)?\s*(\d+)\s*条(\s*(?:记录|信息|数据|内容|结果))?", text):
        if m.group(2) or "页" in text[m.end():m.end() + 40] or "页" in text[max(0, m.start() - 20):m.start()]:
            return int(m.group(1))
    m = re.search(r"总(?:记录|条)数?\s*[:：]?\s*(\d+)", text)
    return int(m.group(1)) if m else None


def _pages_in_text(html: str) -> int | None:
    """"共计 2 页" / "共56页" printed by a pager."""
    m = re.search(r"共\s*计?\s*(\d+)\s*页", _visible_text(html))
    return int(m.group(1)) if m else None


# --- 1. TRS WCM ----------------------------------------------------------------------------

_CREATE_PAGE = re.compile(r"createPageHTML\s*\(([^)]*)\)")
# "index"+"_"+nextPage+"."+"html" once the string concatenations are flattened
_WRITTEN = re.compile(r"""([A-Za-z][\w-]*)_["']\s*\+\s*\(?\s*[\w$]+[^"']{0,12}["']\.(s?html?)""")
_RENDERED = re.compile(r"""href\s*=\s*["'](?:[^"']*/)?((?:index|list|default|page|more)[\w-]*)_\d+\.(s?html?)["']""", re.I)


def _js_arg(arg: str, js: str) -> str:
    arg = arg.strip().strip("'\"")
    if arg and not arg.isdigit() and re.fullmatch(r"[A-Za-z_$][\w$]*", arg):
        value = _int_var(js, arg)
        return str(value) if value is not None else arg
    return arg


def trs_paging(html: str, url: str, js: str) -> Paging | None:
    """TRS WCM, two signatures as real sites write them:

    * ``createPageHTML(countPage, currentPage, "index", "html")`` (and the inline variant that
      writes the links itself from ``var countPage = 56; var currentPage = 0``): the current
      index is **0-based**, page 0 is ``index.html``, page N is ``index_N.html``
      (shanxi.gov.cn's own function: ``i == 0 ? _sPageName : (_sPageName + "_" + i)``).
    * ``createPageHTML('page_div', nPageCount, nCurrIndex, 'list', 'shtml', nPageSum)``: the
      current index is **1-based**, page 1 is ``list.shtml``, page k ≥ 2 is ``list_k.shtml`` and
      末页 is ``list_{nPageCount}.shtml`` (csrc.gov.cn ``createPageHTML('page_div', 5, 1, 'fg',
      'shtml', 89)``, kunshan ``createPageHTML('page_div',22,1,'common_list','shtml',325)`` with
      pages ``common_list_${page}.shtml`` for page ≥ 2).

    Every page is in the list's directory."""
    prefix, ext, count, current, total, first = "index", "html", None, None, None, 0
    m = _CREATE_PAGE.search(js)
    if m and m.group(1).strip():
        args = [_js_arg(a, js) for a in m.group(1).split(",")]
        if args and not args[0].isdigit() and len(args) >= 3:       # ('div', pages, cur, …): 1-based
            args = args[1:]
            first = 1
            if len(args) >= 5 and args[4].isdigit():
                total = int(args[4])
        if len(args) >= 2 and args[0].isdigit():
            count = int(args[0])
            current = int(args[1]) if args[1].isdigit() else first
            if len(args) >= 4 and args[2] and args[3]:
                prefix, ext = args[2], args[3].lstrip(".")
        else:
            first = 0
    if count is None:
        count = _int_var(js, "countPage", "pageCount", "countpage")
        if count is None:
            return None
        current = _int_var(js, "currentPage", "curPage") or 0
        flat = re.sub(r"[\"']\s*\+\s*[\"']", "", js)         # "index"+"_" → "index_"
        r = _WRITTEN.search(flat) or _RENDERED.search(html)
        if r:
            prefix, ext = r.group(1), r.group(2)
    if total is None:
        total = _int_var(js, "countnum", "recordCount", "totalRecord", "totalrecord") \
            or _total_in_text(html)
    count = _cap(count)
    if first == 1:
        names = {1: f"{prefix}.{ext}"} | {k: f"{prefix}_{k}.{ext}" for k in range(2, count + 1)}
    else:
        names = {k: f"{prefix}_{k}.{ext}" for k in range(1, count)}
    pages = [PageRequest(urljoin(url, name)) for k, name in names.items() if k != current]
    return Paging(pages, count, total)


# --- 2. Hanweb JCMS jpage / dataproxy ------------------------------------------------------

_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
_TOTALRECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_PROXY_PATH = "/module/web/jpage/dataproxy.jsp"


def _dataproxy_requests(proxy: str, form: tuple, start: int, total: int | None,
                        group: int, per_page: int) -> list[PageRequest]:
    """POST requests for the record groups from ``start`` (1-based) on; all when ``total`` is
    known, else the next group only."""
    out = []
    last = total if total is not None else start + group - 1
    last = min(last, MAX_PAGES * per_page)
    while start <= last:
        end = min(start + group - 1, last) if total is not None else start + group - 1
        query = urlencode({"startrecord": start, "endrecord": end, "perpage": per_page})
        out.append(PageRequest(f"{proxy}?{query}", "POST", form, "dataproxy"))
        start = end + 1
    return out


def hanweb_paging(html: str, url: str, js: str) -> Paging | None:
    """Hanweb JCMS: the column page ships the first group of records (perPage × groupSize, e.g.
    3 × 15 = 45) in ``<script type="text/xml"><datastore>``; the rest come only from POSTs to
    ``/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`` whose form fields
    are the query of the ``<nextgroup>`` link (columnid, unitid, webid, path, webname …)."""
    if "<datastore" not in html.lower():
        return None
    nextgroup = _NEXTGROUP.search(html)
    href = None
    if nextgroup:
        m = re.search(r"""href\s*=\s*["']([^"']+)""", nextgroup.group(1))
        href = m.group(1).replace("&amp;", "&") if m else None
    records = len(record_items(html, url)) or len(re.findall(r"<record", html, re.I))
    m = _TOTALRECORD.search(html)
    total = int(m.group(1)) if m else _int_var(js, "totalRecord", "totalrecord")
    per_page = _int_var(js, "perPage", "perpage") or 15
    group_size = _int_var(js, "groupSize", "groupsize") or 3
    group = per_page * group_size
    proxy_m = re.search(r"""proxyUrl\s*:\s*["']([^"']+)["']""", js)
    base = href or (proxy_m.group(1) if proxy_m else _PROXY_PATH)
    proxy = urljoin(url, urlsplit(proxy_m.group(1) if proxy_m else base).path or _PROXY_PATH)
    form: list[tuple[str, str]] = []
    seen = set()
    for k, v in parse_qsl(urlsplit(href or "").query, keep_blank_values=True):
        if k.lower() in ("page", "startrecord", "endrecord", "perpage") or k in seen:
            continue
        seen.add(k)
        form.append((k, v))
    if total is None:
        if records < group:        # a partial first group is the whole list
            return Paging([], math.ceil(records / per_page) or None, None)
        page_count = None
    else:
        page_count = _cap(math.ceil(total / per_page))
    pages = _dataproxy_requests(proxy, tuple(form), records + 1, total, group, per_page)
    return Paging(pages, page_count, total)


def parse_dataproxy(text: str, url: str) -> tuple[list[ListItem], int | None]:
    """A dataproxy.jsp XML answer → its items and ``<totalrecord>`` (None when absent)."""
    text = text or ""
    m = _TOTALRECORD.search(text)
    return record_items(text, url), (int(m.group(1)) if m else None)


def dataproxy_followup(request: PageRequest, n_items: int, total: int | None) -> list[PageRequest]:
    """After a dataproxy answer: the next group when the total was unknown and this group was
    full (used by the spider to walk a Hanweb list whose page did not state its total)."""
    q = dict(parse_qsl(urlsplit(request.url).query))
    try:
        start, end, per = int(q["startrecord"]), int(q["endrecord"]), int(q.get("perpage", 15))
    except (KeyError, ValueError):
        return []
    group = end - start + 1
    if n_items < group or (total is not None and end >= total):
        return []
    proxy = request.url.split("?", 1)[0]
    return _dataproxy_requests(proxy, request.formdata, end + 1, total, group, per)


# --- 3. JSON list APIs ----------------------------------------------------------------------

PAGE_PARAMS = ("page", "pageNo", "pageIndex", "curPage", "p", "pageNum", "currentPage", "pn")
_OBJ_PAIR = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?|[A-Za-z_$][\w$.]*)""")
_AJAX = re.compile(r"\$\.ajax\s*\(\s*\{(?P<body>.*?)\}\s*\)", re.S)
_GETJSON = re.compile(r"""\$\.(?P<fn>getJSON|get|post)\s*\(\s*["'](?P<url>[^"']+)["']\s*(?:,\s*\{(?P<data>[^{}]*)\})?""")
_FETCH = re.compile(r"""\bfetch\s*\(\s*["'`](?P<url>[^"'`]+)["'`]""")


def _js_object(body: str) -> list[tuple[str, str]]:
    """Literal pairs of a small JS object (``{col: "tzgg", page: 1, size: 15}``); a page number
    given as a variable is taken as 1, other variables are dropped."""
    out = []
    for key, value in _OBJ_PAIR.findall(body):
        if value[:1] in "\"'":
            out.append((key, value[1:-1]))
        elif re.fullmatch(r"-?\d+(?:\.\d+)?", value):
            out.append((key, value))
        elif key in PAGE_PARAMS or key.lower() in {p.lower() for p in PAGE_PARAMS}:
            out.append((key, "1"))
        elif value in ("true", "false"):
            out.append((key, value))
    return out


def _with_params(url: str, params: list[tuple[str, str]]) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    keys = {k for k, _ in params}
    merged = [(k, v) for k, v in query if k not in keys] + params
    return urlunsplit(parts._replace(query=urlencode(merged)))


def _is_list_api(api_url: str, params: list[tuple[str, str]]) -> bool:
    """Only calls that page through a list count; hit counters and login checks do not."""
    names = {k.lower() for k, _ in params} | {k.lower() for k, _ in parse_qsl(urlsplit(api_url).query)}
    path = urlsplit(api_url).path.lower()
    if path.endswith((".js", ".css", ".png", ".jpg", ".gif", ".html", ".htm")):
        return False
    return bool(names & {p.lower() for p in PAGE_PARAMS}) or "list" in path


def json_api_paging(html: str, url: str, js: str) -> Paging | None:
    """A list filled by inline JavaScript from a JSON API: ``$.ajax({url, type, data})``,
    ``$.getJSON(url, data)``, ``fetch(url?query)``. The page itself has no items; the request
    for its first page is returned (kind ``json``), :func:`parse_json_list` pages on from there."""
    found: list[PageRequest] = []
    for m in _AJAX.finditer(js):
        body = m.group("body")
        url_m = re.search(r"""\burl\s*:\s*["']([^"']+)["']""", body)
        if not url_m:
            continue
        data_m = re.search(r"\bdata\s*:\s*\{([^{}]*)\}", body)
        params = _js_object(data_m.group(1)) if data_m else []
        type_m = re.search(r"""\b(?:type|method)\s*:\s*["'](\w+)["']""", body)
        method = (type_m.group(1).upper() if type_m else "GET")
        if not _is_list_api(url_m.group(1), params):
            continue
        api = urljoin(url, url_m.group(1))
        if method == "POST":
            found.append(PageRequest(api, "POST", tuple(params), "json"))
        else:
            found.append(PageRequest(_with_params(api, params), "GET", (), "json"))
    for m in _GETJSON.finditer(js):
        params = _js_object(m.group("data") or "")
        if m.group("fn") == "get" and "json" not in js[m.end():m.end() + 200].lower():
            continue
        if not _is_list_api(m.group("url"), params):
            continue
        api = urljoin(url, m.group("url"))
        if m.group("fn") == "post":
            found.append(PageRequest(api, "POST", tuple(params), "json"))
        else:
            found.append(PageRequest(_with_params(api, params), "GET", (), "json"))
    for m in _FETCH.finditer(js):
        if "${" in m.group("url") or not _is_list_api(m.group("url"), []):
            continue
        found.append(PageRequest(urljoin(url, m.group("url")), "GET", (), "json"))
    found = [r for r in found if is_web_url(r.url)]
    if not found:
        return None
    return Paging(list(dict.fromkeys(found)), None, None)


def _page_param(url: str) -> tuple[str | None, int | None]:
    for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True):
        if k in PAGE_PARAMS or k.lower() in {p.lower() for p in PAGE_PARAMS}:
            try:
                return k, int(v)
            except ValueError:
                return k, None
    return None, None


def _load_json(text: str):
    text = (text or "").strip().lstrip("\ufeff")
    try:
        return json.loads(text)
    except ValueError:
        m = re.match(r"^[\w$.]+\s*\((.*)\)\s*;?\s*$", text, re.S)     # JSONP callback(...)
        if m:
            try:
                return json.loads(m.group(1))
            except ValueError:
                return None
    return None


def parse_json_list(text: str, url: str) -> tuple[list[ListItem], Paging]:
    """A JSON list answer → its items and the other pages (same URL, page parameter replaced).

    The page count comes from ``pages`` or ``ceil(total / size)``; without either, a full page
    means "ask for the next one". Page parameters: page/pageNo/pageIndex/curPage/p/…;
    a ``0`` in the URL means the API counts from 0.
    """
    data = _load_json(text)
    if data is None:
        return [], Paging([], None, None)
    items, facts = items_from_json(data, url)
    name, current = _page_param(url)
    size = facts.get("size") or None
    pages = facts.get("pages")
    total = facts.get("total")
    if pages is None and total is not None and size:
        pages = math.ceil(total / size)
    zero_based = current == 0
    if current is None:
        current = facts.get("page") or 1
    name = name or "page"
    pages = _cap(pages)
    if pages is not None:
        last = pages - 1 if zero_based else pages
        numbers = [n for n in range(current + 1, last + 1)]
    elif items and size and len(items) >= size:
        numbers = [current + 1]
    else:
        numbers = []
    requests = [PageRequest(_with_params(url, [(name, str(n))]), "GET", (), "json") for n in numbers]
    return items, Paging(requests, pages, total)


# --- 4. plain links --------------------------------------------------------------------------

_NEXT = re.compile(r"^(?:下一?页|下页|后一?页|next(?:page)?|>|›|＞|下一页>+|下一页»)$", re.I)
_LAST = re.compile(r"^(?:尾页|末页|最后一?页|last|»|>>|>\|)$", re.I)
_NOT_NEXT = re.compile(r"上一?页|前一?页|首页|第一页|prev|previous", re.I)


def _link_label(a) -> str:
    text = "".join(a.xpath(".//text()").getall()) or a.attrib.get("title", "")
    return re.sub(r"\s+|&nbsp;", "", to_simplified(squeeze(text)))


def _enumerate(next_url: str, last_url: str) -> list[str] | None:
    """Next ``…list_2.htm`` and last ``…list_9.htm`` differ in one number: list 2 … 9."""
    a, b = re.split(r"(\d+)", next_url), re.split(r"(\d+)", last_url)
    if len(a) != len(b):
        return None
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    if len(diff) != 1 or diff[0] % 2 == 0:
        return None
    i = diff[0]
    lo, hi = int(a[i]), int(b[i])
    if hi <= lo:
        return None
    hi = min(hi, lo + MAX_PAGES - 1)
    return ["".join(a[:i] + [str(n)] + a[i + 1:]) for n in range(lo, hi + 1)]


def link_paging(html: str, url: str) -> Paging | None:
    """下一页 / 下页 / > links (简繁), with 尾页/末页 used to enumerate the pages between when
    both follow one numbering pattern. Never the current page, 上一页 or 首页."""
    try:
        sel = Selector(text=html)
    except Exception:
        return None
    here = url.split("#")[0]
    next_url = last_url = None
    for a in sel.xpath("//a[@href]"):
        href = a.attrib.get("href", "").strip()
        target = urljoin(url, href).split("#")[0]
        if not is_web_url(target) or target == here:
            continue
        label = _link_label(a)
        if not label or _NOT_NEXT.search(label):
            continue
        if next_url is None and _NEXT.match(label):
            next_url = target
        elif last_url is None and _LAST.match(label):
            last_url = target
    if next_url is None:
        return None
    pages = [next_url]
    if last_url and last_url != next_url:
        pages = _enumerate(next_url, last_url) or pages
    total = _total_in_text(html)
    count = _pages_in_text(html)
    return Paging([PageRequest(u) for u in pages], _cap(count), total)


# --- entry point -----------------------------------------------------------------------------

def find_paging(html: str, url: str) -> Paging:
    """The further pages of the list ``html`` (at ``url``): tried in turn TRS createPageHTML,
    Hanweb datastore/dataproxy, JSON API, plain 下一页 links. Empty Paging when none."""
    if not html or not html.strip():
        return Paging([], None, None)
    js = _scripts(html)
    for reader in (trs_paging, hanweb_paging, json_api_paging):
        try:
            found = reader(html, url, js)
        except (ValueError, TypeError):
            found = None
        if found is not None:
            return found
    found = link_paging(html, url)
    if found is not None:
        return found
    return Paging([], _cap(_pages_in_text(html)), _total_in_text(html))
