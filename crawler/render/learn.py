"""What the browser saw → where the list is and how its other pages are asked for (pure).

:func:`find_list` reads every answer a rendered page fetched with the existing readers
(JSON lists: :func:`crawler.listing.items_from_json`; Hanweb XML: :func:`crawler.paging.parse_dataproxy`;
HTML fragments: :func:`crawler.listing.extract_items`) and keeps the one that held the list. The
request that fetched it becomes a :class:`Shape`: the same method, URL and body with the page
field located (query, form or JSON body, a JSON string inside a query value included), so page
``n`` is ``shape.request(n)`` for the ordinary downloader. :meth:`Shape.bind` remembers where the
column's own values (``col=tzgg``, ``channelId: 1728``) stand in the column page, and
:meth:`Shape.for_column` finds the same spots on another column's page of the portal, so the
browser is needed once per portal, not once per column.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, replace
from typing import Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler import listing, paging
from crawler.listing import ListItem
from crawler.render.engine import Exchange, RenderResult

_PAGE_KEYS = {p.lower() for p in paging.PAGE_PARAMS} | {"currpage", "pageindex", "page_no", "pagenumber"}
_SIZE_KEYS = {"size", "pagesize", "perpage", "prepage", "limit", "rows", "page_size", "pernum"}


def _is_page_key(key: str) -> bool:
    return key.lower() in _PAGE_KEYS


def _kind_of(ex: Exchange) -> str | None:
    body = (ex.body or "").lstrip("\ufeff \r\n\t")
    ctype = ex.content_type
    if "json" in ctype or body[:1] in "{[" or re.match(r"^[\w$.]+\s*\(\s*[{\[]", body):
        return "json"
    if "<datastore" in body[:2000].lower() or "<record" in body[:4000].lower():
        return "xml"
    if "html" in ctype or body.startswith("<"):
        return "html"
    return None


def _zero_total(data) -> bool:
    """A JSON answer that states a total of 0 (an empty list, said by the server)."""
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for k, v in node.items():
                if k in listing._PAGE_FACTS["total"] and str(v).strip() == "0":
                    return True
                if isinstance(v, (dict, list)):
                    stack.append(v)
        elif isinstance(node, list):
            stack.extend(x for x in node if isinstance(x, (dict, list)))
    return False


def read_answer(kind: str, text: str, url: str) -> tuple[list[ListItem], dict, bool]:
    """One list answer → (items, paging facts, the server said the list is empty)."""
    facts = {"page": None, "pages": None, "total": None, "size": None}
    if kind == "json":
        data = paging._load_json(text)
        if data is None:
            return [], facts, False
        items, facts = listing.items_from_json(data, url)
        return items, facts, not items and _zero_total(data)
    if kind == "xml":
        items, total = paging.parse_dataproxy(text, url)
        facts["total"] = total
        return items, facts, total == 0
    items = listing.extract_items(text, url)
    p = paging.find_paging(text, url)
    facts.update(pages=p.page_count, total=p.total_records)
    return items, facts, False


# --- the request shape --------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    """A list request as the page made it, with its page field located."""
    method: str
    url: str
    body: str | None = None
    body_type: str | None = None        # "json" | "form" | None
    kind: str = "json"                  # how to read the answer: json | xml | html
    page_at: tuple = ()                 # ("query"|"form"|"json", key[, inner key…]) or ()
    page_value: int | None = None       # the page the captured request asked for
    anchors: tuple = field(default=(), compare=False)   # where the column's values stand on its page

    # reading and writing fields ----------------------------------------------------------
    def _containers(self):
        query = parse_qsl(urlsplit(self.url).query, keep_blank_values=True)
        form = parse_qsl(self.body or "", keep_blank_values=True) if self.body_type == "form" else []
        try:
            body = json.loads(self.body) if self.body_type == "json" else None
        except ValueError:
            body = None
        return query, form, body

    def fields(self) -> list[tuple[tuple, object]]:
        """Every (path, value) of the request: query and form fields, JSON body members, and the
        members of a JSON object passed as a query value (jpaas ``paramJson``)."""
        query, form, body = self._containers()
        out: list[tuple[tuple, object]] = []
        for k, v in query:
            inner = _json_dict(v)
            if inner is not None:
                out.extend((("query", k, ik), iv) for ik, iv in inner.items() if not isinstance(iv, (dict, list)))
            else:
                out.append((("query", k), v))
        out.extend((("form", k), v) for k, v in form)
        if isinstance(body, dict):
            def walk(d, path):
                for k, v in d.items():
                    if isinstance(v, dict) and len(path) < 3:
                        walk(v, path + (k,))
                    elif not isinstance(v, list):
                        out.append((path + (k,), v))
            walk(body, ("json",))
        return out

    def with_values(self, values: dict[tuple, object]) -> "Shape":
        """The same request with the fields at the given paths set (types kept)."""
        query, form, body = self._containers()

        def typed(old, new):
            if isinstance(old, bool):
                return old
            if isinstance(old, int):
                try:
                    return int(new)
                except (TypeError, ValueError):
                    return new
            return str(new)

        new_query = []
        for k, v in query:
            inner = _json_dict(v)
            if inner is not None and any(p[:2] == ("query", k) and len(p) == 3 for p in values):
                for p, nv in values.items():
                    if p[:2] == ("query", k) and len(p) == 3 and p[2] in inner:
                        inner[p[2]] = typed(inner[p[2]], nv)
                v = json.dumps(inner, ensure_ascii=False, separators=(",", ":"))
            elif ("query", k) in values:
                v = str(values[("query", k)])
            new_query.append((k, v))
        new_form = [(k, str(values[("form", k)]) if ("form", k) in values else v) for k, v in form]
        if isinstance(body, dict):
            for p, nv in values.items():
                if p[0] != "json":
                    continue
                d = body
                for k in p[1:-1]:
                    d = d.get(k, {}) if isinstance(d, dict) else {}
                if isinstance(d, dict) and p[-1] in d:
                    d[p[-1]] = typed(d[p[-1]], nv)
        parts = urlsplit(self.url)
        url = urlunsplit(parts._replace(query=urlencode(new_query))) if query else self.url
        if self.body_type == "json":
            new_body = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
        elif self.body_type == "form":
            new_body = urlencode(new_form)
        else:
            new_body = self.body
        return replace(self, url=url, body=new_body)

    def request(self, page: int) -> tuple[str, str, str | None, dict]:
        """(method, url, body, headers) asking for page ``page``."""
        shape = self.with_values({self.page_at: page}) if self.page_at else self
        headers = {}
        if self.body_type == "json":
            headers["Content-Type"] = "application/json;charset=UTF-8"
        elif self.body_type == "form":
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8"
        if self.kind == "json":
            headers["Accept"] = "application/json, text/javascript, */*; q=0.01"
        headers["X-Requested-With"] = "XMLHttpRequest"
        return self.method, shape.url, shape.body, headers

    def describe(self) -> str:
        where = ".".join(str(p) for p in self.page_at) if self.page_at else "无翻页字段"
        body = f" body={self.body}" if self.body else ""
        return f"{self.method} {self.url}{body} （页码字段 {where}，本页 {self.page_value}）"

    # one column → another ---------------------------------------------------------------
    def bind(self, html: str, url: str) -> "Shape":
        """Remember where this column's own field values stand on its page (or in its URL)."""
        anchors = []
        segments = urlsplit(url).path.split("/")
        for path, value in self.fields():
            if path == self.page_at or path[-1].lower() in _SIZE_KEYS or value in (None, ""):
                continue
            text = str(value)
            if isinstance(value, bool) or len(text) > 80:
                continue
            anchor = _html_anchor(html, text)
            if anchor is not None:
                anchors.append((path, "html") + anchor)
            elif text in segments:
                anchors.append((path, "path", segments.index(text), ""))
        return replace(self, anchors=tuple(anchors))

    def for_column(self, html: str, url: str) -> "Shape | None":
        """The same request for another column, its values read at the remembered spots; None
        when the request names nothing column-specific or a spot is missing."""
        if not self.anchors:
            return None
        values = {}
        segments = urlsplit(url).path.split("/")
        for path, where, a, b in self.anchors:
            if where == "html":
                m = re.search(re.escape(a) + r"([^\"'&<>\s]{1,80}?)" + re.escape(b), html)
                if not m:
                    return None
                values[path] = m.group(1)
            else:
                if a >= len(segments) or not segments[a]:
                    return None
                values[path] = segments[a]
        own = {path: str(value) for path, value in self.fields()}
        if all(own.get(path) == str(v) for path, v in values.items()):
            return None                  # the spots hold the learned column's own values: not this column's
        return self.with_values(values).bind(html, url)

    def next_pages(self, facts: dict, n_items: int) -> list[int]:
        """The page numbers still to fetch after the captured one: all of them when the answer
        states its pages (or total and size), else the next one while pages come back full."""
        if not self.page_at:
            return []
        current = self.page_value if self.page_value is not None else (facts.get("page") or 1)
        zero = self.page_value == 0
        pages = facts.get("pages")
        if pages is None and facts.get("total") is not None and facts.get("size"):
            pages = math.ceil(facts["total"] / facts["size"])
        if pages is not None:
            last = min(pages - 1 if zero else pages, current + paging.MAX_PAGES)
            return list(range(current + 1, last + 1))
        size = facts.get("size")
        if n_items and (size is None or n_items >= size):
            return [current + 1]
        return []


