"""`xxgk inspect` reads every real capture in ../shared/realpages and ../shared/realpages/more
without a traceback: list pages give their items and paging (or, for a script-only list, how it
is fetched), detail pages their metadata. Values were read by hand from the markup.

The two ``*-CLONE.html`` files are doctored copies (see the MANIFESTs): they are read like any
page, and only their template metadata — not their body text — is relied on elsewhere.
"""

from __future__ import annotations

import json

import pytest

from conftest import REALPAGES, require_shared

pytestmark = pytest.mark.realpages

#: page kind of every capture, by hand (the 指南 is a content page, neither list nor detail)
KINDS = {
    "gansu-dingxi-hanweb-dataproxy-datastore-EXCERPT.xml": "list",
    "gov-cn-gongbao-article.html": "detail",
    "gov-cn-zhengce-content-guofa-2019-5-fragment.html": "detail",
    "gov-cn-zhengce-content-guoling-707-fragment.html": "detail",
    "gov-cn-zhengce-content-joint-1996-fragment.html": "detail",
    "hebei-handan-trs-detail.html": "detail",
    "hebei-handan-trs-gkzn-guide.html": "other",
    "hebei-handan-trs-list-countPage.html": "list",
    "hebei-handan-trs-xxgk-home.html": "directory",
    "jiangxi-sthjt-col-list-embedded-json-handlebars.html": "list",
    "neimenggu-ordos-egb-trs-annual-report-list.html": "list",
    "shanghai-wsjkw-detail-suoquhao-CLONE.html": "detail",
    "shanxi-gov-portal-article.html": "detail",
    "zhejiang-fgw-hanweb-jcms-article.html": "detail",
    "zhejiang-jyt-detail-xxgk-table-CLONE.html": "detail",
    "more/fujian-pingtan-trs-avalon-detail-dept-czj-63748.html": "detail",
    "more/fujian-pingtan-trs-avalon-detail-gwhwj-60970.html": "detail",
    "more/fujian-putian-trs-avalon-detail-gfxwjql-469585.html": "detail",
    "more/fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html": "list",
    "more/fujian-pingtan-trs-avalon-list-static-ghxx-gzjzqk.html": "list",
    "more/fujian-sanming-trs-fjdzapp-search-api-szfgz-p001.json": "list",
}

#: Fujian details: the index_box rows (主题分类 "无" is no value; Putian has no such row)
FUJIAN_DETAILS = {
    "more/fujian-pingtan-trs-avalon-detail-gwhwj-60970.html": {
        "title": "平潭综合实验区管委会关于同意成立北厝镇如意社区居民委员会的批复",
        "index_no": "PZ00101-1300-2016-00001", "publisher": "平潭综合实验区管委会", "published": "2016-07-19",
        "written": "2016-07-18", "doc_no": "岚综管综〔2016〕178号", "topic": None},
    "more/fujian-pingtan-trs-avalon-detail-dept-czj-63748.html": {
        "title": "关于印发《平潭综合实验区财政金融局2017年政务公开工作任务实施方案》的通知",
        "index_no": "PZ00108-3000-2017-00069", "publisher": "平潭综合实验区财政金融局", "published": "2017-06-16",
        "written": "2017-06-15", "doc_no": "岚财金2017.135号", "topic": None},
    "more/fujian-putian-trs-avalon-detail-gfxwjql-469585.html": {
        "title": "莆田市人民政府办公室关于印发莆田市推进分级诊疗制度建设实施方案的通知（由莆政规〔2025〕2号废止）",
        "index_no": "PT00101-1200-2016-00062", "publisher": "莆田市人民政府办公室", "published": "2016-07-01",
        "written": "2016-06-21", "doc_no": "莆政办〔2016〕109号", "topic": None},
}


_SEEN: dict[str, dict] = {}


def _inspect(xxgk, name: str) -> dict:
    """One `xxgk inspect` run per capture (the machine is shared): later tests reuse it."""
    if name not in _SEEN:
        proc = xxgk("inspect", str(REALPAGES / name), "--format", "json")
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr[-2000:]
        _SEEN[name] = json.loads(proc.stdout)
    return _SEEN[name]


def test_every_capture_is_listed_here():
    require_shared(REALPAGES)
    on_disk = {str(p.relative_to(REALPAGES)) for p in REALPAGES.rglob("*") if p.is_file()
               and p.suffix in (".html", ".xml", ".json") and p.name != "expected.json"}
    assert on_disk == set(KINDS)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_inspect_reads_the_capture(name, xxgk):
    require_shared(REALPAGES)
    result = _inspect(xxgk, name)
    assert result["kind"] == KINDS[name]
    if result["kind"] == "list":
        assert result["items"] or (result["script_list"] and result["next_pages"])
    if result["kind"] == "detail":
        assert result["metadata"]["title"] and result["items"] == []


@pytest.mark.parametrize("name", sorted(FUJIAN_DETAILS))
def test_fujian_detail_metadata_is_exact(name, xxgk):
    require_shared(REALPAGES)
    result = _inspect(xxgk, name)
    assert result["dialect"] == "fjdzapp"
    assert result["metadata"] == FUJIAN_DETAILS[name]


def test_script_only_fujian_list_says_it_is_drawn_by_script_and_how_it_is_fetched(xxgk):
    require_shared(REALPAGES)
    result = _inspect(xxgk, "more/fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html")
    assert result["items"] == [] and "脚本" in result["script_list"]
    [request] = result["next_pages"]
    assert request.startswith("POST ") and request.endswith(
        "/fjdzapp/search channelid=200210&sortfield=-pubdate&classsql=chnlid=1728&classcol=publishyear"
        "&classsort=0&cache=true&page=1&prepage=10")


def test_half_static_fujian_list_is_read_fully(xxgk):
    require_shared(REALPAGES)
    result = _inspect(xxgk, "more/fujian-pingtan-trs-avalon-list-static-ghxx-gzjzqk.html")
    assert len(result["items"]) == 75 and result["total_records"] == 107 and result["page_count"] == 8
    assert [p.split("&page=")[1] for p in result["next_pages"]] == ["6&prepage=15", "7&prepage=15", "8&prepage=15"]


def test_saved_fjdzapp_answer_is_read_as_the_platform_s_api(xxgk):
    require_shared(REALPAGES)
    result = _inspect(xxgk, "more/fujian-sanming-trs-fjdzapp-search-api-szfgz-p001.json")
    assert result["dialect"] == "fjdzapp" and len(result["items"]) == 10
    assert result["items"][3] == {"url": "https://www.sm.gov.cn/smsrmzfbgs/smsrmzf/szfgz/202505/t20250513_2122747.htm",
                                  "title": "三明市矛盾纠纷多元预防化解办法", "date": "2025-04-30"}
