"""From what a browser saw to the list request and its page field (pure)."""

from __future__ import annotations

import json

from crawler.render.engine import Exchange, RenderResult
from crawler.render.learn import find_list, shape_of

PAGE = "http://gk.example.gov.cn/xxgk/tzgg/index.html"


def _ex(method, url, body, answer, *, rtype=None, ctype="application/json; charset=utf-8"):
    return Exchange(method=method, url=url, resource_type="xhr", request_body=body, request_type=rtype,
                    status=200, content_type=ctype, body=json.dumps(answer, ensure_ascii=False))


FJ_ANSWER = {"error": False, "page": 1, "prepage": 2, "pageCount": 3, "recordCount": 5, "data": [
    {"doctitle": "三明市人民政府关于修改部分规章的决定", "url": "/szfgz/202608/t20260820_2275103.htm",
     "docreltime": "2026.08.17 15:16:00"},
    {"doctitle": "三明市人民政府办公室关于印发某办法的通知", "url": "/szfgz/202607/t20260701_2270001.htm",
     "docreltime": "2026.07.01 09:00:00"}]}


def test_post_json_body_page_field_is_changed_for_page_two():
    body = '{"channelId":1728,"pageNo":1,"pageSize":2,"sortField":"-pubdate"}'
    result = RenderResult(url=PAGE, exchanges=[
        _ex("GET", "http://gk.example.gov.cn/api/hits?id=3", None, {"hits": 12}),
        _ex("POST", "http://gk.example.gov.cn/api/gk/search", body, FJ_ANSWER, rtype="application/json")])
    found = find_list(result)
    assert [i.date for i in found.items] == ["2026-08-17", "2026-07-01"]
    assert found.shape.page_at == ("json", "pageNo") and found.shape.page_value == 1
    assert found.shape.next_pages(found.facts, len(found.items)) == [2, 3]
    method, url, sent, headers = found.shape.request(3)
    assert (method, url) == ("POST", "http://gk.example.gov.cn/api/gk/search")
    assert json.loads(sent) == {"channelId": 1728, "pageNo": 3, "pageSize": 2, "sortField": "-pubdate"}
    assert headers["Content-Type"].startswith("application/json")


def test_page_inside_a_json_query_value_and_zero_based_pages():
    # jpaas: paramJson={"pageNo":0,"pageSize":2} — a bare pageNo would be ignored by the server
    url = "http://gk.example.gov.cn/api-gateway/unit?webId=3&paramJson=%7B%22pageNo%22%3A0%2C%22pageSize%22%3A2%7D"
    ex = _ex("GET", url, None, {"data": {"total": 5, "list": [
        {"title": "甲文件", "url": "/art/2024/1/5/art_1_1.html", "pubDate": "2024-01-05"}]}})
    shape = shape_of(ex, "json")
    assert shape.page_at == ("query", "paramJson", "pageNo") and shape.page_value == 0
    assert "%22pageNo%22%3A2" in shape.request(2)[1]
    assert shape.next_pages({"pages": 3}, 2) == [1, 2]


def test_unknown_page_count_asks_for_the_next_page_only_while_pages_are_full():
    shape = shape_of(_ex("GET", "http://a.gov.cn/api/list?col=x&page=4", None, {}), "json")
    assert shape.next_pages({"size": 10}, 10) == [5]
    assert shape.next_pages({"size": 10}, 7) == []


def test_an_answer_that_states_zero_records_is_an_empty_list_not_a_failure():
    result = RenderResult(url=PAGE, exchanges=[
        _ex("GET", "http://gk.example.gov.cn/api/xxgk/list?col=zdwj&page=1", None,
            {"code": 200, "data": {"records": [], "total": 0, "pages": 0}})])
    found = find_list(result)
    assert found.declared_empty and found.items == []
    assert find_list(RenderResult(url=PAGE, exchanges=[])) is None


NAV = ('<ul class="nav"><li><a href="/xxgk/gzdt/index.html">工作动态</a></li>'
       '<li><a href="/xxgk/tzgg/index.html">通知公告</a></li><li><a href="/xxgk/zcwj/index.html">政策文件</a></li></ul>')


def _column_page(key: str) -> str:
    return (f"<html><body>{NAV}<ul id='docList'></ul><script>var API = '/api/xxgk/list';\nvar c = '{key}';\n"
            "fetch(API + '?col=' + c + '&page=' + 1);</script></body></html>")


def test_a_learned_request_is_carried_to_the_other_columns_of_the_portal():
    shape = shape_of(_ex("GET", "http://a.gov.cn/api/xxgk/list?col=tzgg&page=1", None, {}), "json")
    bound = shape.bind(_column_page("tzgg"), "http://a.gov.cn/xxgk/tzgg/index.html")
    # the nav links name every column on every page: the spot is the script's var c = '…'
    assert [a[2].endswith("var c = '") for a in bound.anchors] == [True]
    other = bound.for_column(_column_page("zcwj"), "http://a.gov.cn/xxgk/zcwj/index.html")
    assert other.request(1)[1] == "http://a.gov.cn/api/xxgk/list?col=zcwj&page=1"
    # a page whose script names nothing column-specific gets no borrowed request
    assert bound.for_column(NAV, "http://a.gov.cn/xxgk/x/") is None
    assert bound.for_column(_column_page("tzgg"), "http://a.gov.cn/xxgk/tzgg/index.html") is None


def test_data_attribute_binding_keeps_the_json_number_type():
    body = '{"channelId":1723,"pageNo":1,"pageSize":12}'
    shape = shape_of(_ex("POST", "http://a.gov.cn/api/gk/search", body, {}, rtype="application/json"), "json")
    page = '<div id="gkList" data-chnl="{}" data-size="12"></div><script src="/static/js/gk-list.js"></script>'
    bound = shape.bind(page.format(1723), "http://a.gov.cn/zfxxgk/gzdt/")
    other = bound.for_column(page.format(1746), "http://a.gov.cn/zfxxgk/tzgg/")
    assert json.loads(other.request(2)[2]) == {"channelId": 1746, "pageNo": 2, "pageSize": 12}
