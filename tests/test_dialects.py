"""The CMS dialects on real captures (../shared/realpages/more) and on the simulator over HTTP.

Values about real files were read by hand from their markup (see the MANIFEST there).
"""

from __future__ import annotations

import json
from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest

from conftest import REALPAGES, require_shared
from crawler import dialects
from crawler.dialects import fjdzapp, gkmlpt, jpaas
from crawler.paging import PageRequest
from crawler.simulator import SimulatorServer, build_portal
from crawler.simulator import render_gkmlpt, render_jpaas
from _sim_helpers import fetch

MORE = REALPAGES / "more"
PINGTAN = "https://www.pingtan.gov.cn"
JSONLY = "fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html"
STATIC = "fujian-pingtan-trs-avalon-list-static-ghxx-gzjzqk.html"
SANMING = "fujian-sanming-trs-fjdzapp-search-api-szfgz-p001.json"


def _real(name: str) -> str:
    require_shared(MORE)
    return (MORE / name).read_text(encoding="utf-8")


# --- Fujian platform, real captures --------------------------------------------------------

def test_script_only_fujian_column_says_how_its_list_is_fetched():
    url = f"{PINGTAN}/zwgk/zfxxgk/gwhwj/cxjshgldzd/"
    page = dialects.read_page(_real(JSONLY), url)
    assert page.dialect == "fjdzapp" and page.kind == "list" and page.items == []
    [first] = page.paging.next_pages
    assert (first.method, first.url) == ("POST", f"{PINGTAN}/fjdzapp/search")
    form = dict(first.formdata)
    # SiteInfo.searchId 200210; the else branch `classsql= "" || "chnlid=1728"` (the column is
    # neither 管委会文件 nor 行政规范性文件库); listArgs sortfield "-pubdate"; pagebar prepage 10
    assert form["channelid"] == "200210" and form["classsql"] == "chnlid=1728"
    assert form["sortfield"] == "-pubdate" and form["page"] == "1" and form["prepage"] == "10"
    assert "脚本" in page.script_note and "/fjdzapp/search" in page.script_note


def test_fujian_classsql_follows_the_branch_the_page_script_takes():
    html = _real(JSONLY).replace("if ('城乡建设和管理的重大事项' == '行政规范性文件库')",
                                 "if ('行政规范性文件库' == '行政规范性文件库')")
    page = dialects.read_page(html, f"{PINGTAN}/zwgk/zfxxgk/gwhwj/cxjshgldzd/")
    assert dict(page.paging.next_pages[0].formdata)["classsql"] == "chnlid=1882*efftype=02,03"


def test_half_static_fujian_column_gives_its_75_items_and_asks_the_api_for_the_rest():
    url = f"{PINGTAN}/zwgk/ghxx/gzjzqk/"
    page = dialects.read_page(_real(STATIC), url)
    assert len(page.items) == 75
    assert sum(i.url.startswith(url) for i in page.items) == 72        # 3 items link other columns
    first, last = page.items[0], page.items[-1]
    assert first.url == f"{PINGTAN}/zwgk/zdlyxxgk/ssjygk/sjccjg/202511/t20251111_103189.htm"
    assert first.title == "平潭综合实验区社会事业局关于2025年中小学教育装备产品“双随机、一公开”抽查工作情况的通报"
    assert first.date == "2025-11-11"
    assert last.url == f"{url}202104/t20210416_25621.htm" and last.date == "2021-04-16"
    # recordCount '107', prepage 15 → 8 pages; maxStaticIndex 5 pages are in the markup
    assert page.paging.total_records == 107 and page.paging.page_count == 8
    forms = [dict(r.formdata) for r in page.paging.next_pages]
    assert [f["page"] for f in forms] == ["6", "7", "8"]
    assert all(f["classsql"] == "chnlid=1780" and f["prepage"] == "15" and f["channelid"] == "200210"
               and f["sortfield"] == "-docorderpri,-docreltime" for f in forms)


def test_real_fjdzapp_search_answer_is_read():
    request = PageRequest("https://www.sm.gov.cn/fjdzapp/search", "POST", (("page", "1"),), "fjdzapp")
    items, pages = dialects.read_answer("fjdzapp", _real(SANMING), request)
    assert len(items) == 10 and pages.next_pages == []
    assert (pages.page_count, pages.total_records) == (1, 10)
    assert items[0].title == "三明市人民政府关于修改部分规章的决定"
    assert items[0].url == "https://www.sm.gov.cn/smsrmzfbgs/smsrmzf/szfgz/202608/t20260820_2275103.htm"
    assert items[0].date == "2026-08-17"              # docreltime 2026.08.17 15:16:00 (发布)
    assert items[-1].title == "三明市人民政府拟定法规草案和制定规章程序规定"
    assert items[-1].date == "2017-01-24"


def test_first_fjdzapp_answer_asks_for_the_remaining_pages():
    data = json.loads(_real(SANMING))
    data["pageCount"], data["recordCount"] = 3, 25
    request = PageRequest("https://www.sm.gov.cn/fjdzapp/search", "POST",
                          (("channelid", "1"), ("page", "1"), ("prepage", "10")), "fjdzapp")
    _, pages = fjdzapp.read_answer(json.dumps(data, ensure_ascii=False), request)
    assert [dict(r.formdata)["page"] for r in pages.next_pages] == ["2", "3"]