def _json_dict(value: str) -> dict | None:
    v = (value or "").strip()
    if not v.startswith("{"):
        return None
    try:
        d = json.loads(v)
    except ValueError:
        return None
    return d if isinstance(d, dict) else None


_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)
_TAG = re.compile(r"<(?!a\b)[a-z][\w-]*\b[^<>]*>", re.I)


def _html_anchor(html: str, value: str) -> tuple[str, str] | None:
    """(text before, character after) of a spot on ``html`` that holds ``value`` and that only
    this column's own value fills: inside an inline script (``var c = '``) or in the attributes
    of a tag other than a link (``<div id="gkList" data-chnl="``). Navigation links (every
    column's ``<a href="/xxgk/KEY/">``) are never anchors: they name all columns on every page."""
    spans = [m.span(1) for m in _SCRIPT.finditer(html)] + [m.span() for m in _TAG.finditer(html)]
    for m in re.finditer(re.escape(value), html):
        i, j = m.start(), m.end()
        if not any(a <= i and j <= b for a, b in spans):
            continue
        after = html[j:j + 1]
        if not after or re.match(r"[\w.\-]", after) or (i and re.match(r"[\w.\-]", html[i - 1])):
            continue                     # part of a longer token
        for width in (12, 24, 40):
            before = html[max(0, i - width):i]
            found = re.findall(re.escape(before) + r"([^\"'&<>\s]{1,80}?)" + re.escape(after), html)
            if found == [value]:
                return before, after
    return None


