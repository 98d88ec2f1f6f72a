"""Fujian provincial intensive platform family (TRS + avalon.js): column lists from
``POST /fjdzapp/search``; ``div.index_box`` detail metadata.

Written from the real captures in ../shared/realpages/more (MANIFEST there):
``fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html`` (``listModel({quickMode: "动态",
listArgs: {channelid: SiteInfo.searchId, classsql: classsql, sortfield: "-pubdate"}, pagebar:
{prepage: 10}})`` with ``classsql`` picked by a literal if/else on the column name; no items in
the markup), ``fujian-pingtan-trs-avalon-list-static-ghxx-gzjzqk.html`` (``pageChnlInfo =
{quickMode: "动静结合", maxStaticIndex: 5, classsql: "" || "chnlid=1780", recordCount: '107',
prepage: 15}``; the first pages pre-rendered in ``<div ms-visible="$showStatic(N)">`` blocks),
``fujian-sanming-trs-fjdzapp-search-api-szfgz-p001.json`` (the answer: ``{error, page, prepage,
pageCount, recordCount, data: [{doctitle, chnldocurl, url, idxid, fileno, puborg, pubdate,
docreltime, …}]}``, dates ``2026.08.16 00:00:00``) and the three detail pages (labels spaced with
``&ensp;``, values in ``<font>`` or bare text, Putian without the 主题分类 row). The request form
(channelid, sortfield, classsql, classcol, classsort, cache, page, prepage; form-encoded POST)
is the one public crawlers of fujian.gov.cn sites send.
"""

from __future__ import annotations

import json
import math
from html import escape

from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_common import (attachments_html, body_html, finish, guide_text, header_html, html_page,
                            newest_news_links, post_endpoint)

ENTRY_PATH = "/zwgk/zfxxgk/"
GUIDE_PATH = "/zwgk/zfxxgk/zfxxgkzn/"
DATE_STYLE = "iso"
WRITTEN_ALWAYS = True
SEARCH = "/fjdzapp/search"
SEARCH_ID = "200210"
STATIC_PAGES, STATIC_PER_PAGE, JS_PER_PAGE = 2, 15, 10
JSON_TYPE = "application/json;charset=UTF-8"
SITE_INFO = (f"<script>\n    var SiteInfo = {{\n        itpSiteId: 21,    //互动站点ID\n        searchId: {SEARCH_ID}, "
             "//默认的文档检索频道的ID\n        defaultPgTemp: \"pgBar_pt.html\",  //本站点默认的分页模板名\n    };\n</script>\n"
             '<script src="/images/model.v2.min.js"></script>\n')


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    number = rng.randint(1200, 1900)
    for i, col in enumerate(portal.columns):
        number += rng.randint(3, 30)
        col.number = number                       # the TRS channel id (chnlid)
        col.path = f"{ENTRY_PATH}{col.key}/"
        col.paging = "static" if i % 2 == 0 else "jsonly"
        col.template = ("font", "bare", "putian")[i % 3]


def doc_path(col: Column, doc: Document) -> str:
    d = doc.list_date
    return f"{col.path}{d:%Y%m}/t{d:%Y%m%d}_{doc.doc_id}.htm"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"{col.path}{doc.list_date:%Y%m}/P0{doc.doc_id}{n:02d}.pdf"


def _frame(portal: Portal, title: str, main: str) -> str:
    nav = "".join(f'<li><a href="{c.path}">{escape(c.name)}</a></li>' for c in portal.columns)
    body = (header_html(portal) + f'<div class="content_bg_02"><div class="legal_tit"><ul>'
            f'<li><a href="{GUIDE_PATH}">政府信息公开指南</a></li>{nav}</ul></div>'
            f'<div class="trt-col-19">{main}</div></div>')
    return html_page(f"{title}_{portal.name}", body,
                     head=f'<meta name="ColumnName" content="{escape(title)}"/>\n' + SITE_INFO)


