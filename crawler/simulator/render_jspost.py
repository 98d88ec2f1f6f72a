"""JS-POST family: the list comes from a POSTed JSON body built by an external script file.

The column page carries only configuration — ``<div id="gkList" data-chnl="1728" data-size="12">``
— and ``<script src="/static/js/gk-list.js">``. That file reads the attributes and POSTs
``{"channelId": 1728, "pageNo": p, "pageSize": 12, "sortField": "-pubdate"}`` as
``application/json`` to ``/api/gk/search``, the way the Fujian provincial platform's
``list2.trsapi`` module asks ``/fjdzapp/search`` for a channel (``channelid: SiteInfo.searchId``,
``sortfield: "-pubdate"``, ``prepage: 10`` in 福建平潭's column page). The answer copies the real
fjdzapp answer's keys (三明 ``szfgz`` page 1 in ../shared/realpages/more): ``{"error": false,
"page": 1, "prepage": 12, "pageCount": …, "recordCount": …, "data": [{"docid2", "doctitle",
"url", "chnldocurl", "docreltime": "2026.08.17 15:16:00", "fileno", "idxid", "puborg"}]}``.
A GET, a form body or a missing channel answers ``{"error": true}`` as such APIs do.
"""

from __future__ import annotations

import json
from html import escape

from . import render_jsonapi as base
from .fields import shown, shown_title
from .model import Column, Document, Page, Portal
from .render_jsfetch import serve_pages

ENTRY_PATH = "/zfxxgk/"
GUIDE_PATH = base.GUIDE_PATH        # the shared frame links it there
DATE_STYLE = "iso"
WRITTEN_ALWAYS = False
PER_PAGE = 12
API_PATH = "/api/gk/search"
SCRIPT_PATH = "/static/js/gk-list.js"

LIST_JS = r"""(function () {
  var box = document.getElementById('gkList');
  if (!box) { return; }
  var chnl = parseInt(box.getAttribute('data-chnl'), 10);
  var size = parseInt(box.getAttribute('data-size') || '10', 10);
  function load(p) {
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/gk/search');
    xhr.setRequestHeader('Content-Type', 'application/json;charset=UTF-8');
    xhr.onload = function () {
      var res = JSON.parse(xhr.responseText), html = '';
      if (res.error) { box.innerHTML = '<p class="dataNull">暂无数据</p>'; return; }
      for (var i = 0; i < res.data.length; i++) {
        var el = res.data[i];
        html += '<dl><dd class="list_doctitle"><a href="' + el.chnldocurl + '" title="' + el.doctitle + '">'
              + el.doctitle + '</a></dd><dd>' + el.fileno + '</dd><dd>' + el.docreltime.substring(0, 10).replace(/\./g, '-') + '</dd></dl>';
      }
      box.innerHTML = html;
      var pg = document.getElementById('gkPager'), links = '';
      for (var k = 1; k <= res.pageCount; k++) {
        links += k == res.page ? '<span class="on">' + k + '</span>' : '<a href="javascript:;" data-page="' + k + '">' + k + '</a>';
      }
      pg.innerHTML = links;
      var as = pg.getElementsByTagName('a');
      for (var j = 0; j < as.length; j++) {
        as[j].onclick = function () { load(parseInt(this.getAttribute('data-page'), 10)); };
      }
    };
    xhr.send(JSON.stringify({channelId: chnl, pageNo: p, pageSize: size, sortField: '-pubdate'}));
  }
  load(1);
})();
"""


def setup(portal: Portal, rng) -> None:
    portal.entry_path, portal.guide_path = ENTRY_PATH, GUIDE_PATH
    for i, col in enumerate(portal.columns):
        col.number = 1700 + 23 * i
        col.path = f"/zfxxgk/{col.key}/"
        col.template = "li" if i % 2 else "dl"


def doc_path(col: Column, doc: Document) -> str:
    d = doc.list_date
    return f"/zfxxgk/{col.key}/{d:%Y%m}/t{d:%Y%m%d}_{doc.doc_id}.htm"


def attachment_path(col: Column, doc: Document, n: int) -> str:
    return f"/zfxxgk/{col.key}/{doc.list_date:%Y%m}/P0{doc.doc_id}{n}.pdf"


def _column_page(portal: Portal, col: Column) -> str:
    note = f'<div class="empty-tip">{col.empty_note}</div>' if col.empty_note else ""
    main = (f'<h2 class="col-title">{escape(col.name)}</h2>{note}'
            f'<div class="rules_tabs_01" id="gkList" data-chnl="{col.number}" data-size="{PER_PAGE}"></div>'
            f'<div class="page_base" id="gkPager"></div>\n<script src="{SCRIPT_PATH}"></script>')
    return base._frame(portal, col.name, main)


def _stamp(d) -> str:
    return f"{d:%Y.%m.%d} 09:30:00" if d else ""


def _api(portal: Portal, method: str, form: dict) -> Page:
    def answer(obj) -> Page:
        return Page(200, json.dumps(obj, ensure_ascii=False).encode("utf-8"), base.JSON_TYPE)

    try:
        body = json.loads((form.get("_json") or [""])[0]) if method == "POST" else None
        chnl, page = int(body["channelId"]), max(int(body.get("pageNo", 1)), 1)
        size = min(max(int(body.get("pageSize", 10)), 1), 100)
    except (ValueError, TypeError, KeyError):
        return answer({"error": True, "msg": "参数错误"})
    col = next((c for c in portal.columns if c.number == chnl), None)
    if col is None:
        return answer({"error": True, "msg": "栏目不存在"})
    total = len(col.documents)
    rows = [{"docid2": d.doc_id, "doctitle": shown_title(d), "url": d.path, "chnldocurl": d.path,
             "docreltime": _stamp(d.list_date), "fileno": shown(d, "doc_no") or "", "idxid": shown(d, "index_no") or "",
             "puborg": shown(d, "publisher") or "", "chnl": col.name}
            for d in col.documents[(page - 1) * size:page * size]]
    return answer({"error": False, "page": page, "prepage": size, "pageCount": -(-total // size),
                   "recordCount": total, "data": rows})


def render(portal: Portal) -> None:
    serve_pages(portal, _column_page,
                {SCRIPT_PATH: Page(200, LIST_JS.encode("utf-8"), "application/javascript")})

    def dynamic(method: str, path: str, query: dict, form: dict) -> Page | None:
        return _api(portal, method, form) if path == API_PATH else None

    portal.dynamic = dynamic
