"""Further pages of a list (crawler/paging.py): TRS, Hanweb dataproxy, JSON API, plain links."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from crawler.paging import (MAX_PAGES, PageRequest, Paging, dataproxy_followup, find_paging,
                            parse_dataproxy, parse_json_list)

LISTS = {
    "neimenggu-ordos-egb-trs-annual-report-list.html": "http://egb.ordos.gov.cn/xxgk/xxgknb/",
    "hebei-handan-trs-list-countPage.html": "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/index.html",
}


# --- real pages ------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(LISTS))
def test_real_trs_lists_match_expected(realpages, name):
    exp = json.loads((realpages / "expected.json").read_text(encoding="utf-8"))["list"][name]
    url = LISTS[name]
    paging = find_paging((realpages / name).read_text(encoding="utf-8"), url)
    assert paging.page_count == exp["page_count"]
    assert paging.next_pages[0] == PageRequest(urljoin(url, exp["next_page"]))
    assert paging.total_records == exp.get("total_records")
    # every further page at once, so the spider can fetch them concurrently
    assert [p.url for p in paging.next_pages] == [
        urljoin(url, f"index_{i}.html") for i in range(1, exp["page_count"])]


@pytest.mark.parametrize("name", ["hebei-handan-trs-detail.html", "hebei-handan-trs-xxgk-home.html",
                                  "jiangxi-sthjt-col-list-embedded-json-handlebars.html"])
def test_real_pages_without_paging(realpages, name):
    paging = find_paging((realpages / name).read_text(encoding="utf-8"), "http://x.gov.cn/a/")
    assert paging.next_pages == []
    # "《办法》共19条" in an embedded article is no record count
    assert paging.total_records is None


def test_hanweb_dataproxy_excerpt(realpages):
    xml = (realpages / "gansu-dingxi-hanweb-dataproxy-datastore-EXCERPT.xml").read_text(encoding="utf-8")
    items, total = parse_dataproxy(xml, "http://www.dingxi.gov.cn/module/web/jpage/dataproxy.jsp")
    assert len(items) == 12 and total is None
    assert items[1].title.endswith("整改完成情况的公示")
    # a partial first group (12 < 45) is the whole list: nothing more to ask for
    assert find_paging(xml, "http://www.dingxi.gov.cn/col/col12377/index.html").next_pages == []


# --- TRS -------------------------------------------------------------------------------------

def trs_page(script: str) -> str:
    return f"<html><body><ul><li><a href='./202401/t20240105_1.html'>甲</a><span>2024-01-05</span></li></ul>" \
           f"<div class='page'><script>{script}</script></div></body></html>"


def test_trs_create_page_html_with_variables():
    html = trs_page('var countPage = 4//共多少页\nvar currentPage = 0;\nvar countnum = 70;\n'
                    'createPageHTML(countPage, currentPage, "index", "html");')
    p = find_paging(html, "http://a.gov.cn/xxgk/gzdt/")
    assert [r.url for r in p.next_pages] == [f"http://a.gov.cn/xxgk/gzdt/index_{i}.html" for i in (1, 2, 3)]
    assert (p.page_count, p.total_records) == (4, 70)


def test_trs_create_page_html_second_signature_is_one_based():
    # csrc.gov.cn writes createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89) on fg.shtml (page 1);
    # its script links page k >= 2 as fg_k.shtml and 末页 as fg_5.shtml
    html = trs_page("createPageHTML('page_div', 5, 1, 'fg', 'shtml', 89);")
    p = find_paging(html, "http://www.csrc.gov.cn/csrc/c106256/fg.shtml")
    assert [r.url for r in p.next_pages] == [f"http://www.csrc.gov.cn/csrc/c106256/fg_{k}.shtml" for k in (2, 3, 4, 5)]
    assert (p.page_count, p.total_records) == (5, 89)


def test_trs_second_signature_later_page_links_page_one_and_last():
    # kunshan: createPageHTML('page_div',22,1,'common_list','shtml',325); here we stand on page 3
    html = trs_page("createPageHTML('page_div',22,3,'common_list','shtml',325);")
    p = find_paging(html, "http://www.ks.gov.cn/kss/cjgg/common_list_3.shtml")
    urls = [r.url for r in p.next_pages]
    assert urls[0] == "http://www.ks.gov.cn/kss/cjgg/common_list.shtml"
    assert urls[-1] == "http://www.ks.gov.cn/kss/cjgg/common_list_22.shtml"
    assert "http://www.ks.gov.cn/kss/cjgg/common_list_3.shtml" not in urls
    assert "http://www.ks.gov.cn/kss/cjgg/common_list_1.shtml" not in urls
    assert len(urls) == 21


def test_trs_later_page_never_returns_itself():
    html = trs_page("createPageHTML(5, 2, 'index', 'html');")
    p = find_paging(html, "http://a.gov.cn/xxgk/gzdt/index_2.html")
    urls = [r.url for r in p.next_pages]
    assert "http://a.gov.cn/xxgk/gzdt/index_2.html" not in urls
    assert "http://a.gov.cn/xxgk/gzdt/index_4.html" in urls


def test_absurd_count_page_is_capped():
    html = trs_page("var currentPage=0; var countPage=99999; document.write('index'+'_'+1+'.html');")
    p = find_paging(html, "http://a.gov.cn/rili/")
    assert p.page_count == MAX_PAGES == 500
    assert len(p.next_pages) == MAX_PAGES - 1


# --- Hanweb ----------------------------------------------------------------------------------

NEXTGROUP = ("/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=12&path=/&columnid=123&unitid=45678"
             "&webname=%E6%9D%BE%E5%B2%AD&permissiontype=0&col=1")


def hanweb_page(n_records: int, *, totalrecord: int | None, init_total: int | None = None) -> str:
    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2024/1/{1 + i % 28}/art_123_{1000 + i}.html" '
        f'title="第{i}号文件全文标题">第{i}号文件...</a> <b>2024-01-{1 + i % 28:02d}</b></li>]]></record>'
        for i in range(n_records))
    total = f"<totalrecord>{totalrecord}</totalrecord>" if totalrecord is not None else ""
    init = (f"totalRecord: {init_total}, " if init_total is not None else "")
    return (f'<html><body><div id="45678"><script type="text/xml"><datastore>'
            f'<nextgroup><![CDATA[<a href="{NEXTGROUP}"></a>]]></nextgroup>{total}'
            f'<recordset>{records}</recordset></datastore></script></div>'
            f"<script>$('#45678').jpage({{dataStore: dataStore, proxyUrl: '/module/web/jpage/dataproxy.jsp', "
            f"perPage: 15, {init}groupSize: 3, barPosition: 'bottom'}});</script></body></html>")


def test_hanweb_all_remaining_groups_as_posts():
    p = find_paging(hanweb_page(45, totalrecord=120), "http://www.sl.gov.cn/col/col123/index.html")
    assert (p.page_count, p.total_records) == (8, 120)
    assert [r.url for r in p.next_pages] == [
        "http://www.sl.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15",
        "http://www.sl.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=91&endrecord=120&perpage=15"]
    first = p.next_pages[0]
    assert (first.method, first.kind) == ("POST", "dataproxy")
    form = dict(first.formdata)
    # the nextgroup query, decoded once (the spider urlencodes it again as the POST body)
    assert form == {"appid": "1", "webid": "12", "path": "/", "columnid": "123", "unitid": "45678",
                    "webname": "松岭", "permissiontype": "0", "col": "1"}
    assert "page" not in form


def test_hanweb_total_from_jpage_init_only():
    p = find_paging(hanweb_page(45, totalrecord=None, init_total=50), "http://www.sl.gov.cn/col/col123/")
    assert p.total_records == 50 and p.page_count == 4
    assert [parse_qs(urlsplit(r.url).query)["startrecord"] for r in p.next_pages] == [["46"]]


def test_hanweb_unknown_total_asks_for_next_group_only():
    p = find_paging(hanweb_page(45, totalrecord=None), "http://www.sl.gov.cn/col/col123/")
    assert p.total_records is None
    assert [r.url.split("?")[1] for r in p.next_pages] == ["startrecord=46&endrecord=90&perpage=15"]
    follow = dataproxy_followup(p.next_pages[0], 45, None)
    assert [r.url.split("?")[1] for r in follow] == ["startrecord=91&endrecord=135&perpage=15"]
    assert follow[0].formdata == p.next_pages[0].formdata
    assert dataproxy_followup(p.next_pages[0], 12, None) == []       # a short group is the last


def test_parse_dataproxy_answer_with_total():
    xml = ('<?xml version="1.0" encoding="UTF-8"?><datastore><totalrecord>120</totalrecord><recordset>'
           '<record><![CDATA[<li><a href="/art/2023/5/6/art_123_99.html" title="完整标题">完整...</a>'
           '<b>2023-05-06</b></li>]]></record></recordset></datastore>')
    items, total = parse_dataproxy(xml, "http://www.sl.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=46")
    assert total == 120
    assert [(i.url, i.title, i.date) for i in items] == [
        ("http://www.sl.gov.cn/art/2023/5/6/art_123_99.html", "完整标题", "2023-05-06")]


# --- JSON API --------------------------------------------------------------------------------

JS_PAGES = {
    "ajax": '$.ajax({url: "/api/list", type: "GET", data: {col: "tzgg", page: 1, size: 15}, '
            'dataType: "json", success: renderList});',
    "getjson": '$.getJSON("/api/list", {col: "tzgg", page: 1, size: 15}, renderList);',
    "fetch": 'fetch("/api/list?col=tzgg&page=1&size=15").then(r => r.json()).then(renderList);',
}


@pytest.mark.parametrize("style", sorted(JS_PAGES))
def test_json_api_first_page_request(style):
    html = f'<html><body><ul id="list"></ul><script>{JS_PAGES[style]}</script></body></html>'
    p = find_paging(html, "http://127.0.0.1:8003/xxgk/tzgg/")
    assert len(p.next_pages) == 1
    req = p.next_pages[0]
    assert req.kind == "json" and req.method == "GET"
    parts = urlsplit(req.url)
    assert (parts.netloc, parts.path) == ("127.0.0.1:8003", "/api/list")
    assert parse_qs(parts.query) == {"col": ["tzgg"], "page": ["1"], "size": ["15"]}


def test_ajax_hit_counter_is_not_a_list_api():
    html = '<script>$.ajax({url: "/visit/count.jsp", type: "POST", data: {id: 5}});</script>'
    assert find_paging(html, "http://a.gov.cn/").next_pages == []


def api_answer(page: int, pages=3, total=37, size=15, n=15) -> str:
    return json.dumps({"code": 0, "data": {"total": total, "page": page, "pages": pages, "size": size, "list": [
        {"title": f"通知{page}-{i}", "url": f"/xxgk/tzgg/202401/t2024010{1 + i % 9}_{page}{i}.html",
         "pubDate": f"2024-01-0{1 + i % 9}"} for i in range(n)]}}, ensure_ascii=False)


def test_parse_json_list_items_and_other_pages():
    url = "http://127.0.0.1:8003/api/list?col=tzgg&page=1&size=15"
    items, p = parse_json_list(api_answer(1), url)
    assert len(items) == 15 and items[0].title == "通知1-0" and items[0].date == "2024-01-01"
    assert items[0].url == "http://127.0.0.1:8003/xxgk/tzgg/202401/t20240101_10.html"
    assert (p.page_count, p.total_records) == (3, 37)
    assert [parse_qs(urlsplit(r.url).query) for r in p.next_pages] == [
        {"col": ["tzgg"], "page": [str(n)], "size": ["15"]} for n in (2, 3)]
    assert all(r.kind == "json" for r in p.next_pages)
    # the last page asks for nothing more
    assert parse_json_list(api_answer(3, n=7), url.replace("page=1", "page=3"))[1].next_pages == []


def test_parse_json_list_page_count_from_total_and_other_param_names():
    body = json.dumps({"rows": [{"name": "甲", "link": "/a/t20240101_1.html", "date": "2024-01-01"}],
                       "totalCount": 45, "pageSize": 20})
    _, p = parse_json_list(body, "http://a.gov.cn/list.do?pageNo=1")
    assert p.page_count == 3
    assert [r.url for r in p.next_pages] == ["http://a.gov.cn/list.do?pageNo=2", "http://a.gov.cn/list.do?pageNo=3"]


def test_parse_json_list_unknown_count_full_page_asks_next_only_and_bad_json():
    body = json.dumps({"list": [{"title": str(i), "url": f"/t{i}.html"} for i in range(10)], "size": 10})
    _, p = parse_json_list(body, "http://a.gov.cn/api?p=4")
    assert [r.url for r in p.next_pages] == ["http://a.gov.cn/api?p=5"]
    items, p = parse_json_list("<html>502 Bad Gateway</html>", "http://a.gov.cn/api?page=1")
    assert items == [] and p == Paging([], None, None)


# --- plain links -----------------------------------------------------------------------------

def test_next_link_query_style_and_previous_is_not_next():
    html = ('<div class="page"><a href="?page=1">首页</a><a href="?page=1">上一页</a>'
            '<a href="?page=2">1</a><a href="?page=3">下一页</a></div>')
    p = find_paging(html, "http://a.gov.cn/news/list.php?page=2")
    assert [r.url for r in p.next_pages] == ["http://a.gov.cn/news/list.php?page=3"]


def test_only_previous_and_first_links_give_nothing():
    html = '<a href="list_1.htm">首页</a> <a href="list_3.htm">上一页</a> <a href="list_4.htm">下一页</a>'
    # on the last page the 下一页 link points at the page itself
    assert find_paging(html, "http://a.gov.cn/old/list_4.htm").next_pages == []


def test_legacy_list_pages_enumerated_from_last_link_and_traditional_text():
    html = ('<p>共 120 條 共6頁 <a href="list_2.htm">下一頁</a> <a href="list_6.htm">尾頁</a></p>')
    p = find_paging(html, "http://a.gov.cn/old/list.htm")
    assert [r.url for r in p.next_pages] == [f"http://a.gov.cn/old/list_{i}.htm" for i in range(2, 7)]
    assert p.page_count == 6 and p.total_records == 120


def test_symbol_next_link_and_javascript_ignored():
    html = '<a href="javascript:goPage(2)">下一页</a> <a href="/x/p/3/">&gt;</a>'
    assert [r.url for r in find_paging(html, "http://a.gov.cn/x/p/2/").next_pages] == ["http://a.gov.cn/x/p/3/"]


def test_no_paging_on_nav_only_page_and_garbage():
    assert find_paging("<a href='/'>首页</a><a href='/xxgk/'>信息公开</a>", "http://a.gov.cn/").next_pages == []
    assert find_paging("", "http://a.gov.cn/") == Paging([], None, None)
    assert find_paging("\x00<<<", "http://a.gov.cn/").next_pages == []


# --- the simulator's four CMS families, walked offline through every extractor ---------------

@pytest.mark.parametrize("cms", ["trs", "hanweb", "legacy", "jsonapi"])
def test_simulated_portal_columns_items_and_pages_match_truth(cms):
    """Entry → columns → every list page (html, dataproxy POST, JSON) of a simulated portal,
    served by the simulator's pure ``respond`` (no sockets), against its ground truth."""
    from datetime import date

    try:
        from crawler.simulator.generate import build_portal
        from crawler.simulator.server import respond
        from crawler.simulator.truth import truth_dict
    except ImportError as exc:          # pragma: no cover - the simulator ships with the repo
        pytest.skip(f"simulator not importable: {exc}")
    from w3lib.encoding import html_to_unicode

    from crawler import discover, listing

    base = "http://127.0.0.1:9"
    portal = build_portal(f"s{cms}", "松岭区人民政府", cms, date(2026, 11, 21),
                          defects=["column_explained_empty", "column_empty"], trap=True)
    truth = truth_dict(portal, base)

    def get(req: PageRequest) -> str:
        parts = urlsplit(req.url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        form = {k: [v] for k, v in req.formdata} if req.formdata else None
        page = respond(portal, req.method, target, form)
        assert page.status == 200, req
        return html_to_unicode(page.content_type or "", page.body)[1]

    entry = discover.find_entry(get(PageRequest(base + "/")), base + "/")
    assert entry == truth["entry"]
    directory = get(PageRequest(entry))
    assert discover.classify_page(directory, entry) == "directory"
    columns = {c.url: c for c in discover.find_columns(directory, entry)}
    for col in truth["columns"]:
        assert columns[col["url"]].name == col["name"]
        html = get(PageRequest(col["url"]))
        items = listing.extract_items(html, col["url"])
        queue, seen = list(find_paging(html, col["url"]).next_pages), set()
        while queue:
            req = queue.pop(0)
            if req in seen:
                continue
            seen.add(req)
            body = get(req)
            if req.kind == "dataproxy":
                items += parse_dataproxy(body, req.url)[0]
            elif req.kind == "json":
                found, more = parse_json_list(body, req.url)
                items += found
                queue += more.next_pages
            else:
                items += listing.extract_items(body, req.url)
                queue += find_paging(body, req.url).next_pages
        assert len({i.url for i in items}) == col["item_count"], col["name"]
        assert max((i.date for i in items if i.date), default=None) == col["latest_date"], col["name"]
        if not items:
            assert discover.explained_empty_note(html) == col["empty_note"], col["name"]
        # every listed title and list date as the truth has them (broken links are listed too)
        docs = {d["url"]: d for d in truth["documents"] if d["column_url"] == col["url"]}
        for item in items:
            if item.url in docs:
                assert (item.title, item.date) == (docs[item.url]["title"], docs[item.url]["list_date"])
