"""Hanweb jpaas-publish-server (the JCMS successor on many ministry and provincial portals).

Shape (issue 9; public crawlers of samr.gov.cn, mohurd.gov.cn, miit.gov.cn, yw.gov.cn agree):
the column page holds an element (often a ``<script>``) with
``url="/api-gateway/jpaas-publish-server/front/page/build/unit"`` and a
``queryData="{'parseType':'bulidstatic','webId':…,'tplSetId':…,'pageType':'column',
'tagId':…,'pageId':…}"`` attribute. The list comes from
``GET …/front/page/build/unit?parseType=…&webId=…&tplSetId=…&pageType=column&tagId=…&pageId=…
&paramJson={"pageNo":N,"pageSize":M}`` as ``{"data": {"html": "<li>…</li>"}}``.

* ``parseType`` is copied as the page spells it: both ``bulidstatic`` (sic) and ``buildstatic``
  exist, and the server only knows its own spelling.
* Paging lives only inside ``paramJson``: a bare ``pageNo`` parameter is ignored and page 1
  comes back forever, so the next page is asked for until a page is empty or brings nothing new.
"""

from __future__ import annotations

import html as html_lib
import json
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

from crawler.listing import ListItem, extract_items
from crawler.paging import MAX_PAGES, PageRequest, Paging

from .base import DialectPage, as_int, js_pairs, load_json

NAME = "jpaas"
KIND = "jpaas"
API_PATH = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE_SIZE = 15
_ORDER = ("parseType", "webId", "tplSetId", "pageType", "tagId", "editType", "pageId")


def matches(html: str, url: str) -> bool:
    return "jpaas-publish-server" in html and "querydata" in html.lower()


def _units(html: str) -> list[tuple[str, dict[str, str]]]:
    try:
        nodes = Selector(text=html).xpath("//*[@querydata or @queryData]")
    except Exception:
        return []
    out = []
    for node in nodes:
        attrs = {k.lower(): v for k, v in node.attrib.items()}
        api = attrs.get("url") or API_PATH
        if "jpaas-publish-server" not in api:
            continue
        params = js_pairs(html_lib.unescape(attrs.get("querydata", "")))
        if params.get("pageId") or params.get("webId"):
            out.append((api, params))
    return out


def unit_request(page_url: str, api: str, params: dict[str, str], page: int = 1,
                 size: int | None = None) -> PageRequest:
    size = size or as_int(params.get("pageSize")) or PAGE_SIZE
    keys = [k for k in _ORDER if k in params] + [k for k in params if k not in _ORDER and k != "pageSize"]
    query = [(k, params[k]) for k in keys]
    query.append(("paramJson", json.dumps({"pageNo": page, "pageSize": size}, separators=(",", ":"))))
    return PageRequest(f"{urljoin(page_url, api)}?{urlencode(query)}", "GET", (), KIND)


def read(html: str, url: str) -> DialectPage | None:
    units = _units(html)
    if not units:
        return None
    api, params = units[0]
    first = unit_request(url, api, params)
    note = (f"列表由脚本绘制（jpaas）：取自 GET {urlsplit(first.url).path}，参数来自页面的 queryData"
            f"（parseType={params.get('parseType')}），页码只在 paramJson 里")
    return DialectPage(NAME, items=extract_items(html, url), paging=Paging([first]), script_note=note)


def _param_json(url: str) -> tuple[list[tuple[str, str]], dict]:
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    raw = dict(query).get("paramJson") or "{}"
    try:
        value = json.loads(raw)
    except ValueError:
        value = {}
    return query, value if isinstance(value, dict) else {}


def read_answer(text: str, request: PageRequest, status: int = 200,
                known: set[str] | None = None) -> tuple[list[ListItem], Paging]:
    """``{"data": {"html": …}}`` → the items of the fragment and the next page's request,
    unless this page was empty, short, or brought nothing new (``known`` = urls seen so far)."""
    data = load_json(text)
    inner = data.get("data") if isinstance(data, dict) else None
    fragment = inner.get("html") if isinstance(inner, dict) else None
    if not isinstance(fragment, str):
        return [], Paging()
    items = extract_items(f"<html><body>{fragment}</body></html>", request.url)
    query, param = _param_json(request.url)
    page, size = as_int(param.get("pageNo")) or 1, as_int(param.get("pageSize")) or PAGE_SIZE
    total = as_int(inner.get("total"))
    new = [i for i in items if i.url not in (known or set())]
    if not new or len(items) < size or page >= MAX_PAGES or (total is not None and page * size >= total):
        return items, Paging([], page if not new or len(items) < size else None, total)
    param = {**param, "pageNo": page + 1}
    query = [(k, json.dumps(param, separators=(",", ":")) if k == "paramJson" else v) for k, v in query]
    nxt = PageRequest(f"{request.url.split('?')[0]}?{urlencode(query)}", "GET", (), KIND)
    return items, Paging([nxt], None, total)


def problem(text: str, status: int = 200) -> str | None:
    data = load_json(text)
    inner = data.get("data") if isinstance(data, dict) else None
    if isinstance(inner, dict) and isinstance(inner.get("html"), str):
        return None
    message = data.get("message") or data.get("msg") if isinstance(data, dict) else None
    return f"jpaas 列表接口返回错误{('：' + str(message)) if message else ''}"
