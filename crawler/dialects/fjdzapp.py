"""The Fujian provincial intensive site platform (福建省政府网站集约化平台): TRS with avalon.js.

Shape (real captures in ../shared/realpages/more; MANIFEST there; public crawlers of
fujian.gov.cn, scjgj/gxt/sthjt.fujian.gov.cn, pingtan.gov.cn agree on the request form):

* Every page carries ``var SiteInfo = {… searchId: 200210, …}``: the site's document-search
  channel, the ``channelid`` of every list request.
* Column lists come from ``POST /fjdzapp/search`` (form-encoded: ``channelid``, ``classsql``
  "chnlid=1728", ``sortfield``, ``classcol``, ``classsort``, ``cache``, ``page`` from 1,
  ``prepage``) → ``{"error", "page", "prepage", "pageCount", "recordCount", "data": [{"doctitle",
  "chnldocurl"/"url", "idxid", "fileno", "puborg", "pubdate" (成文), "docreltime" (发布) …}]}``.
* A JS-only column page calls ``listModel({quickMode: "动态", listArgs: {channelid:
  SiteInfo.searchId, classsql: classsql, sortfield: "-pubdate"}, pagebar: {prepage: 10}})`` where
  ``classsql`` is chosen by literal if/else on the column name; nothing is in the markup.
* A half-static column page (``pageChnlInfo = {quickMode: "动静结合", maxStaticIndex: 5,
  classsql: "" || "chnlid=1780", recordCount: '107', prepage: 15}``) pre-renders the first
  ``maxStaticIndex`` pages (75 items); the rest exist only through the API (pages 6…8).
* Detail pages: ``div.index_box`` rows with ``&ensp;``-spaced labels and values in ``<font>``
  (read by the generic metadata extractor); ``var gklist = {url: {orgname, chnllist: [{chnlid,
  url, chnlname}]}}`` on department pages is the 法定主动公开内容 column tree.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urljoin

from parsel import Selector

from crawler.listing import ListItem, extract_items
from crawler.paging import MAX_PAGES, PageRequest, Paging
from crawler.text import clean, parse_date, to_simplified

from .base import DialectColumn, DialectPage, as_int, form_value, js_pairs, load_json, with_form

NAME = "fjdzapp"
KIND = "fjdzapp"
SEARCH_PATH = "/fjdzapp/search"
_SEARCH_ID = re.compile(r"searchId\s*:\s*['\"]?(\d+)")
_STR = r"""(?:"[^"]*"|'[^']*')"""
_EXPR = re.compile(r"""(%s(?:\s*\|\|\s*%s)*)""" % (_STR, _STR))
_GKLIST_ORG = re.compile(r"""["'](https?://[^"']+)["']\s*:\s*\{\s*orgname\s*:\s*["']([^"']*)["']""")
_GKLIST_CHNL = re.compile(r"""\{\s*chnlid\s*:\s*['"]?(\d+)['"]?\s*,\s*url\s*:\s*["']([^"']+)["']\s*,\s*chnlname\s*:\s*["']([^"']*)["']""")


def matches(html: str, url: str) -> bool:
    return "SiteInfo" in html and ("list2.trsapi" in html or "fjdzapp" in html or "index_box" in html
                                   or "pageChnlInfo" in html)


def _strings(expr: str) -> str:
    """``"" || "chnlid=1728"`` → the first non-empty literal (as JS evaluates ``||``)."""
    for lit in re.findall(_STR, expr):
        if lit[1:-1]:
            return lit[1:-1]
    return ""


def _scripts(html: str) -> str:
    try:
        return "\n".join(Selector(text=html).xpath("//script[not(@src)]/text()").getall())
    except Exception:
        return ""


def _resolve(js: str, name: str) -> str | None:
    """The value of JS variable ``name``: its ``var`` literal, overridden by the branch an
    ``if ('A' == 'B') {…} else if … else {…}`` chain of literal comparisons takes."""
    value = None
    decl = re.search(r"var\s+%s\s*=\s*%s" % (re.escape(name), _EXPR.pattern), js)
    if decl:
        value = _strings(decl.group(1))
    branch = re.compile(r"(else\s+)?if\s*\(\s*(%s)\s*==\s*(%s)\s*\)\s*\{([^{}]*)\}|else\s*\{([^{}]*)\}" % (_STR, _STR))
    taken = False
    assign = re.compile(r"(?<![\w.])%s\s*=\s*%s" % (re.escape(name), _EXPR.pattern))
    for m in branch.finditer(js):
        is_else_if, a, b, body, else_body = m.groups()
        if a is not None and not is_else_if:
            taken = False                               # a new chain starts
        if taken:
            continue
        if a is not None and a[1:-1] == b[1:-1]:
            taken, chosen = True, body
        elif a is None:
            taken, chosen = True, else_body
        else:
            continue
        found = assign.search(chosen)
        if found:
            value = _strings(found.group(1))
    return value


def _object_after(js: str, marker: str) -> str:
    """The text of the ``{…}`` block that follows ``marker`` (balanced braces)."""
    i = js.find(marker)
    if i < 0:
        return ""
    start = js.find("{", i)
    depth = 0
    for j in range(start, len(js)):
        depth += {"{": 1, "}": -1}.get(js[j], 0)
        if depth == 0:
            return js[start:j + 1]
    return js[start:]


