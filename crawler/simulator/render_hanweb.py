"""Hanweb 大汉 JCMS family: ``/col/colN/index.html`` pages whose first group of records
(3 pages × 15) sits only in an inline ``<script type="text/xml"><datastore>``, the rest only via
``POST /module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15`` (form fields
columnid, unitid, webid, path, webname, permissiontype, appid). Details ``/art/Y/M/D/art_N_ID.html``
with a JCMS ``table.xxgk`` (label and value in one cell) and ``<!--<$[标题]>begin-->`` markers.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import newest_news_links, attachments_html, body_html, finish, guide_text, header_html, html_page

ENTRY_PATH = "/col/col100/index.html"
GUIDE_PATH = "/col/col101/index.html"
DATE_STYLE = "iso"
WRITTEN_ALWAYS = True
PER_PAGE, GROUP = 15, 3
PROXY = "/module/web/jpage/dataproxy.jsp"
XML_TYPE = "text/xml; charset=UTF-8"


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    number = rng.randint(1200, 9000)
    for col in portal.columns:
        number += rng.randint(3, 17)      # strictly increasing: column ids never collide
        col.number = number
        col.path = f"/col/col{col.number}/index.html"


def unit_id(col: Column) -> int:
    return 30000 + col.number * 7 % 9000


def doc_path(col: Column, doc: Document) -> str:
    d = doc.list_date
    return f"/art/{d.year}/{d.month}/{d.day}/art_{col.number}_{doc.doc_id}.html"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"/module/download/downfile.jsp?classid=0&filename={doc.doc_id}{n:02d}.pdf"


def _record(d: Document) -> str:
    title = shown_title(d)
    text = title if len(title) <= 30 else title[:30] + "..."
    return (f'<record><![CDATA[\n<li class="clearfix"><a target="_blank" href="{d.path}" title="{escape(title)}">'
            f"{escape(text)}</a><b>{d.list_date.isoformat()}</b></li>]]></record>")


def _webname(portal: Portal) -> str:
    return quote(quote(portal.name))


def _frame(portal: Portal, title: str, main: str, head: str = "") -> str:
    nav = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in portal.columns)
    side = (f'<div class="zfxxgk_left"><ul><li><a href="{GUIDE_PATH}">政府信息公开指南</a></li>{nav}</ul></div>')
    body = header_html(portal) + f'<div class="zfxxgk_main">{side}<div class="zfxxgk_right">{main}</div></div>'
    return html_page(f"{portal.name} {title}", body, head=head)


def _column_page(portal: Portal, col: Column) -> str:
    uid, total = unit_id(col), len(col.documents)
    first = col.documents[:PER_PAGE * GROUP]
    nextgroup = (f"{PROXY}?page=1&appid=1&webid=1&path=/&columnid={col.number}&unitid={uid}"
                 f"&webname={_webname(portal)}&permissiontype=0")
    records = "\n".join(_record(d) for d in first)
    store = (f'<div id="{uid}"><script type="text/xml"><datastore><totalrecord>{total}</totalrecord>'
             f'<nextgroup><![CDATA[<a href="{nextgroup}"></a>]]></nextgroup>'
             f"<recordset>\n{records}\n</recordset></datastore></script></div>")
    script = ("<script type=\"text/javascript\">\n"
              f"var dataStore = $('#{uid} script[type=\"text/xml\"]').html();\n"
              f"$('#{uid}').jpage({{dataStore: dataStore, proxyUrl: '{PROXY}', perPage: {PER_PAGE}, "
              f"totalRecord: {total}, groupSize: {GROUP}}});\n</script>")
    note = f'<div class="default_pgEmpty">{col.empty_note}</div>' if col.empty_note else ""
    main = f'<div class="bt-title">{escape(col.name)}</div>{note}{store}\n{script}'
    return _frame(portal, col.name, main,
                  head='<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.jpage.js"></script>\n')


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    title = shown_title(doc)
    get = lambda f: escape(shown(doc, f, "iso") or "")  # noqa: E731
    table = ("<table border='1' width='1000px' align=\"center\" cellpadding=\"0\" cellspacing=\"0\" class=\"xxgk\">\n"
             f"<tr><td>索引号: {get('index_no')}</td><td>文件编号: {get('doc_no')}</td>"
             f"<td>发布机构: {get('publisher')}</td></tr>\n"
             f"<tr><td>生成日期: {get('written')}</td><td>主题分类: {get('topic')}</td>"
             "<td>公开方式: 主动公开</td></tr>\n</table>")
    pub = shown(doc, "published", "iso")
    source = escape(shown(doc, "publisher") or "")
    info = ((f"<span>发布日期：{escape(pub)}</span>" if pub else "")
            + f"<span>信息来源：<!--<$[信息来源]>begin-->{source}<!--<$[信息来源]>end--></span>")
    head = (f'<meta name="SiteName" content="{escape(portal.name)}">\n<meta name="ColumnName" content="{escape(col.name)}">\n'
            f'<meta name="ArticleTitle" content="{escape(title)}">\n'
            + (f'<meta name="PubDate" content="{escape(pub)} 09:30">\n' if pub else "")
            + f'<meta name="contentSource" content="{source}">\n')
    main = (f"{table}\n<p class=\"con-title\"><!--<$[标题]>begin-->{escape(title)}<!--<$[标题]>end--></p>\n"
            f'<div class="con-info">{info}</div>\n<div id="zoom"><!--<$[信息内容]>begin-->'
            f'<!--ZJEG_RSS.content.begin--><meta name="ContentStart">{body_html(doc)}<meta name="ContentEnd">'
            f"<!--ZJEG_RSS.content.end--><!--<$[信息内容]>end--></div>{attachments_html(doc)}")
    return _frame(portal, col.name, main, head=head)


def _proxy(portal: Portal, query: dict, form: dict) -> Page:
    params = {k: v[0] for k, v in {**query, **form}.items() if v}
    try:
        number = int(params["columnid"])
        start, end = int(params.get("startrecord", 1)), int(params.get("endrecord", 45))
        col = next(c for c in portal.columns if c.number == number)
    except (KeyError, ValueError, StopIteration):
        return Page(200, b'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>0</totalrecord>'
                         b"<recordset></recordset></datastore>", XML_TYPE)
    records = "\n".join(_record(d) for d in col.documents[max(start, 1) - 1:end])
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>{len(col.documents)}</totalrecord>'
           f"<recordset>\n{records}\n</recordset></datastore>")
    return Page(200, xml.encode("utf-8"), XML_TYPE)


def site_pages(portal: Portal, column_page) -> dict[str, Page]:
    """Directory, guide, column pages (``column_page(portal, col)``) and JCMS details: what every
    Hanweb product (JCMS, jpaas, the 大汉 xxgk module) serves the same way."""
    pages: dict[str, Page] = {}
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    grid = "".join(f'<li><a href="{c.path}" target="_blank">{escape(c.name)}</a></li>' for c in portal.columns)
    put(ENTRY_PATH, _frame(portal, portal.entry_text,
                           f'<div class="xxgk_ml"><ul><li><a href="{GUIDE_PATH}">政府信息公开指南</a></li>{grid}</ul></div>'))
    put(GUIDE_PATH, _frame(portal, "政府信息公开指南", '<div class="bt-title">政府信息公开指南</div><div id="zoom">'
                           + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal)) + "</div>"))
    for col in portal.columns:
        put(col.path, column_page(portal, col))
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    return pages


def render(portal: Portal) -> None:
    pages = site_pages(portal, _column_page)
    finish(portal, pages, newest_news_links(portal))

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        if path == PROXY:
            if method != "POST":
                return Page(405, b"Method Not Allowed", "text/plain; charset=utf-8")
            return _proxy(portal, query, form)
        return None

    portal.dynamic = dynamic