def _static_page(portal: Portal, col: Column) -> str:
    """动静结合: the first STATIC_PAGES pages pre-rendered in blocks of 5, the rest by API."""
    shown_docs = col.documents[:STATIC_PAGES * STATIC_PER_PAGE]
    blocks = []
    for start in range(0, len(shown_docs), 5):
        lis = "".join(f'\n  <li>\n<a href="{d.path}" target="_blank" title="{escape(shown_title(d))}">'
                      f'{escape(shown_title(d))}</a>\n<em id="rel_{d.doc_id}"></em>\n'
                      f'<span class="bf-pass">{d.list_date.isoformat()}</span>\n  </li>' for d in shown_docs[start:start + 5])
        blocks.append(f'<div ms-visible="$showStatic({start + 1})">\n<ul>{lis}\n</ul></div>')
    info = ("<script>\n\t\tvar pageChnlInfo={\n\t\t  quickMode:\"动静结合\",\n"
            f"\t\t  maxStaticIndex: {STATIC_PAGES},\n\t\t  classsql: \"\" || \"chnlid={col.number}\",\n"
            f"\t\t  recordCount:'{len(col.documents)}',\n\t\t  sortfield:'-docorderpri,-docreltime',\n"
            f"\t\t  prepage:{STATIC_PER_PAGE},\n\t\t  cache:true\n\t\t}}\n\t</script>\n"
            "<script type=\"text/javascript\">\n require(['list2.trsapi'], function(listModel) {\n  listModel({\n"
            "   quickMode:pageChnlInfo.quickMode, maxStaticIndex: pageChnlInfo.maxStaticIndex,\n"
            "   listArgs: { channelid: SiteInfo.searchId, classsql: pageChnlInfo.classsql,\n"
            "     sortfield: pageChnlInfo.sortfield||'-docorderpri,-docreltime', classcol: 'publishyear', classsort: 0 },\n"
            "   cache: pageChnlInfo.cache||true, listApi: { url: \"/fjdzapp/search\" },\n"
            "   pagebar: { recordCount: pageChnlInfo.recordCount, pgTemp: 'pgBar_pt.html',\n"
            "     prepage: pageChnlInfo.prepage||15, pgCountMode: 'recordCount' }\n  })\n })\n</script>")
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    main = (f'<div class="list_base" ms-controller="list" role="viewlist" des="{escape(col.name)}">{note}'
            f'<div ms-visible="showStatic">{"".join(blocks)}</div>'
            '<div class="page_base" ms-controller="list_pagebar" ms-include-src="pgTemp"></div></div>\n' + info)
    return _frame(portal, col.name, main)


def _jsonly_page(portal: Portal, col: Column) -> str:
    """动态: nothing in the markup; listModel picks classsql with literal if/else on the name."""
    table = ('<dl ms-repeat="list"><dd><span ms-text="$index+1+pageBaseNum"></span>'
             '<a ms-attr-href="el.url" ms-text="el.doctitle"></a><span ms-text="el.fileno"></span>'
             '<span ms-text="el.pubdate"></span><span ms-text="el.docreltime"></span></dd></dl>')
    script = ("<script>\n  require([\"tools\", \"jquery\", \"list2.trsapi\"], function (tools, $, listModel) {\n"
              "    var classsql = \"(parentid,chnlid+=1823,1846)\";//默认区政府文件\n"
              f"    if('{col.name}' == '管委会文件'){{\n\n    }}\n"
              f"    else if ('{col.name}' == '行政规范性文件库') {{\n      classsql = \"chnlid=1882*efftype=02,03\";\n    }}"
              f"else{{\n      classsql= \"\" || \"chnlid={col.number}\";\n    }}\n"
              "    var list = listModel({\n      quickMode: \"动态\",\n      listArgs: {\n        channelid: SiteInfo.searchId,\n"
              "        classsql: classsql,\n        sortfield: \"-pubdate\"\n      },\n"
              f"      pagebar: {{\n        pgTemp: \"pgBar_xxgk.html\",\n        prepage: {JS_PER_PAGE},\n        displayNum: 2\n      }}\n"
              "    });\n  });\n</script>")
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    main = (f'<div ms-controller="list" role="viewlist" des="{escape(col.name)}">{note}{table}'
            '<div class="page_base mar_t_base" ms-controller="list_pagebar" ms-include-src="pgTemp" '
            'ms-if="pageCount>0"></div></div>\n' + script)
    return _frame(portal, col.name, main)


def _li(label: str, value: str | None, bare: bool) -> str:
    if value is None:
        return ""
    inner = escape(value) if bare else f"\n                        <font>{escape(value)}</font>\n"
    return f'<li class="trt-col-12 trt-col-sm-24">\n                      {label}：{inner}</li>\n'