def _list_config(js: str) -> dict | None:
    """channelid, classsql, sortfield, prepage, recordCount, maxStaticIndex of the page's list."""
    search_id = _SEARCH_ID.search(js)
    info = _object_after(js, "pageChnlInfo") if re.search(r"pageChnlInfo\s*=", js) else ""
    call = _object_after(js, "listModel(")
    if not search_id or not (info or "listArgs" in call):
        return None
    conf = js_pairs(info)
    cls = re.search(r"classsql\s*:\s*%s" % _EXPR.pattern, info)
    args = _object_after(call, "listArgs")
    classsql = _strings(cls.group(1)) if cls else None
    if classsql is None:
        literal = re.search(r"classsql\s*:\s*%s" % _EXPR.pattern, args)
        variable = re.search(r"classsql\s*:\s*([A-Za-z_$][\w$]*)\s*[,}]", args)
        classsql = (_strings(literal.group(1)) if literal else
                    _resolve(js, variable.group(1)) if variable else None)
    if not classsql:
        return None
    sort = conf.get("sortfield") or js_pairs(args).get("sortfield") or "-docorderpri,-docreltime"
    prepage = as_int(conf.get("prepage")) or as_int(js_pairs(_object_after(call, "pagebar")).get("prepage")) or 15
    return {"channelid": search_id.group(1), "classsql": classsql, "sortfield": sort, "prepage": prepage,
            "recordCount": as_int(conf.get("recordCount")), "maxStaticIndex": as_int(conf.get("maxStaticIndex")),
            "mode": conf.get("quickMode") or js_pairs(call).get("quickMode")}


def search_request(page_url: str, conf: dict, page: int) -> PageRequest:
    form = (("channelid", conf["channelid"]), ("sortfield", conf["sortfield"]), ("classsql", conf["classsql"]),
            ("classcol", "publishyear"), ("classsort", "0"), ("cache", "true"),
            ("page", str(page)), ("prepage", str(conf["prepage"])))
    return PageRequest(urljoin(page_url, SEARCH_PATH), "POST", form, KIND)


def column_tree(html: str, url: str) -> list[DialectColumn]:
    """``var gklist``: every platform's 法定主动公开内容 channels (name prefixed by the org)."""
    block = _object_after(html, "var gklist")
    if not block:
        return []
    orgs = [(m.start(), m.group(2)) for m in _GKLIST_ORG.finditer(block)]
    out = []
    for m in _GKLIST_CHNL.finditer(block):
        org = next((name for pos, name in reversed(orgs) if pos < m.start()), "")
        out.append(DialectColumn(clean(f"{org} {m.group(3)}") or m.group(3), urljoin(url, m.group(2))))
    return out


def read(html: str, url: str) -> DialectPage | None:
    js = _scripts(html)
    try:
        is_detail = bool(Selector(text=html).xpath("//div[contains(@class,'index_box')]"))
    except Exception:
        is_detail = False
    if is_detail:
        return DialectPage(NAME, kind="detail", columns=column_tree(js, url))
    conf = _list_config(js)
    if conf is None:
        return None
    items = extract_items(html, url) if "showStatic" in html else []
    per = conf["prepage"]
    static_pages = math.ceil(len(items) / per) if items else 0
    records = conf["recordCount"]
    if records is not None:
        count = min(math.ceil(records / per), MAX_PAGES)
        requests = [search_request(url, conf, n) for n in range(static_pages + 1, count + 1)]
    else:
        count, requests = None, ([search_request(url, conf, static_pages + 1)])
    where = (f"POST {SEARCH_PATH}（channelid={conf['channelid']}，classsql={conf['classsql']}，"
             f"sortfield={conf['sortfield']}，page=页码，prepage={per}）")
    if items:
        note = f"前{static_pages}页为静态列表（{len(items)}条），其余页由脚本取自 {where}" if requests else None
    else:
        note = f"列表由脚本绘制（福建省集约化平台 avalon listModel），取自 {where}"
    return DialectPage(NAME, items=items, paging=Paging(requests, count, records), script_note=note)


def record_item(record: dict, base_url: str) -> ListItem | None:
    url = record.get("chnldocurl") or record.get("url") or record.get("docpuburl")
    title = clean(to_simplified(str(record.get("doctitle") or record.get("title") or "")))
    if not url or not title:
        return None
    date = parse_date(str(record.get("docreltime") or "")) or parse_date(str(record.get("pubdate") or ""))
    return ListItem(urljoin(base_url, str(url)), title, date)


def read_answer(text: str, request: PageRequest, status: int = 200) -> tuple[list[ListItem], Paging]:
    """One /fjdzapp/search answer → its documents; the first page also asks for pages 2…pageCount."""
    data = load_json(text)
    if not isinstance(data, dict):
        return [], Paging()
    rows = data.get("data") if isinstance(data.get("data"), list) else data.get("docs") or []
    items = [i for i in (record_item(r, request.url) for r in rows if isinstance(r, dict)) if i]
    count = as_int(data.get("pageCount"))
    total = as_int(data.get("recordCount"))
    page = as_int(form_value(request, "page")) or 1
    more = []
    if page == 1 and count:
        more = [with_form(request, page=str(n)) for n in range(2, min(count, MAX_PAGES) + 1)]
    return items, Paging(more, count, total)


def problem(text: str, status: int = 200) -> str | None:
    data = load_json(text)
    if not isinstance(data, dict):
        return "/fjdzapp/search 未返回 JSON"
    if data.get("error") is True or not isinstance(data.get("data", data.get("docs")), list):
        return f"/fjdzapp/search 返回错误{('：' + str(data['msg'])) if data.get('msg') else ''}"
    return None
