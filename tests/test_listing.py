"""List items from real and synthetic list pages (crawler/listing.py)."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from crawler.listing import (ListItem, extract_items, items_from_json, looks_like_detail,
                             pick_title, record_items)

ORDOS_URL = "http://egb.ordos.gov.cn/xxgk/xxgknb/"
HANDAN_LIST_URL = "http://hdzfxxgk.hd.gov.cn/zfwj/jinqixxgk/"
DINGXI_URL = "http://www.dingxi.gov.cn/col/col12377/index.html"
JIANGXI_URL = "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html"


def _expected(realpages):
    return json.loads((realpages / "expected.json").read_text(encoding="utf-8"))["list"]


# --- real pages ------------------------------------------------------------------------------

def test_ordos_trs_list_matches_expected(realpages):
    exp = _expected(realpages)["neimenggu-ordos-egb-trs-annual-report-list.html"]
    html = (realpages / "neimenggu-ordos-egb-trs-annual-report-list.html").read_text(encoding="utf-8")
    items = extract_items(html, ORDOS_URL)
    assert len(items) == exp["items_on_page"]
    first = items[0]
    assert first.url == urljoin(ORDOS_URL, exp["first_item"]["href"])
    assert first.title == exp["first_item"]["title"]
    assert first.date == exp["first_item"]["date"]
    # the list date is what the list shows, even where it disagrees with the URL (t20181102)
    odd = [i for i in items if i.url.endswith("t20181102_2290635.html")]
    assert odd and odd[0].date == "2018-03-26"
    # no navigation link slipped in
    assert not any(i.url.rstrip("/").endswith(("/xxgk", "/xxgkzn", "/zjegb")) for i in items)


def test_handan_list_single_row_takes_date_cell_not_index_number(realpages):
    html = (realpages / "hebei-handan-trs-list-countPage.html").read_text(encoding="utf-8")
    items = extract_items(html, HANDAN_LIST_URL)
    assert items == [ListItem(
        "http://hdzfxxgk.hd.gov.cn/gszbm/auto23716/202008/t20200805_1353179.html",
        "邯郸市教育局关于印发《邯郸市学校安全工作目标管理考核办法》的通知", "2020-08-05")]


def test_hanweb_datastore_excerpt_full_titles_dates_cross_host(realpages):
    xml = (realpages / "gansu-dingxi-hanweb-dataproxy-datastore-EXCERPT.xml").read_text(encoding="utf-8")
    items = extract_items(xml, DINGXI_URL)
    assert len(items) == 12
    assert items[0] == ListItem("http://www.dingxi.gov.cn/art/2022/1/20/art_12377_1486865.html",
                                "定西市“春节”文明祭祀倡议书", "2022-01-20")
    # anchor text is cut with "..."; the title attribute has the whole title
    second = items[1]
    assert second.title == "定西市工信局关于对省级第二轮环保督察反馈第四项第十三项问题整改完成情况的公示"
    assert not any(i.title.endswith(("...", "…")) for i in items)
    assert [i.date for i in items][-3:] == ["2021-12-27", "2021-11-04", "2021-09-30"]
    cross = [i for i in items if "zwgk.dingxi.gov.cn" in i.url]
    assert cross == [ListItem(
        "http://zwgk.dingxi.gov.cn/art/2021/11/4/art_12480_1461862.html",
        "甘肃省人民政府教育督导委员会办公室关于开展2021年市（州）人民政府履行教育职责情况满意度调查的通知",
        "2021-11-04")]
    assert record_items(xml, DINGXI_URL) == items


def test_jiangxi_embedded_json_article_list(realpages):
    html = (realpages / "jiangxi-sthjt-col-list-embedded-json-handlebars.html").read_text(encoding="utf-8")
    items = extract_items(html, JIANGXI_URL)
    assert len(items) >= 15
    report = [i for i in items if i.title == "江西省生态环境厅2024年政府信息公开工作年度报告解读"]
    assert report == [ListItem(
        "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/content/content_1881355362445262848.html",
        "江西省生态环境厅2024年政府信息公开工作年度报告解读", "2025-01-20")]
    assert items[0].title == "《江西省生态环境分类执法监管办法》政策解读"
    assert items[0].date == "2025-07-29"
    # the channel tree (names + /col/colNNN/index.html urls) sits beside the list: not items
    assert all("/content/" in i.url for i in items)
    assert all(i.date for i in items)


@pytest.mark.parametrize("name", ["hebei-handan-trs-detail.html", "gov-cn-gongbao-article.html",
                                  "hebei-handan-trs-gkzn-guide.html"])
def test_pages_without_a_list_give_no_items(realpages, name):
    html = (realpages / name).read_text(encoding="utf-8")
    assert extract_items(html, "http://hdzfxxgk.hd.gov.cn/zfxxgkzn/") == []


# --- synthetic shapes ------------------------------------------------------------------------

NAV = """<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zjsl/">走进松岭</a></li>
<li><a href="/xxgk/">政府信息公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="left"><ul><li><a href="/xxgk/gzdt/">工作动态</a></li><li><a href="/xxgk/tzgg/">通知公告</a></li></ul></div>"""
FOOT = """<div class="footer"><a href="/wzsm/201709/t20170912_719157.html">网站声明</a>
<a href="/lxwm/201709/t20170912_719159.html">联系我们</a><a href="mailto:a@b.gov.cn">信箱</a></div>"""
BASE = "http://www.songling.gov.cn/xxgk/tzgg/"


def page(body: str) -> str:
    return f"<html><body>{NAV}{body}{FOOT}</body></html>"


def test_li_span_rows_with_pagination_and_more_links_excluded():
    html = page("""<ul class="list">
      <li><a href="./202401/t20240105_11.html" title="关于做好2024年春节期间工作的通知">关于做好2024年春节期间工作的通知</a><span>2024-01-05</span></li>
      <li><a href="./202312/t20231220_10.html">松岭区召开工作会议</a><span>[2023-12-20]</span></li>
      <li><a href="/xxgk/tzgg/202312/t20231201_9.html">关于征求意见的公告</a><span>2023年12月01日</span></li>
    </ul>
    <div class="page"><a href="index.html">首页</a><a href="index.html">上一页</a><a href="index_1.html">下一页</a>
      <a href="index_1.html">2</a><a href="index_5.html">尾页</a><a href="javascript:void(0)">跳转</a></div>
    <a href="/xxgk/tzgg/" class="more">更多&gt;&gt;</a>""")
    items = extract_items(html, BASE)
    assert [(i.url, i.date) for i in items] == [
        ("http://www.songling.gov.cn/xxgk/tzgg/202401/t20240105_11.html", "2024-01-05"),
        ("http://www.songling.gov.cn/xxgk/tzgg/202312/t20231220_10.html", "2023-12-20"),
        ("http://www.songling.gov.cn/xxgk/tzgg/202312/t20231201_9.html", "2023-12-01"),
    ]
    assert items[1].title == "松岭区召开工作会议"


def test_legacy_table_with_date_cell_and_attachment_item():
    html = page("""<table class="tb">
      <tr><th>标题</th><th>日期</th></tr>
      <tr><td>1</td><td><a href="show.asp?id=301">关于公布2023年度行政许可事项的通知</a></td><td>2023-11-02</td></tr>
      <tr><td>2</td><td><a href="/upload/2023/plan.pdf">2023年松岭区财政预算.pdf</a></td><td>2023-10-08</td></tr>
      <tr><td>3</td><td><a href="show.asp?id=299">松岭区关于印发工作要点的通知</a></td><td>2023/9/30</td></tr>
    </table>""")
    items = extract_items(html, "http://www.songling.gov.cn/old/list.asp")
    assert [i.url.rsplit("/", 1)[-1] for i in items] == ["show.asp?id=301", "plan.pdf", "show.asp?id=299"]
    assert [i.date for i in items] == ["2023-11-02", "2023-10-08", "2023-09-30"]


def test_date_inside_anchor_truncated_title_and_traditional_text():
    html = page("""<div class="news">
      <div class="item"><a href="/art/2024/3/1/art_5_101.html" title="關於進一步加強政務公開工作的實施意見">
          <span class="t">關於進一步加強政務公開...</span><em>2024-03-01</em></a></div>
      <div class="item"><a href="/art/2024/2/1/art_5_100.html"><span class="t">第二條</span><em>2024-02-01</em></a></div>
    </div>""")
    items = extract_items(html, BASE)
    assert items[0] == ListItem("http://www.songling.gov.cn/art/2024/3/1/art_5_101.html",
                                "关于进一步加强政务公开工作的实施意见", "2024-03-01")
    assert items[1].title == "第二条" and items[1].date == "2024-02-01"


def test_duplicates_are_dropped_keeping_page_order():
    html = page("""<ul><li><a href="t20240102_2.html">乙</a><span>2024-01-02</span></li>
      <li><a href="t20240101_1.html">甲</a><span>2024-01-01</span></li>
      <li><a href="./t20240102_2.html">乙（重复）</a><span>2024-01-02</span></li></ul>""")
    items = extract_items(html, BASE)
    assert [i.title for i in items] == ["乙", "甲"]


def test_nav_only_page_gives_no_items():
    assert extract_items(page("<div class='main'><p>欢迎访问</p></div>"), BASE) == []


def test_list_block_with_most_dated_anchors_wins_over_sidebar():
    html = page("""<div class="side"><ul><li><a href="/xxgk/202401/t20240103_7.html">热点一</a></li>
        <li><a href="/xxgk/202401/t20240104_8.html">热点二</a></li></ul></div>
      <ul class="list"><li><a href="t20240110_1.html">正文一</a><span>2024-01-10</span></li>
        <li><a href="t20240109_2.html">正文二</a><span>2024-01-09</span></li></ul>""")
    assert [i.title for i in extract_items(html, BASE)] == ["正文一", "正文二"]


def test_garbage_and_empty_input_do_not_crash():
    assert extract_items("", BASE) == []
    assert extract_items("\x00\x01<<<>>>", BASE) == []
    assert extract_items("<record><![CDATA[<li>no link</li>]]></record>", BASE) == []


# --- helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("url,expected", [
    ("http://a.gov.cn/xxgk/202009/t20200903_2748784.html", True),
    ("http://a.gov.cn/art/2022/1/20/art_12377_1486865.html", True),
    ("http://a.gov.cn/col/col42150/content/content_1881355362445262848.html", True),
    ("http://a.gov.cn/news/show.php?id=55", True),
    ("http://a.gov.cn/files/report.docx", True),
    ("http://a.gov.cn/xxgk/tzgg/", False),
    ("http://a.gov.cn/xxgk/tzgg/index_3.html", False),
    ("http://a.gov.cn/col/col42150/index.html", False),
    ("http://a.gov.cn/gszbm/auto23692/?id=1780/2138", False),
    ("http://a.gov.cn/list.php?page=2", False),
])
def test_looks_like_detail(url, expected):
    assert looks_like_detail(url) is expected


def test_pick_title_prefers_full_title_attribute_only_when_needed():
    assert pick_title("关于…的通知...", "关于开展检查的通知") == "关于开展检查的通知"
    assert pick_title("", "标题属性") == "标题属性"
    assert pick_title("可见标题", "完全不同的提示") == "可见标题"


def test_items_from_json_generic_nesting_and_paging_facts():
    data = {"code": 0, "data": {"total": 37, "page": 2, "pages": 3, "size": 15, "list": [
        {"title": "通知一", "url": "/xxgk/tzgg/202401/t20240105_1.html", "pubDate": "2024-01-05"},
        {"docTitle": "通知二", "docUrl": "t2.html", "releaseTime": 1704384000000},
        {"title": "无链接"},
    ]}, "nav": [{"name": "栏目", "link": "/xxgk/"}]}
    items, facts = items_from_json(data, "http://x.gov.cn/api/list?page=2")
    assert items == [ListItem("http://x.gov.cn/xxgk/tzgg/202401/t20240105_1.html", "通知一", "2024-01-05"),
                     ListItem("http://x.gov.cn/api/t2.html", "通知二", "2024-01-05")]
    assert facts == {"page": 2, "pages": 3, "total": 37, "size": 15}


def test_items_from_json_urls_field_holding_json_string():
    data = [{"title": "解读", "pubDate": "2025-01-20 21:35",
             "urls": "{\"pc\":\"/jx/col/col1/content/content_18.html\"}"}]
    items, facts = items_from_json(data, "https://a.gov.cn/")
    assert items == [ListItem("https://a.gov.cn/jx/col/col1/content/content_18.html", "解读", "2025-01-20")]
    assert facts == {"page": None, "pages": None, "total": None, "size": None}


def test_list_split_into_several_blocks_is_read_whole_but_a_dated_sidebar_is_not():
    rows = lambda a, b: "".join(  # noqa: E731
        f"<li><a href='t2024010{i}_{i}.html'>文{i}</a><span>2024-01-0{i}</span></li>" for i in range(a, b))
    html = page(f"<div class='list'><ul>{rows(1, 4)}</ul><div class='line'></div><ul>{rows(4, 7)}</ul></div>"
                "<div class='side'><ul><li><a href='/zt/t20230101_99.html'>专题</a><span>2023-01-01</span></li>"
                "</ul></div>")
    assert [i.title for i in extract_items(html, BASE)] == [f"文{i}" for i in range(1, 7)]
