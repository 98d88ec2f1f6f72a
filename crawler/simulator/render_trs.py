"""TRS WCM family: static ``index.html``/``index_N.html`` lists paged by a ``createPageHTML``
script, ``/YYYYMM/tYYYYMMDD_ID.html`` details in the 邯郸 ``<p><strong>`` form or gov.cn's
"Template A" ``table.bd1`` (spaced labels), with commented-out decoy fields.

Two paging signatures, as on real sites:
``var countPage = N//共多少页 … createPageHTML(countPage, currentPage, "index", "html");`` and
``createPageHTML('page_div', pages, cur, 'list', 'shtml', records);`` where ``cur`` is 1-based:
page 1 is ``list.shtml``, page k ≥ 2 is ``list_k.shtml``, 末页 ``list_{pages}.shtml`` (as on
csrc.gov.cn ``createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89)`` and kunshan.gov.cn
``createPageHTML('page_div',22,1,'common_list','shtml',325)`` → ``common_list_2.shtml`` …).
``/xxgk/js/page.js`` defines both functions and writes the pager links the way those scripts do,
so a browser sees the same links a visitor does.
"""

from __future__ import annotations

from html import escape

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import newest_news_links, attachments_html, body_html, finish, guide_text, header_html, html_page

ENTRY_PATH = "/xxgk/index.html"
GUIDE_PATH = "/xxgk/xxgkzn/index.html"
DATE_STYLE = "iso"
WRITTEN_ALWAYS = False
PER_PAGE = {"html": 15, "shtml": 20}


#: The pager functions of TRS templates. The 4-argument one follows shanxi.gov.cn's inline
#: ``createPageHTML(_nPageCount,_nCurrIndex,_sPageName,_sPageExt)`` (0-based, ``_sPageName + "_" + i``);
#: the 6-argument one writes into the element ``ele_id`` with a 1-based current index.
PAGE_JS = r"""function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) { return; }
  var nCurrIndex = _nCurrIndex || 0;
  if (nCurrIndex != 0) { document.write("<a href=\"" + _sPageName + "." + _sPageExt + "\">首页</a>"); }
  for (var i = 0; i < _nPageCount; i++) {
    var sPageName = (i == 0 ? _sPageName : (_sPageName + "_" + i)) + "." + _sPageExt;
    if (nCurrIndex == i) { document.write("<span class='current'>" + (i + 1) + "</span>&nbsp;"); }
    else { document.write("<a href='" + sPageName + "'>" + (i + 1) + "</a>&nbsp;"); }
  }
  if (nCurrIndex != _nPageCount - 1) {
    document.write("<a href=\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt + "\">尾页</a>");
  }
}
function createPageHTML6(ele_id, nPageCount, nCurrIndex, sPageName, sPageExt, nPageSum) {
  var el = document.getElementById(ele_id);
  if (!el || nPageCount <= 1) { return; }
  function name(k) { return (k == 1 ? sPageName : sPageName + "_" + k) + "." + sPageExt; }
  var html = "<span>共" + nPageSum + "条 共" + nPageCount + "页</span>";
  if (nCurrIndex > 1) { html += "<a href='" + name(1) + "'>首页</a><a href='" + name(nCurrIndex - 1) + "'>上一页</a>"; }
  for (var k = 1; k <= nPageCount; k++) {
    html += (k == nCurrIndex) ? "<b>" + k + "</b>" : "<a href='" + name(k) + "'>" + k + "</a>";
  }
  if (nCurrIndex < nPageCount) { html += "<a href='" + name(nCurrIndex + 1) + "'>下一页</a><a href='" + name(nPageCount) + "'>尾页</a>"; }
  el.innerHTML = html;
}
(function () {
  var four = createPageHTML;
  createPageHTML = function (a) {
    if (typeof a === "string" && isNaN(Number(a))) { return createPageHTML6.apply(this, arguments); }
    return four.apply(this, arguments);
  };
})();
"""


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    for i, col in enumerate(portal.columns):
        col.paging = "shtml" if i % 3 == 1 else "html"
        col.path = f"/xxgk/{col.key}/{'list' if col.paging == 'shtml' else 'index'}.{col.paging}"
        col.template = "gov" if col.category in ("policy", "notice") else "handan"


