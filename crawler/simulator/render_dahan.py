"""The older 大汉 信息公开目录 module: column pages whose list is the answer to
``POST /module/xxgk/search.jsp`` (infotypeId, jdid, area, divid, sortfield, currpage, …).

Written from the shape in issue 9 and public crawlers of real sites running it (zj.gov.cn:
``infotypeId=A0212&jdid=3096&area=&divid=div1229498488&vc_title=&vc_number=&sortfield=,createdatetime:0,orderid:0&currpage=N…``;
xxgk.harbin.gov.cn: rows ``.tr_main_value_odd, .tr_main_value_even`` with the title in ``a@title``
and the date in the third cell; zjepb.gov.cn: the pager ``&nbsp;&nbsp;共N页&nbsp;``). The column
page carries the module's hidden search form and a script that posts it into ``divid``. Only
POST is answered, like the real module. Details and directory are the Hanweb JCMS ones.
"""

from __future__ import annotations

import math
from html import escape

from . import render_hanweb as hanweb
from .fields import shown_title
from .model import Column, Page, Portal
from .render_common import finish, newest_news_links, post_endpoint

ENTRY_PATH, GUIDE_PATH = hanweb.ENTRY_PATH, hanweb.GUIDE_PATH
DATE_STYLE, WRITTEN_ALWAYS = "iso", True
SEARCH = "/module/xxgk/search.jsp"
PER_PAGE = 15
JDID = "3096"
setup, doc_path, attachment_path = hanweb.setup, hanweb.doc_path, hanweb.attachment_path


def infotype(col: Column) -> str:
    return f"A{col.number:04d}"


def _column_page(portal: Portal, col: Column) -> str:
    div = f"div{col.number}"
    hidden = {"infotypeId": infotype(col), "jdid": JDID, "area": "", "divid": div, "vc_title": "",
              "vc_number": "", "sortfield": ",createdatetime:0,orderid:0", "currpage": "1",
              "vc_filenumber": "", "vc_all": "", "texttype": "0", "fbtime": "-1"}
    inputs = "".join(f'<input type="hidden" name="{k}" value="{escape(v)}">' for k, v in hidden.items())
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    script = ("<script type=\"text/javascript\">\nfunction xxgkSearch(page) {\n"
              "  var f = document.getElementById('searchform'); f.currpage.value = page;\n"
              f"  $.post('{SEARCH}', $(f).serialize(), function (html) {{ $('#{div}').html(html); }});\n}}\n"
              "xxgkSearch(1);\n</script>")
    main = (f'<div class="bt-title">{escape(col.name)}</div>{note}'
            f'<form id="searchform" name="searchform" action="{SEARCH}" method="post">{inputs}</form>'
            f'<div id="{div}"></div>\n{script}')
    return hanweb._frame(portal, col.name, main, head='<script src="/module/xxgk/js/jquery.js"></script>\n')


def _search(portal: Portal, form: dict) -> Page:
    one = lambda name: (form.get(name) or [""])[0]  # noqa: E731
    col = next((c for c in portal.columns if infotype(c) == one("infotypeId")), None)
    if col is None or one("jdid") != JDID:
        return Page(200, "<table><tr><td>没有找到相关信息</td></tr></table>".encode("utf-8"))
    pages = max(math.ceil(len(col.documents) / PER_PAGE), 1)
    try:
        page = min(max(int(one("currpage") or 1), 1), pages)
    except ValueError:
        page = 1
    rows = []
    for n, d in enumerate(col.documents[(page - 1) * PER_PAGE:page * PER_PAGE]):
        cls = "tr_main_value_odd" if n % 2 == 0 else "tr_main_value_even"
        title = shown_title(d)
        rows.append(f'<tr class="{cls}"><td>{(page - 1) * PER_PAGE + n + 1}</td><td align="left">'
                    f'<a href="{d.path}" target="_blank" title="{escape(title)}">{escape(title[:26])}</a></td>'
                    f'<td>{d.list_date.isoformat()}</td></tr>')
    pager = (f'<table class="pager"><tr><td>&nbsp;&nbsp;共{pages}页&nbsp;&nbsp;共{len(col.documents)}条&nbsp;'
             f'<a href="javascript:xxgkSearch({min(page + 1, pages)})">下一页</a></td></tr></table>')
    body = f'<table class="tb_title">{"".join(rows)}</table>{pager}'
    return Page(200, body.encode("utf-8"))


def render(portal: Portal) -> None:
    pages = hanweb.site_pages(portal, _column_page)
    pages["/module/xxgk/js/jquery.js"] = Page(200, b"/* jQuery */\n", "application/javascript")
    finish(portal, pages, newest_news_links(portal))

    portal.dynamic = post_endpoint(SEARCH, lambda form: _search(portal, form))