@pytest.mark.parametrize("name", ["fujian-pingtan-trs-avalon-detail-gwhwj-60970.html",
                                  "fujian-pingtan-trs-avalon-detail-dept-czj-63748.html",
                                  "fujian-putian-trs-avalon-detail-gfxwjql-469585.html"])
def test_fujian_detail_pages_are_details_not_lists(name):
    page = dialects.read_page(_real(name), f"{PINGTAN}/zwgk/x/t20160719_60970.htm")
    assert page.kind == "detail" and page.items == []


def test_fujian_gklist_is_the_column_tree_of_17_department_platforms():
    page = dialects.read_page(_real("fujian-pingtan-trs-avalon-detail-dept-czj-63748.html"),
                              f"{PINGTAN}/zwgk/zfxxgk/dfbmptlj/ptzhsyqbm/ptzhsyqczj/fdzdgknr/10qtwjdzjg/201706/t20170616_63748.htm")
    assert len(page.columns) == 235
    assert len({c.name.split(" ")[0] for c in page.columns}) == 17
    assert page.columns[1].name == "平潭综合实验区苏平片区管理局 突发公共事件的应急预案、预警信息及应对情况"
    assert page.columns[1].url == f"{PINGTAN}/zwgk/zfxxgk/dfbmptlj/ptzhsyqpq/ptzhsyqspp/fdzdgknr/tfggsjdyjy/"


# --- gkmlpt and jpaas against the simulator over HTTP --------------------------------------

@pytest.fixture(scope="module")
def served():
    portals = [build_portal("g", "韶岭市人民政府", "gkmlpt", date_(), seed=1,
                            columns=[("gzdt", "工作动态", "news", 150), ("tzgg", "通知公告", "notice", 120)]),
               build_portal("j", "清溪县人民政府", "jpaas", date_(), seed=1,
                            columns=[("gzdt", "工作动态", "news", 40), ("tzgg", "通知公告", "notice", 20)])]
    with SimulatorServer(portals) as server:
        yield server, {p.site_id: p for p in portals}


def date_():
    return date(2026, 11, 21)


def test_gkmlpt_tree_gives_every_leaf_column_with_its_api_request(served):
    server, portals = served
    base = server.base_url("g")
    status, _, body = fetch(base + "gkmlpt/index")
    page = dialects.read_page(body.decode("utf-8"), base + "gkmlpt/index")
    assert page.kind == "directory"
    want = {f"{base}gkmlpt/index#{c.number}": c for c in portals["g"].columns}
    assert {c.url for c in page.columns} == set(want)
    for column in page.columns:
        assert column.request.url.startswith(f"{base}gkmlpt/api/all/{want[column.url].number}?page=1&sid=")
        assert column.post_count == len(want[column.url].documents)


def _gkmlpt_answer(request: PageRequest):
    status, _, body = fetch(request.url)
    return gkmlpt.read_answer(body.decode("utf-8"), request, status)