def doc_path(col: Column, doc: Document) -> str:
    d = doc.list_date
    return f"/xxgk/{col.key}/{d:%Y%m}/t{d:%Y%m%d}_{doc.doc_id}.html"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    d = doc.list_date
    return f"/xxgk/{col.key}/{d:%Y%m}/P0{d:%Y%m%d}{doc.doc_id % 100000:05d}{n}.pdf"


def _left_nav(portal: Portal, current: str = "") -> str:
    links = [f'<li><a href="{GUIDE_PATH}" target="_self">政府信息公开指南</a></li>']
    for col in portal.columns:
        cls = ' class="on"' if col.path == current else ""
        links.append(f'<li{cls}><a href="{col.path}" target="_self">{escape(col.name)}</a></li>')
    return f'<div class="xxgk-left"><div class="lm-title">信息公开目录</div><ul class="left-nav">{"".join(links)}</ul></div>'


def _frame(portal: Portal, title: str, main: str, current: str = "", head: str = "") -> str:
    crumbs = (f'<div class="position">您现在的位置：<a href="/">首页</a> &gt;&gt; '
              f'<a href="{ENTRY_PATH}">{escape(portal.entry_text)}</a> &gt;&gt; {escape(title)}</div>')
    body = (header_html(portal) + '<div class="container">' + _left_nav(portal, current)
            + f'<div class="xxgk-right">{crumbs}{main}</div></div>')
    return html_page(f"{title}_{portal.name}", body, head=head)


def _rel(col: Column, doc: Document) -> str:
    return "." + doc.path[len(f"/xxgk/{col.key}"):]


def _list_page(portal: Portal, col: Column, docs: list[Document], k: int, pages: int, table: bool) -> str:
    if table:
        rows = "".join(
            f'<tr valign="top"><td width="25"><img src="/images/ico2.jpg"></td><td width="550">'
            f'<a href="{_rel(col, d)}" title="{escape(shown_title(d))}" target="_blank">{escape(shown_title(d))}</a></td>'
            f"<td>{d.list_date.isoformat()}</td></tr>\n" for d in docs)
        items = f'<table width="682" border="0" cellspacing="0" cellpadding="0" class="gl_list"><tbody>\n{rows}</tbody></table>'
    else:
        rows = "".join(f'<li><a href="{_rel(col, d)}" title="{escape(shown_title(d))}" target="_blank">'
                       f"{escape(shown_title(d))}</a><span>{d.list_date.isoformat()}</span></li>\n" for d in docs)
        items = f'<ul class="list">\n{rows}</ul>'
    note = f'<div class="no-data">{col.empty_note}</div>' if col.empty_note else ""
    total = len(col.documents)
    if col.paging == "html":
        script = (f'<script language="JavaScript" type="text/javascript">\nvar countPage = {pages}//共多少页\n'
                  f"var currentPage = {k};\nvar countnum = {total};\n"
                  'createPageHTML(countPage, currentPage, "index", "html");\n</script>')
    else:
        # spacing varies between real sites ("'page_div',22,1,'common_list'" / "'page_div', 5, 1, 'fg'")
        sep = ", " if col.documents and col.documents[0].doc_id % 2 else ","
        script = (f'<div id="page_div"></div>\n<script type="text/javascript">'
                  f"createPageHTML('page_div'{sep}{pages}{sep}{k + 1}{sep}'list'{sep}'shtml'{sep}{total});</script>")
    main = f'<div class="lm-name">{escape(col.name)}</div>{note}{items}<div class="page">{script}</div>'
    return _frame(portal, col.name, main, col.path,
                  head='<script type="text/javascript" src="/xxgk/js/page.js"></script>\n')