def _detail(portal: Portal, col: Column, doc: Document) -> str:
    v = lambda f: shown(doc, f, DATE_STYLE)  # noqa: E731
    bare = col.template == "bare"
    topic = None if col.template == "putian" else (v("topic") or "无")
    rows = (_li("索&ensp;引&ensp;号", v("index_no"), False) + _li("主题分类", topic, False)
            + _li("发文机关", v("publisher"), False) + _li("成文日期", v("written"), bare)
            + _li("标&ensp;&ensp;&ensp;&ensp;题", shown_title(doc), False) + _li("发文字号", v("doc_no") or "", False)
            + _li("发布日期", v("published"), bare)
            + '<li class="trt-col-12 trt-col-sm-24">有&ensp;效&ensp;性：<em class="red_base">有效</em></li>')
    box = f'<div class="index_box shadow_base pad_base">\n<ul class="trt-row">\n{rows}</ul>\n</div>'
    main = (f'<div class="pad_t_base">{box}<div class="article_title">{escape(shown_title(doc))}</div>'
            f'<div class="TRS_Editor">{body_html(doc)}</div>{attachments_html(doc)}</div>')
    page = _frame(portal, col.name, main)
    meta = (f'<meta name="ArticleTitle" content="{escape(shown_title(doc))}"/>\n'
            f'<meta name="ChnlId" content="{col.number}"/>\n<meta name="DocId" content="{doc.doc_id}"/>\n')
    return page.replace("</head>", meta + "</head>", 1)


def _record(d: Document) -> dict:
    stamp = lambda day: day.strftime("%Y.%m.%d 00:00:00") if day else ""  # noqa: E731
    return {"docid2": d.doc_id, "chnldocurl": d.path, "url": d.path, "doctitle": shown_title(d),
            "idxid": shown(d, "index_no") or "", "fileno": shown(d, "doc_no") or "",
            "puborg": shown(d, "publisher") or "", "pubdate": stamp(d.written or d.list_date),
            "docreltime": d.list_date.strftime("%Y.%m.%d 09:30:00"), "ztcx": "有效", "files": [], "rels": []}


def _search(portal: Portal, form: dict) -> Page:
    one = lambda name: (form.get(name) or [""])[0]  # noqa: E731
    classsql = one("classsql")
    col = next((c for c in portal.columns if classsql == f"chnlid={c.number}"), None)
    if one("channelid") != SEARCH_ID or col is None:
        body = {"error": True, "msg": "参数错误", "data": []}
        return Page(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON_TYPE)
    try:
        page, per = max(int(one("page") or 1), 1), min(max(int(one("prepage") or 15), 1), 500)
    except ValueError:
        page, per = 1, 15
    docs = col.documents
    body = {"error": False, "page": page, "prepage": per, "pageCount": math.ceil(len(docs) / per),
            "recordCount": len(docs), "data": [_record(d) for d in docs[(page - 1) * per:page * per]]}
    return Page(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), JSON_TYPE)


def render(portal: Portal) -> None:
    pages: dict[str, Page] = {}
    put = lambda path, text: pages.__setitem__(path, Page(200, text.encode("utf-8")))  # noqa: E731
    put(ENTRY_PATH, _frame(portal, portal.entry_text, '<div class="zfxxgk_home">政府信息公开</div>'))
    put(GUIDE_PATH, _frame(portal, "政府信息公开指南", "<article><h1>政府信息公开指南</h1>"
                           + "".join(f"<p>{escape(t)}</p>" for t in guide_text(portal)) + "</article>"))
    pages["/images/model.v2.min.js"] = Page(200, b"/* avalon + require */\n", "application/javascript")
    for col in portal.columns:
        if col.template == "putian":          # Putian's box has no 主题分类 row: nothing to read
            for doc in col.documents:
                doc.topic = None
        put(col.path, _static_page(portal, col) if col.paging == "static" else _jsonly_page(portal, col))
        for doc in col.documents:
            put(doc.path, _detail(portal, col, doc))
    finish(portal, pages, newest_news_links(portal))

    portal.dynamic = post_endpoint(SEARCH, lambda form: _search(portal, form))