def test_gkmlpt_both_paging_behaviours_end_where_the_list_ends(served):
    server, portals = served
    base = server.base_url("g")
    for col in portals["g"].columns:
        request = gkmlpt.api_request(base + "gkmlpt/index", col.number, render_gkmlpt.sid(portals["g"]))
        status, _, body = fetch(request.url)
        items, pages = gkmlpt.read_answer(body.decode("utf-8"), request, status)
        later = [_gkmlpt_answer(r) for r in pages.next_pages]
        urls = {i.url for i in items} | {i.url for got, _ in later for i in got}
        assert len(urls) == len(col.documents), col.paging
        if col.paging == "onepage":
            assert pages.next_pages == [] and len(items) == len(col.documents)
            page2 = request.url.replace("page=1", "page=2")
            assert fetch(page2)[0] == 404 and dialects.ends_list("gkmlpt", 404, PageRequest(page2, kind="gkmlpt"))
            assert not dialects.ends_list("gkmlpt", 404, request)      # a missing first page is a failure
            assert gkmlpt.read_answer("", PageRequest(page2, kind="gkmlpt"), 404)[0] == []
        else:   # page 0 and page 1 are the same 100: starting at 1 and de-duplicating loses nothing
            zero = fetch(request.url.replace("page=1", "page=0"))[2]
            assert json.loads(zero)["articles"] == json.loads(body)["articles"]
            assert len(pages.next_pages) == -(-len(col.documents) // 100) - 1


def test_jpaas_pages_only_inside_paramjson_and_with_the_page_s_own_parse_type(served):
    server, portals = served
    base = server.base_url("j")
    col = portals["j"].columns[0]
    status, _, body = fetch(base + col.path.lstrip("/"))
    page = dialects.read_page(body.decode("utf-8"), base + col.path.lstrip("/"))
    [first] = page.paging.next_pages
    query = dict(parse_qsl(urlsplit(first.url).query))
    assert query["parseType"] == render_jpaas.parse_type(col)
    assert json.loads(query["paramJson"]) == {"pageNo": 1, "pageSize": 15}
    items, pages = jpaas.read_answer(fetch(first.url)[2].decode(), first, 200)
    assert [i.url for i in items] == [base.rstrip("/") + d.path for d in col.documents[:15]]
    nxt = pages.next_pages[0]
    assert json.loads(dict(parse_qsl(urlsplit(nxt.url).query))["paramJson"])["pageNo"] == 2
    # the trap: a bare pageNo is ignored and page 1 comes back
    bare = first.url + "&pageNo=2"
    again, _ = jpaas.read_answer(fetch(bare)[2].decode(), first, 200)
    assert again == items
    # the other spelling of parseType is refused by this column
    other = "buildstatic" if query["parseType"] == "bulidstatic" else "bulidstatic"
    wrong = first.url.replace(f"parseType={query['parseType']}", f"parseType={other}")
    assert jpaas.read_answer(fetch(wrong)[2].decode(), first, 200)[0] == []


def test_jpaas_stops_when_a_page_brings_nothing_new():
    answer = json.dumps({"data": {"html": '<ul><li><a href="/art/2024/1/5/art_1_2.html">通知一</a>'
                                          '<span>2024-01-05</span></li></ul>'}})
    request = PageRequest('http://x.gov.cn/api?paramJson={"pageNo":3,"pageSize":1}', kind="jpaas")
    items, pages = jpaas.read_answer(answer, request, 200, known={"http://x.gov.cn/art/2024/1/5/art_1_2.html"})
    assert len(items) == 1 and pages.next_pages == []


@pytest.mark.parametrize("kind,answer", [
    ("fjdzapp", '{"error": true, "msg": "参数错误", "data": []}'),
    ("fjdzapp", "<html>502 Bad Gateway</html>"),
    ("jpaas", '{"success": false, "code": 500, "message": "解析类型错误", "data": null}'),
    ("gkmlpt", '{"error": "not found"}'),
])
def test_an_error_answer_is_a_problem_not_an_empty_list(kind, answer):
    assert dialects.answer_problem(kind, answer)


def test_real_and_empty_answers_are_no_problem():
    assert dialects.answer_problem("fjdzapp", _real(SANMING)) is None
    assert dialects.answer_problem("fjdzapp", '{"error": false, "page": 1, "pageCount": 0, "data": []}') is None
    assert dialects.answer_problem("gkmlpt", '{"classify": {"post_count": 0}, "articles": []}') is None
    assert dialects.answer_problem("jpaas", '{"data": {"html": ""}}') is None


def test_inspect_shows_the_gkmlpt_column_tree_and_how_each_list_is_fetched(served, xxgk):
    server, portals = served
    base = server.base_url("g")
    result = json.loads(xxgk("inspect", base + "gkmlpt/index", "--format", "json", check=True).stdout)
    assert result["kind"] == "directory" and result["dialect"] == "gkmlpt"
    assert "window._CONFIG.TREE" in result["script_list"]
    by_url = {c["url"]: c for c in result["columns"]}
    for col in portals["g"].columns:
        shown = by_url[f"{base}gkmlpt/index#{col.number}"]
        assert shown["name"] == col.name and shown["post_count"] == len(col.documents)
        assert shown["request"].startswith(f"{base}gkmlpt/api/all/{col.number}?page=1&sid=")


def test_dahan_search_fields_are_also_read_from_the_posted_js_object():
    # the field values zj.gov.cn's search takes (as public crawlers send them), posted from a JS object
    html = ("<div id='div1229498488'></div><script>$.post('/module/xxgk/search.jsp', {infotypeId: 'A0212', "
            "jdid: '3096', area: '', divid: 'div1229498488', sortfield: ',createdatetime:0,orderid:0', "
            "currpage: 1}, function (d) { $('#div1229498488').html(d); });</script>")
    page = dialects.read_page(html, "http://www.zj.gov.cn/col/col1229005922/index.html")
    [first] = page.paging.next_pages
    assert (first.method, first.url) == ("POST", "http://www.zj.gov.cn/module/xxgk/search.jsp")
    assert dict(first.formdata) == {"infotypeId": "A0212", "jdid": "3096", "area": "", "divid": "div1229498488",
                                    "sortfield": ",createdatetime:0,orderid:0", "currpage": "1"}
    answer = ('<table><tr class="tr_main_value_odd"><td>1</td><td><a href="/art/2024/1/5/art_1229_1.html" '
              'title="关于印发某办法的通知">关于印发某办法的通知</a></td><td>2024-01-05</td></tr></table>'
              "<table><tr><td>&nbsp;&nbsp;共3页&nbsp;&nbsp;共31条</td></tr></table>")
    items, pages = dialects.read_answer("dahan_xxgk", answer, first)
    assert [i.title for i in items] == ["关于印发某办法的通知"] and items[0].date == "2024-01-05"
    assert [dict(r.formdata)["currpage"] for r in pages.next_pages] == ["2", "3"]
    assert (pages.page_count, pages.total_records) == (3, 31)