def _meta_p(label: str, value: str | None) -> str:
    return f"<p><strong>{label}</strong>：{escape(value or '')}</p>" if value is not None else ""


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    title = shown_title(doc)
    get = lambda f: shown(doc, f, "cn")  # noqa: E731
    if col.template == "handan":
        written = (_meta_p("成文日期", get("written")) + "\n<!--<p><strong>有效期</strong>：2010年01月01日</p>-->"
                   if get("written") else "<!--<p><strong>成文日期</strong>：2010年01月01日</p>-->")
        meta = (f'<div class="top cf"><div class="top-l fl">\n{_meta_p("索引号", get("index_no"))}\n'
                f'{_meta_p("发布机构", get("publisher"))}\n{_meta_p("名称", title)}\n'
                f'{_meta_p("文号", get("doc_no") or "无")}\n<!--<p><strong>主题词</strong>：{escape(title[:8])}</p>-->\n'
                f'</div><div class="top-r fr">\n{_meta_p("主题分类", get("topic"))}\n{written}\n'
                f'{_meta_p("发布日期", get("published"))}\n</div></div>')
    else:
        cell = lambda v: escape(v or "")  # noqa: E731
        meta = ('<table width="860" border="0" cellpadding="0" cellspacing="0" class="bd1"><tbody>\n'
                f'<tr><td width="70"><b>索 引 号：</b></td><td width="360">{cell(get("index_no"))}</td>'
                f'<td width="70"><b>主题分类：</b></td><td width="360">{cell(get("topic"))}</td></tr>\n'
                f'<tr><td><b>发文机关：</b></td><td>{cell(get("publisher"))}</td>'
                f'<td><b>成文日期：</b></td><td>{cell(get("written"))}</td></tr>\n'
                f'<tr><td><b>标　　题：</b></td><td colspan="3">{escape(title)}</td></tr>\n'
                f'<tr><td><b>发文字号：</b></td><td>{cell(get("doc_no"))}</td>'
                f'<td><b>发布日期：</b></td><td>{cell(get("published"))}</td></tr>\n</tbody></table>\n'
                '<table class="bd1"><tbody><tr><td width="70" valign="top"><b>主 题 词：</b></td>'
                '<td valign="top"></td></tr></tbody></table>')
    pub = get("published")
    head = (f'<meta name="SiteName" content="{escape(portal.name)}">\n<meta name="ColumnName" content="{escape(col.name)}">\n'
            f'<meta name="ArticleTitle" content="{escape(title)}">\n'
            + (f'<meta name="PubDate" content="{escape(pub)}">\n' if pub else ""))
    main = (f'{meta}<div class="article"><h1 class="title">{escape(title)}</h1>'
            f'<div class="TRS_Editor" id="UCAP-CONTENT">{body_html(doc)}</div>{attachments_html(doc)}</div>')
    return _frame(portal, col.name, main, col.path, head=head)


def render(portal: Portal) -> None:
    pages: dict[str, Page] = {}
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    grid = "".join(f'<div class="lm-box"><a href="{c.path}">{escape(c.name)}</a>'
                   f'<a href="{c.path}" class="more">更多&gt;&gt;</a></div>' for c in portal.columns)
    put(ENTRY_PATH, _frame(portal, portal.entry_text, f'<div class="lm-grid">{grid}</div>'))
    put("/xxgk/", pages[ENTRY_PATH].body.decode())
    put(GUIDE_PATH, _frame(portal, "政府信息公开指南", '<h1 class="title">政府信息公开指南</h1>'
                           + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal)), GUIDE_PATH))
    pages["/xxgk/js/page.js"] = Page(200, PAGE_JS.encode("utf-8"), "application/javascript")
    for n, col in enumerate(portal.columns):
        size = PER_PAGE[col.paging]
        count = max(1, -(-len(col.documents) // size))
        for k in range(count):
            if col.paging == "shtml":       # 1-based: list.shtml, list_2.shtml … list_{count}.shtml
                name = "list.shtml" if k == 0 else f"list_{k + 1}.shtml"
            else:                           # 0-based: index.html, index_1.html … index_{count-1}.html
                name = "index.html" if k == 0 else f"index_{k}.html"
            put(f"/xxgk/{col.key}/{name}", _list_page(portal, col, col.documents[k * size:(k + 1) * size],
                                                      k, count, table=n % 2 == 0))
        put(f"/xxgk/{col.key}/", pages[col.path].body.decode())
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    finish(portal, pages, newest_news_links(portal))
