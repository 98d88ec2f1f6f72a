"""Guangdong gkmlpt family: the 信息公开 entry ``/gkmlpt/index`` is a Vue page whose column tree
exists only in ``window._CONFIG.TREE``; lists only through ``GET /gkmlpt/api/all/<id>?page=N&sid=SID``.

Written from the shape in issue 9 and public crawlers of real gkmlpt sites (gd.gov.cn
``/gkmlpt/api/all/5?page=1&sid=2`` → ``articles``, 100 a page; sz.gov.cn ``SID: '755031'``;
dg.gov.cn tests: ``page=0`` first, ``post_url``; detail ``/gkmlpt/content/1/103/post_103.html``).
What real sites vary, varied here per column (``Column.paging``):

* ``"same01"`` — 100 a page, and page 0 and page 1 return the same first 100 items;
* ``"onepage"`` — the whole list on page 1; page 2 and later answer 404.

Article URLs are site-relative here (real ones are absolute: the simulator does not know the
host it is served on). Details carry the gkmlpt metadata table (索引号/分类/发布机构/成文日期/
名称/文号/发布日期).
"""

from __future__ import annotations

import json
from html import escape

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import attachments_html, body_html, finish, header_html, html_page, newest_news_links

ENTRY_PATH = "/gkmlpt/index"
GUIDE_PATH = "/gkmlpt/guide"
DATE_STYLE = "iso"
WRITTEN_ALWAYS = True
PER_PAGE = 100
JSON_TYPE = "application/json;charset=UTF-8"


def sid(portal: Portal) -> str:
    return str(755000 + portal.seed % 1000)


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    number = rng.randint(2000, 9000)
    for i, col in enumerate(portal.columns):
        number += rng.randint(3, 40)
        col.number = number
        col.path = f"{ENTRY_PATH}#{number}"
        col.paging = "same01" if i % 2 == 0 else "onepage"


def doc_path(col: Column, doc: Document) -> str:
    i = doc.doc_id
    return f"/gkmlpt/content/{i // 1000000}/{i // 1000}/post_{i}.html"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"/attachment/0/{doc.doc_id // 1000}/{doc.doc_id}_{n}.pdf"


def _tree(portal: Portal) -> list[dict]:
    """Two groups with children, as real trees have (no articles of their own)."""
    def leaf(col: Column) -> dict:
        return {"id": col.number, "name": col.name, "parent": 0, "children": [], "jump_url": "",
                "post_count": len(col.documents)}
    half = len(portal.columns) // 2
    groups = (("法定主动公开内容", portal.columns[:half]), ("其他信息", portal.columns[half:]))
    return [{"id": 100 + n, "name": name, "parent": 0, "jump_url": "", "post_count": 0,
             "children": [leaf(c) for c in cols]} for n, (name, cols) in enumerate(groups)]


def _index(portal: Portal) -> str:
    config = (f"window._CONFIG = {{SID: '{sid(portal)}', SITE_NAME: {json.dumps(portal.name, ensure_ascii=False)}, "
              f"TREE: {json.dumps(_tree(portal), ensure_ascii=False)}, PAGE_SIZE: {PER_PAGE}}};")
    body = (header_html(portal) + '<div id="app"><router-view></router-view></div>\n'
            f'<script type="text/javascript">\n{config}\n</script>\n'
            '<script src="/gkmlpt/static/js/app.js"></script>')
    return html_page(f"政府信息公开 - {portal.name}", body)


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    v = lambda f: escape(shown(doc, f, DATE_STYLE) or "")  # noqa: E731
    title = escape(shown_title(doc))
    table = ('<div class="introduce"><table class="classify"><tbody>'
             f'<tr><td class="first"><label>索引号：</label></td><td><span>{v("index_no")}</span></td>'
             f'<td class="first"><label>分类：</label></td><td><span>{v("topic")}</span></td></tr>'
             f'<tr><td class="first"><label>发布机构：</label></td><td><span>{v("publisher")}</span></td>'
             f'<td class="first"><label>成文日期：</label></td><td><span>{v("written")}</span></td></tr>'
             f'<tr><td class="first"><label>名称：</label></td><td colspan="3"><span>{title}</span></td></tr>'
             f'<tr><td class="first"><label>文号：</label></td><td><span>{v("doc_no")}</span></td>'
             f'<td class="first"><label>发布日期：</label></td><td><span>{v("published")}</span></td></tr>'
             '</tbody></table></div>')
    main = (f'<div class="content"><h1 class="title">{title}</h1>{table}'
            f'<div class="article-content">{body_html(doc)}</div>{attachments_html(doc)}</div>')
    return html_page(f"{shown_title(doc)} - {portal.name}", header_html(portal) + main,
                     head=f'<meta name="ArticleTitle" content="{title}">\n')


def _article(col: Column, doc: Document) -> dict:
    return {"id": doc.doc_id, "title": shown_title(doc), "identifier": shown(doc, "index_no") or "",
            "document_number": shown(doc, "doc_no") or "", "publisher": shown(doc, "publisher") or "",
            "created_at": f"{doc.list_date.isoformat()} 09:30:00", "url": doc.path, "classify_id": col.number}


def _api(portal: Portal, category: str, query: dict) -> Page:
    col = next((c for c in portal.columns if str(c.number) == category), None)
    if col is None or (query.get("sid") or [""])[0] != sid(portal):
        return Page(404, b'{"error":"not found"}', JSON_TYPE)
    try:
        page = int((query.get("page") or ["1"])[0])
    except ValueError:
        page = 1
    docs = col.documents
    if col.paging == "onepage":
        if page >= 2:
            return Page(404, b'{"error":"not found"}', JSON_TYPE)
        shown_docs = docs
    else:
        start = max(page - 1, 0) * PER_PAGE           # page 0 and page 1 are the same page
        shown_docs = docs[start:start + PER_PAGE]
    body = {"classify": {"id": col.number, "name": col.name, "post_count": len(docs)},
            "articles": [_article(col, d) for d in shown_docs], "total": len(docs)}
    return Page(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON_TYPE)


def render(portal: Portal) -> None:
    pages: dict[str, Page] = {}
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    put(ENTRY_PATH, _index(portal))
    put(GUIDE_PATH, html_page("政府信息公开指南", header_html(portal) + "<h1>政府信息公开指南</h1>"))
    pages["/gkmlpt/static/js/app.js"] = Page(200, b"/* vue app */\n", "application/javascript")
    for col in portal.columns:
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    finish(portal, pages, newest_news_links(portal))
    prefix = "/gkmlpt/api/all/"

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        return _api(portal, path[len(prefix):], query) if path.startswith(prefix) else None

    portal.dynamic = dynamic
