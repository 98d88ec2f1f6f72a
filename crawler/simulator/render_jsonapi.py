"""JSON-API family: a modern front end whose column pages hold an empty ``<ul id="list">`` and an
inline ``$.ajax({url: "/api/list", … data: {col: "<col>", page: 1, size: 15} …})``; the list
comes from ``GET /api/list?col=<col>&page=N&size=15`` as
``{"code": 0, "data": {"total", "page", "pages", "size", "list": [{"title", "url", "pubDate"}]}}``.
Details carry ``<li>label：value</li>`` or ``dl/dt/dd`` metadata.
"""

from __future__ import annotations

import json
from html import escape

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import newest_news_links, attachments_html, body_html, finish, guide_text, header_html, html_page

ENTRY_PATH = "/xxgk/"
GUIDE_PATH = "/xxgk/gkzn.html"
DATE_STYLE = "iso"
WRITTEN_ALWAYS = False
PER_PAGE = 15
JSON_TYPE = "application/json; charset=utf-8"


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    for i, col in enumerate(portal.columns):
        col.path = f"/xxgk/{col.key}/"
        col.template = "dl" if i % 2 else "li"


def doc_path(col: Column, doc: Document) -> str:
    d = doc.list_date
    return f"/xxgk/{col.key}/{d:%Y%m}/t{d:%Y%m%d}_{doc.doc_id}.html"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"/upload/{doc.list_date:%Y%m}/{doc.doc_id}_{n}.pdf"


def _frame(portal: Portal, title: str, main: str) -> str:
    side = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in portal.columns)
    body = (header_html(portal) + f'<div class="gk-wrap"><aside class="gk-side"><ul>'
            f'<li><a href="{GUIDE_PATH}">政府信息公开指南</a></li>{side}</ul></aside>'
            f'<section class="gk-main">{main}</section></div>')
    return html_page(f"{title} - {portal.name}", body,
                     head='<script src="/static/js/jquery.min.js"></script>\n')


def _column_page(portal: Portal, col: Column) -> str:
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    script = ('<script type="text/javascript">\nfunction renderList(res) { var html = "";\n'
              '  $.each(res.data.list, function (i, it) { html += "<li><a href=\\"" + it.url + "\\">" + it.title'
              ' + "</a><span>" + it.pubDate + "</span></li>"; });\n  $("#list").html(html); }\n'
              f'$.ajax({{url: "/api/list", type: "GET", data: {{col: "{col.key}", page: 1, size: {PER_PAGE}}}, '
              'dataType: "json", success: renderList});\n</script>')
    main = (f'<h2 class="col-title">{escape(col.name)}</h2>{note}<ul id="list"></ul>'
            f'<div id="pager"></div>\n{script}')
    return _frame(portal, col.name, main)


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    title = shown_title(doc)
    pairs = [("索引号", shown(doc, "index_no")), ("发布机构", shown(doc, "publisher")),
             ("发布日期", shown(doc, "published")), ("成文日期", shown(doc, "written")),
             ("文号", shown(doc, "doc_no")), ("主题分类", shown(doc, "topic"))]
    pairs = [(k, v) for k, v in pairs if v is not None]
    if col.template == "li":
        meta = '<ul class="xxgk-meta">' + "".join(f"<li>{k}：{escape(v)}</li>" for k, v in pairs) + "</ul>"
    else:
        meta = '<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{escape(v)}</dd>" for k, v in pairs) + "</dl>"
    main = (f'<article><h1>{escape(title)}</h1>{meta}<div class="content">{body_html(doc)}</div>'
            f"{attachments_html(doc)}</article>")
    return _frame(portal, col.name, main)


def _api(portal: Portal, query: dict) -> Page:
    def one(name: str, default: int) -> int:
        try:
            return int((query.get(name) or [default])[0])
        except ValueError:
            return default

    key = (query.get("col") or [""])[0]
    col = next((c for c in portal.columns if c.key == key), None)
    if col is None:
        return Page(404, json.dumps({"code": 404, "msg": "栏目不存在", "data": None},
                                    ensure_ascii=False).encode("utf-8"), JSON_TYPE)
    size = min(max(one("size", PER_PAGE), 1), 100)
    page = max(one("page", 1), 1)
    total = len(col.documents)
    items = [{"title": shown_title(d), "url": d.path, "pubDate": d.list_date.isoformat()}
             for d in col.documents[(page - 1) * size:page * size]]
    data = {"total": total, "page": page, "pages": -(-total // size), "size": size, "list": items}
    return Page(200, json.dumps({"code": 0, "msg": "success", "data": data}, ensure_ascii=False).encode("utf-8"),
                JSON_TYPE)


def render(portal: Portal) -> None:
    pages: dict[str, Page] = {}
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    grid = "".join(f'<div class="gk-card"><a href="{c.path}">{escape(c.name)}</a></div>' for c in portal.columns)
    put(ENTRY_PATH, _frame(portal, portal.entry_text, f'<div class="gk-cards">{grid}</div>'))
    put(GUIDE_PATH, _frame(portal, "政府信息公开指南", "<article><h1>政府信息公开指南</h1>"
                           + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal)) + "</article>"))
    pages["/static/js/jquery.min.js"] = Page(200, b"/* jQuery placeholder */\n", "application/javascript")
    for col in portal.columns:
        put(col.path, _column_page(portal, col))
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    finish(portal, pages, newest_news_links(portal))

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        return _api(portal, query) if path == "/api/list" else None

    portal.dynamic = dynamic
