"""Hanweb jpaas-publish-server family: column pages whose list exists only through
``GET /api-gateway/jpaas-publish-server/front/page/build/unit?…&paramJson={"pageNo":N,"pageSize":M}``.

Written from the shape in issue 9 and public crawlers of real jpaas portals (samr.gov.cn,
mohurd.gov.cn: ``<script url="/api-gateway/jpaas-publish-server/front/page/build/unit"
queryData="{'parseType':'bulidstatic','pageId':'abc'}">``; crcc.cn:
``…&parseType=bulidstatic&pageType=column&tagId=右侧内容&tplSetId=…&paramJson={"pageNo":1,"pageSize":15}``;
answers ``{"data": {"html": "<li>…</li>"}}``). What real sites vary, varied here: ``parseType``
spelt ``bulidstatic`` or ``buildstatic`` (the server knows only its own spelling and answers an
error otherwise), and the trap: a bare ``pageNo`` parameter is ignored, page 1 comes back.
Details, directory and guide are the Hanweb JCMS ones (same vendor, same templates).
"""

from __future__ import annotations

import json
from html import escape

from . import render_hanweb as hanweb
from .fields import shown_title
from .model import Column, Page, Portal
from .render_common import finish, newest_news_links

ENTRY_PATH, GUIDE_PATH = hanweb.ENTRY_PATH, hanweb.GUIDE_PATH
DATE_STYLE, WRITTEN_ALWAYS = "iso", True
API = "/api-gateway/jpaas-publish-server/front/page/build/unit"
PAGE_SIZE = 15
WEB_ID = "3549"
TPL_SET_ID = "zfHuDn7pjzPV0dB1wLhu9"
JSON_TYPE = "application/json;charset=UTF-8"
setup, doc_path, attachment_path = hanweb.setup, hanweb.doc_path, hanweb.attachment_path


def parse_type(col: Column) -> str:
    """Both spellings exist on real portals; each column keeps one."""
    return "bulidstatic" if col.number % 2 else "buildstatic"


def _column_page(portal: Portal, col: Column) -> str:
    query = (f"{{'parseType':'{parse_type(col)}','webId':'{WEB_ID}','tplSetId':'{TPL_SET_ID}',"
             f"'pageType':'column','tagId':'当前栏目list','editType':'null','pageId':'{col.number}'}}")
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    main = (f'<div class="bt-title">{escape(col.name)}</div>{note}<div id="{col.number}list" class="list-box"></div>\n'
            f'<script url="{API}" queryData="{query}" type="text/javascript" '
            f'src="/module/jpaas/unitbuild.js" paramJson=\'{{"pageSize":"{PAGE_SIZE}"}}\'></script>')
    return hanweb._frame(portal, col.name, main)


def _answer(body: dict, status: int = 200) -> Page:
    return Page(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON_TYPE)


def _unit(portal: Portal, query: dict) -> Page:
    one = lambda name: (query.get(name) or [""])[0]  # noqa: E731
    col = next((c for c in portal.columns if str(c.number) == one("pageId")), None)
    if col is None or one("webId") != WEB_ID or one("pageType") != "column":
        return _answer({"success": False, "code": 404, "message": "页面不存在", "data": None})
    if one("parseType") != parse_type(col):
        return _answer({"success": False, "code": 500, "message": "解析类型错误", "data": None})
    try:
        param = json.loads(one("paramJson") or "{}")
        page, size = int(param.get("pageNo", 1)), int(param.get("pageSize", PAGE_SIZE))
    except (ValueError, TypeError, AttributeError):
        page, size = 1, PAGE_SIZE          # a bare pageNo is never read: page 1 forever
    page, size = max(page, 1), min(max(size, 1), 100)
    rows = "".join(f'<li><a href="{d.path}" target="_blank" title="{escape(shown_title(d))}">'
                   f'{escape(shown_title(d))}</a><span>{d.list_date.isoformat()}</span></li>'
                   for d in col.documents[(page - 1) * size:page * size])
    html = f'<ul class="list">{rows}</ul>' if rows else ""
    return _answer({"success": True, "code": 200, "message": "操作成功", "data": {"html": html}})


def render(portal: Portal) -> None:
    pages = hanweb.site_pages(portal, _column_page)
    pages["/module/jpaas/unitbuild.js"] = Page(200, b"/* jpaas unit loader */\n", "application/javascript")
    finish(portal, pages, newest_news_links(portal))

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        return _unit(portal, query) if path == API else None

    portal.dynamic = dynamic
