"""Legacy family: an old home-grown CMS. Bytes are GBK, declared ONLY in
``<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`` (the HTTP header says
plain ``text/html``); labels in 繁体 (索引號, 發布機構, 發布日期, 成文日期, 文號, 主題分類) or a
header-row table (索取号/发布时间/发布机构/… over a values row, as on 上海卫健委); Chinese dates
``2019年01月27日``; lists ``list.htm``, ``list_2.htm`` … with 下一页/尾页 links.
"""

from __future__ import annotations

from html import escape

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import (attachments_html, body_html, finish, guide_text, header_html, html_page,
                            newest_news_links)

ENTRY_PATH = "/zwgk/index.htm"
GUIDE_PATH = "/zwgk/gkzn.htm"
DATE_STYLE = "cn"
WRITTEN_ALWAYS = False
PER_PAGE = 20
CONTENT_TYPE = "text/html"   # no charset on purpose
CHARSET = "gb2312"


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    for i, col in enumerate(portal.columns):
        col.path = f"/zwgk/{col.key}/list.htm"
        col.template = "header" if i % 2 else "trad"


def doc_path(col: Column, doc: Document) -> str:
    return f"/zwgk/{col.key}/content_{doc.doc_id}.htm"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"/zwgk/{col.key}/files/{doc.doc_id}_{n}.pdf"


def _page_name(k: int) -> str:
    return "list.htm" if k == 1 else f"list_{k}.htm"


def _frame(portal: Portal, title: str, main: str) -> str:
    side = "".join(f'<tr><td><a href="{c.path}">{escape(c.name)}</a></td></tr>' for c in portal.columns)
    body = (header_html(portal) + '<table width="1000" align="center" class="main"><tr>'
            f'<td width="220" valign="top" class="left"><table class="lm">'
            f'<tr><td><a href="{GUIDE_PATH}">政府信息公开指南</a></td></tr>{side}</table></td>'
            f'<td valign="top" class="right">{main}</td></tr></table>')
    return html_page(f"{title}-{portal.name}", body, charset=CHARSET)


def _list_page(portal: Portal, col: Column, docs: list[Document], k: int, pages: int) -> str:
    rows = "".join(f'<li><span class="date">{_cn(d)}</span>'
                   f'<a href="{d.path.rsplit("/", 1)[1]}" target="_blank" title="{escape(shown_title(d))}">'
                   f"{escape(shown_title(d))}</a></li>\n" for d in docs)
    note = f'<div class="nodata">{col.empty_note}</div>' if col.empty_note else ""
    bar = f'共{len(col.documents)}条记录 第{k}/{pages}页 <a href="list.htm">首页</a> '
    bar += f'<a href="{_page_name(k - 1)}">上一页</a> ' if k > 1 else "上一页 "
    bar += f'<a href="{_page_name(k + 1)}">下一页</a> ' if k < pages else "下一页 "
    bar += f'<a href="{_page_name(pages)}">尾页</a>'
    main = (f'<div class="lmtitle">{escape(col.name)}</div>{note}<ul class="list_ul">\n{rows}</ul>'
            f'<div class="pagebar">{bar}</div>')
    return _frame(portal, col.name, main)


def _cn(doc: Document) -> str:
    d = doc.list_date
    return f"{d.year}年{d.month:02d}月{d.day:02d}日"


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    title = shown_title(doc)
    get = lambda f: escape(shown(doc, f, "cn") or "")  # noqa: E731
    if col.template == "header":
        labels = ("索取号", "发布机构", "发布时间", "成文日期", "文件编号", "主题分类")
        values = (get("index_no"), get("publisher"), get("published"), get("written"), get("doc_no"), get("topic"))
        meta = ('<table class="table-article"><thead><tr>' + "".join(f'<td class="t1">{x}</td>' for x in labels)
                + "</tr></thead><tbody><tr>" + "".join(f'<td class="t2">{v}</td>' for v in values)
                + "</tr></tbody></table>")
    else:
        meta = ('<table class="xxgk_table" width="100%" border="1" cellspacing="0">'
                f'<tr><th>索引號：</th><td>{get("index_no")}</td><th>發布機構：</th><td>{get("publisher")}</td></tr>'
                f'<tr><th>發布日期：</th><td>{get("published")}</td><th>成文日期：</th><td>{get("written")}</td></tr>'
                f'<tr><th>文號：</th><td>{get("doc_no")}</td><th>主題分類：</th><td>{get("topic")}</td></tr>'
                f'<tr><th>標題：</th><td colspan="3">{escape(title)}</td></tr></table>')
    main = (f'{meta}<h2 id="ivs_title" class="Article-title">{escape(title)}</h2>'
            f'<div id="ivs_content" class="Article_content">{body_html(doc)}</div>{attachments_html(doc)}')
    return _frame(portal, col.name, main)


def render(portal: Portal) -> None:
    pages: dict[str, Page] = {}

    def put(path: str, text: str) -> None:
        pages[path] = Page(200, text.encode("gbk", errors="xmlcharrefreplace"), CONTENT_TYPE)

    grid = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in portal.columns)
    put(ENTRY_PATH, _frame(portal, portal.entry_text, f'<ul class="mlgrid"><li><a href="{GUIDE_PATH}">'
                                                     f'政府信息公开指南</a></li>{grid}</ul>'))
    put(GUIDE_PATH, _frame(portal, "政府信息公开指南", '<h2 id="ivs_title">政府信息公开指南</h2>'
                           + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal))))
    for col in portal.columns:
        count = max(1, -(-len(col.documents) // PER_PAGE))
        for k in range(1, count + 1):
            put(f"/zwgk/{col.key}/{_page_name(k)}",
                _list_page(portal, col, col.documents[(k - 1) * PER_PAGE:k * PER_PAGE], k, count))
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    links = newest_news_links(portal, lambda day: f"{day.year}年{day.month:02d}月{day.day:02d}日")
    finish(portal, pages, links, encoding="gbk", charset=CHARSET, content_type=CONTENT_TYPE)
