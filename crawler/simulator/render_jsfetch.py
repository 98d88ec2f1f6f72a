"""JS-fetch family: a column page whose list URL exists only inside its script.

The column page holds an empty ``<ul id="docList">`` and builds the list request in JavaScript,
as the issue's user report quotes it: ``var API='/api/xxgk/list'; fetch(API+'?col='+c+'&page='+p)``
— no literal URL a static reader could follow. The answer has the MyBatis-Plus ``IPage`` shape
Java back ends of such portals return: ``{"code": 200, "data": {"records": [{"title", "url",
"publishDate"}], "total", "size", "current", "pages"}}``. The pager is written by the script
(``<a href="javascript:show(2)">``). Details reuse the JSON-API family's ``<li>label：value</li>``
and ``dl/dt/dd`` metadata.
"""

from __future__ import annotations

import json
from html import escape

from . import render_jsonapi as base
from .fields import shown_title
from .model import Column, Page, Portal
from .render_common import finish, guide_text, newest_news_links

ENTRY_PATH = "/xxgk/"
GUIDE_PATH = base.GUIDE_PATH
DATE_STYLE = "iso"
WRITTEN_ALWAYS = False
PER_PAGE = 10
API_PATH = "/api/xxgk/list"


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    for i, col in enumerate(portal.columns):
        col.path = f"/xxgk/{col.key}/index.html"
        col.template = "dl" if i % 2 else "li"


doc_path = base.doc_path
attachment_path = base.attachment_path


def _column_page(portal: Portal, col: Column) -> str:
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    script = f"""<script type="text/javascript">
var API = '{API_PATH}';
var c = '{col.key}';
function show(p) {{
  fetch(API + '?col=' + c + '&page=' + p).then(function (r) {{ return r.json(); }}).then(function (res) {{
    var d = res.data, html = '';
    d.records.forEach(function (it) {{
      html += '<li><a href="' + it.url + '" target="_blank">' + it.title + '</a><span>' + it.publishDate + '</span></li>';
    }});
    document.getElementById('docList').innerHTML = html;
    var pg = '';
    for (var k = 1; k <= d.pages; k++) {{
      pg += (k == d.current) ? '<b>' + k + '</b>' : '<a href="javascript:show(' + k + ')">' + k + '</a>';
    }}
    document.getElementById('pager').innerHTML = pg;
  }});
}}
show(1);
</script>"""
    main = (f'<h2 class="col-title">{escape(col.name)}</h2>{note}<ul class="doc-list" id="docList"></ul>'
            f'<div class="pager" id="pager"></div>\n{script}')
    return base._frame(portal, col.name, main)


def _api(portal: Portal, query: dict) -> Page:
    key = (query.get("col") or [""])[0]
    col = next((c for c in portal.columns if c.key == key), None)
    if col is None:
        return Page(404, json.dumps({"code": 404, "msg": "栏目不存在"}, ensure_ascii=False).encode("utf-8"),
                    base.JSON_TYPE)
    try:
        page = max(int((query.get("page") or ["1"])[0]), 1)
    except ValueError:
        page = 1
    total = len(col.documents)
    records = [{"id": d.doc_id, "title": shown_title(d), "url": d.path, "publishDate": d.list_date.isoformat()}
               for d in col.documents[(page - 1) * PER_PAGE:page * PER_PAGE]]
    data = {"records": records, "total": total, "size": PER_PAGE, "current": page,
            "pages": -(-total // PER_PAGE)}
    return Page(200, json.dumps({"code": 200, "msg": "操作成功", "data": data}, ensure_ascii=False).encode("utf-8"),
                base.JSON_TYPE)


def serve_pages(portal: Portal, column_page, extra: dict[str, Page] | None = None) -> None:
    """Entry, guide, column pages (``column_page(portal, col)``) and details in the JSON-API
    family's frame, plus ``extra`` static files (shared by the script-drawn families)."""
    pages: dict[str, Page] = dict(extra or {})
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    grid = "".join(f'<div class="gk-card"><a href="{c.path}">{escape(c.name)}</a></div>' for c in portal.columns)
    put(portal.entry_path, base._frame(portal, portal.entry_text, f'<div class="gk-cards">{grid}</div>'))
    put(GUIDE_PATH, base._frame(portal, "政府信息公开指南", "<article><h1>政府信息公开指南</h1>"
                                + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal)) + "</article>"))
    pages["/static/js/jquery.min.js"] = Page(200, b"/* jQuery placeholder */\n", "application/javascript")
    for col in portal.columns:
        put(col.path, column_page(portal, col))
        for doc in col.documents:
            put(doc.path, base._detail(portal, col, doc))
    finish(portal, pages, newest_news_links(portal))


def render(portal: Portal) -> None:
    serve_pages(portal, _column_page)

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        return _api(portal, query) if path == API_PATH else None

    portal.dynamic = dynamic