def shape_of(ex: Exchange, kind: str) -> Shape:
    """The request of one exchange, its page field located."""
    rtype = (ex.request_type or "").lower()
    body = ex.request_body
    body_type = None
    if body:
        body_type = "json" if "json" in rtype or body.lstrip()[:1] in "{[" else "form"
    shape = Shape(method=ex.method.upper(), url=ex.url, body=body, body_type=body_type, kind=kind)
    for path, value in shape.fields():
        if _is_page_key(str(path[-1])):
            try:
                return replace(shape, page_at=path, page_value=int(str(value)))
            except ValueError:
                continue
    return shape


# --- the list among the answers -------------------------------------------------------------

@dataclass
class Learned:
    """Where a rendered page's list came from."""
    items: list[ListItem]
    facts: dict
    exchange: Exchange | None = None      # the answer that held the list (None: the rendered DOM)
    shape: Shape | None = None
    declared_empty: bool = False
    dom_paging: paging.Paging | None = None
    tried: list[tuple[Exchange, int]] = field(default_factory=list)   # every answer read, items found

    def how(self) -> str:
        if self.exchange is None:
            return "列表在浏览器渲染后的页面里" + ("（翻页链接由脚本写出）" if self.dom_paging and self.dom_paging.next_pages else "")
        if self.shape and self.shape.page_at:
            return "改写所截获请求的页码字段 " + ".".join(map(str, self.shape.page_at))
        return "所截获请求没有页码字段：只有这一页"


def find_list(result: RenderResult, in_portal: Callable[[str], bool] | None = None) -> Learned | None:
    """The answer among the rendered page's exchanges that holds its list (most items wins;
    an answer stating a total of 0 is an empty list), else the list in the rendered DOM."""
    keep = in_portal or (lambda u: True)
    best: Learned | None = None
    empty: Learned | None = None
    tried = []
    for ex in result.exchanges:
        if not ex.body or (ex.status or 0) >= 400:
            continue
        kind = _kind_of(ex)
        if kind is None:
            continue
        items, facts, declared_empty = read_answer(kind, ex.body, ex.url)
        items = [i for i in items if keep(i.url)]
        tried.append((ex, len(items)))
        if items and (best is None or len(items) > len(best.items)):
            best = Learned(items, facts, ex, shape_of(ex, kind))
        elif declared_empty and empty is None:
            empty = Learned([], facts, ex, shape_of(ex, kind), declared_empty=True)
    chosen = best or empty
    if chosen is None and result.html:
        items = [i for i in listing.extract_items(result.html, result.url) if keep(i.url)]
        if items:
            chosen = Learned(items, {}, dom_paging=paging.find_paging(result.html, result.url))
    if chosen is not None:
        chosen.tried = tried
    return chosen
