"""The 信息公开 entry, the column tree, page kinds and empty-column notes (crawler/discover.py)."""

from __future__ import annotations

import json

import pytest

from crawler.discover import (ColumnLink, classify_page, explained_empty_note, find_columns,
                              find_entry, same_site)

HD = "http://hdzfxxgk.hd.gov.cn"


def _read(realpages, name):
    return (realpages / name).read_text(encoding="utf-8")


# --- real directory pages --------------------------------------------------------------------

def test_handan_xxgk_home_columns(realpages):
    cols = find_columns(_read(realpages, "hebei-handan-trs-xxgk-home.html"), HD + "/")
    by_name = {c.name: c.url for c in cols}
    # the column grid listed in MANIFEST.md
    for name, path in [("政府信息公开指南", "/zfxxgkzn/"), ("政府信息公开制度文件", "/zfwj/zdwj/"),
                       ("法定主动公开内容", "/fdgknr/"), ("政府信息公开年报", "/zfxxgknb/"),
                       ("政府公报", "/zfgb/"), ("市政府部门信息公开", "/gszbm/"),
                       ("依申请公开", "/ysqgk/"), ("规划计划", "/zfwj/ghjh/"), ("公告公示", "/zfwj/gggslb/"),
                       ("政府文件", "/zfwj/szfwj/"), ("市政府令", "/zfwj/szfl/")]:
        assert by_name.get(name) == HD + path, name
    # same registered domain on another host counts (decision documented in discover.py)
    assert by_name.get("财政财务") == "http://hd.gov.cn/ztzl/czyjs/"
    names = [c.name for c in cols]
    assert names.index("政府信息公开指南") < names.index("政府信息公开年报") < names.index("规划计划")
    # site furniture, other domains, IP hosts, documents and "更多" are not columns
    for bad in ("首页", "网站首页", "走进邯郸", "邯郸新闻", "我要留言", "政府采购", "权责清单",
                "高级搜索", "更多>>", "返回首页", "网站地图"):
        assert bad not in names, bad
    assert not any("/20200" in c.url or c.url.endswith(".html") for c in cols)
    assert len({c.url for c in cols}) == len(cols)


def test_handan_guide_left_nav(realpages):
    cols = find_columns(_read(realpages, "hebei-handan-trs-gkzn-guide.html"), HD + "/zfxxgkzn/")
    main = [c for c in cols if c.name in ("政府信息公开指南", "政府信息公开制度", "法定主动公开内容",
                                           "政府信息公开年报", "依申请公开")]
    assert main == [ColumnLink("政府信息公开指南", HD + "/zfxxgkzn/"),
                    ColumnLink("政府信息公开制度", HD + "/zfwj/zdwj/"),
                    ColumnLink("法定主动公开内容", HD + "/fdgknr/"),
                    ColumnLink("政府信息公开年报", HD + "/zfxxgknb/"),
                    ColumnLink("依申请公开", HD + "/ysqgk/")]
    names = [c.name for c in cols]
    assert "机构职责" in names and "收费项目" in names
    # department sub-sites are other 公开主体; other domains and the dead-link footer menus are out
    for bad in ("市教育局", "市政府办公室", "市贸促会", "行政许可", "政府采购", "邯郸概况", "国务要闻",
                "走进邯郸", "网站首页", "我要留言"):
        assert bad not in names, bad


def test_ordos_left_nav_without_top_menu(realpages):
    cols = find_columns(_read(realpages, "neimenggu-ordos-egb-trs-annual-report-list.html"),
                        "http://egb.ordos.gov.cn/xxgk/xxgknb/")
    names = [c.name for c in cols]
    assert names[:6] == ["信息公开规定", "信息公开制度", "信息公开指南", "信息公开目录", "依申请公开", "信息公开年报"]
    assert ColumnLink("人事信息", "http://egb.ordos.gov.cn/xxgk/rsxx/") in cols
    assert not {"首页", "走进恩格贝", "投资恩格贝", "沙产业"} & set(names)


def test_entry_from_real_page_top_nav(realpages):
    html = _read(realpages, "hebei-handan-trs-list-countPage.html")
    assert find_entry(html, HD + "/zfwj/jinqixxgk/") == HD + "/"


# --- page kinds ------------------------------------------------------------------------------

@pytest.mark.parametrize("name,url,kind", [
    ("neimenggu-ordos-egb-trs-annual-report-list.html", "http://egb.ordos.gov.cn/xxgk/xxgknb/", "list"),
    ("hebei-handan-trs-list-countPage.html", HD + "/zfwj/jinqixxgk/", "list"),
    ("jiangxi-sthjt-col-list-embedded-json-handlebars.html",
     "https://sthjt.jiangxi.gov.cn/jxssthjt/col/col42150/index.html", "list"),
    ("hebei-handan-trs-xxgk-home.html", HD + "/", "directory"),
    ("hebei-handan-trs-gkzn-guide.html", HD + "/zfxxgkzn/", "directory"),
])
def test_classify_real_pages(realpages, name, url, kind):
    assert classify_page(_read(realpages, name), url) == kind


def test_classify_real_detail_pages(realpages):
    details = json.loads((realpages / "expected.json").read_text(encoding="utf-8"))["detail"]
    assert len(details) == 6
    for name in details:
        assert classify_page(_read(realpages, name), "http://www.example.gov.cn/a/t20240101_1.html") == "detail", name


# --- synthetic: the simulator's shapes ---------------------------------------------------------

SITE = "http://127.0.0.1:8001"
HEADER = ('<div class="header"><div class="logo"><a href="/">松岭区人民政府</a></div>'
          '<div class="top-links"><a href="http://www.gov.cn/" target="_blank">中国政府网</a></div></div>'
          '<div class="nav"><ul class="nav-list"><li><a href="/">首页</a></li><li><a href="/zjsl/">走进松岭</a></li>'
          '<li><a href="/xwzx/">新闻中心</a></li><li><a href="/hdjl/">互动交流</a></li>'
          '<li><a href="/bsfw/">办事服务</a></li><li><a href="/xxgk/">政府信息公开</a></li></ul></div>')
FOOTER = ('<div class="footer"><p>主办单位：松岭区人民政府办公室 <a href="/wzdt/">网站地图</a> '
          '<a href="/lxwm/">联系我们</a></p></div>')


def test_find_entry_on_simulator_like_homepage():
    html = (f"<html><body>{HEADER}<div class='main'><div class='yw'><ul>"
            "<li><a href='/xwzx/202401/t20240105_1.html'>关于做好信息公开工作的通知</a><span>2024-01-05</span></li>"
            "</ul></div><div class='gk-entry'><a href='/xxgk/' class='xxgk'><img src='/i.png' alt='政府信息公开'>"
            "政府信息公开</a></div><div class='calendar'><a href='/calendar?month=2024-01'>活动日历</a></div>"
            f"</div>{FOOTER}</body></html>")
    assert find_entry(html, SITE + "/") == SITE + "/xxgk/"


def test_find_entry_prefers_directory_over_subcolumn_and_national_platform():
    html = ('<a href="http://www.gov.cn/zhengce/xxgk/">政府信息公开</a>'
            '<a href="/zwgk/zfxxgknb/">政府信息公开年报</a>'
            '<a href="/zwgk/xxgkzn/">信息公开指南</a>'
            '<a href="/zwgk/">政務公開</a>')
    assert find_entry(html, "http://www.sl.gov.cn/") == "http://www.sl.gov.cn/zwgk/"


def test_find_entry_by_url_and_image_alt_and_subdomain_host():
    html = ('<a href="/news/">新闻中心</a><a href="http://zfxxgk.sl.gov.cn/"><img src="gk.png" alt="信息公开"></a>')
    assert find_entry(html, "http://www.sl.gov.cn/") == "http://zfxxgk.sl.gov.cn/"
    # an image link without any text: its URL alone decides
    html = '<a href="/special/">专题</a><a href="/zwgk/"><img src="gk.png"></a>'
    assert find_entry(html, "http://www.sl.gov.cn/") == "http://www.sl.gov.cn/zwgk/"


def test_find_entry_none_when_absent():
    assert find_entry(f"<html><body>{HEADER.replace('政府信息公开', '专题')}</body></html>", SITE + "/") is None
    assert find_entry("", SITE + "/") is None


DIRECTORY = (f"<html><body>{HEADER}<div class='main'><div class='gk-left'><h3>政府信息公开目录</h3><ul class='tree'>"
             "<li><a href='/xxgk/zn/'>政府信息公开指南</a></li><li><a href='/xxgk/zd/'>政府信息公開制度</a></li>"
             "<li><a href='/xxgk/fdzdgknr/'>法定主动公开内容</a><ul>"
             "<li><a href='/xxgk/gzdt/'>工作动态</a></li><li><a href='/xxgk/tzgg/'>通知公告 (12)</a></li>"
             "<li><a href='http://127.0.0.1:8001/xxgk/zcwj/'>政策文件</a></li>"
             "<li><a href='http://127.0.0.1:8002/xxgk/rsxx/'>人事信息</a></li></ul></li>"
             "<li><a href='/xxgk/nb/'>政府信息公开年报</a></li>"
             "<li><a href='javascript:void(0)'>规划计划</a></li><li><a href='#top'>回到顶部</a></li>"
             "<li><a href='/xxgk/files/ml.xls'>目录下载</a></li>"
             "<li><a href='/xxgk/tzgg/index_2.html'>2</a></li>"
             "<li><a href='/xxgk/gzdt/202401/t20240105_3.html'>一篇文章的标题</a></li>"
             "<li><a href='/xxgk/bm/jyj/'>区教育局</a></li>"
             "</ul></div></div>" + FOOTER + "</body></html>")


def test_find_columns_simulator_like_directory():
    cols = find_columns(DIRECTORY, SITE + "/xxgk/")
    assert cols == [ColumnLink("政府信息公开指南", SITE + "/xxgk/zn/"),
                    ColumnLink("政府信息公开制度", SITE + "/xxgk/zd/"),
                    ColumnLink("法定主动公开内容", SITE + "/xxgk/fdzdgknr/"),
                    ColumnLink("工作动态", SITE + "/xxgk/gzdt/"),
                    ColumnLink("通知公告", SITE + "/xxgk/tzgg/"),
                    ColumnLink("政策文件", SITE + "/xxgk/zcwj/"),
                    ColumnLink("政府信息公开年报", SITE + "/xxgk/nb/")]


def test_classify_synthetic_directory_list_detail_other():
    assert classify_page(DIRECTORY, SITE + "/xxgk/") == "directory"
    lst = DIRECTORY.replace("</ul></div></div>", "</ul></div><ul class='list'>" + "".join(
        f"<li><a href='/xxgk/gzdt/202401/t2024011{i}_{i}.html'>动态{i}</a><span>2024-01-1{i}</span></li>"
        for i in range(5)) + "</ul></div>")
    assert classify_page(lst, SITE + "/xxgk/gzdt/") == "list"
    empty = DIRECTORY.replace("</ul></div></div>", "</ul></div><div class='list'><p>本栏目暂无信息</p></div></div>")
    assert classify_page(empty, SITE + "/xxgk/rsxx/") == "list"
    detail = (f"<html><body>{HEADER}<table class='xxgk'><tr><td>索引号：000014348/2024-00001</td>"
              "<td>发布机构：松岭区人民政府办公室</td></tr><tr><td>成文日期：2024-01-05</td></tr></table>"
              f"<div id='zoom'><p>正文。</p></div>{FOOTER}</body></html>")
    assert classify_page(detail, SITE + "/xxgk/gzdt/202401/t20240105_1.html") == "detail"
    assert classify_page("<html><body><p>Hello</p></body></html>", SITE + "/x") == "other"


def test_same_site_rules():
    assert same_site("http://hd.gov.cn/ztzl/", "http://hdzfxxgk.hd.gov.cn/")
    assert not same_site("http://www.ccgp-hebei.gov.cn/hd/", "http://hdzfxxgk.hd.gov.cn/")
    assert same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8001/")
    assert not same_site("http://127.0.0.1:8002/a", "http://127.0.0.1:8001/")


def test_find_columns_garbage_input():
    assert find_columns("", SITE) == []
    assert find_columns("\x00<<<a href=", SITE) == []


# --- explained empty notes -----------------------------------------------------------------

@pytest.mark.parametrize("body,note", [
    ("<div class='list'><p>本栏目暂无信息</p></div>", "本栏目暂无信息"),
    ("<div class='list'><span>暂无内容</span></div>", "暂无内容"),
    ("<p>说明：本单位不涉及此项内容。</p>", "说明：本单位不涉及此项内容。"),
    ("<p>该栏目无相关信息公开</p>", "该栏目无相关信息公开"),
    ("<p>根据本机关职能，无此类信息。本页其余文字。</p>", "根据本机关职能，无此类信息。"),
    ("<div><p>本欄目暫無信息</p></div>", "本栏目暂无信息"),
])
def test_explained_empty_notes(body, note):
    assert explained_empty_note(f"<html><body>{HEADER}{body}{FOOTER}</body></html>") == note


def test_empty_note_words_in_scripts_templates_and_comments_do_not_count():
    html = (f"<html><body>{HEADER}<ul id='list'></ul>"
            "<script>function fail(){ $('#list').html('<li>暂无数据</li>'); }</script>"
            "<script type='text/x-handlebars-template'>{{#unless list}}本栏目暂无信息{{/unless}}</script>"
            "<!-- 本栏目暂无信息 --><style>.empty:after{content:'暂无内容'}</style>"
            f"{FOOTER}</body></html>")
    assert explained_empty_note(html) is None
    assert explained_empty_note("") is None


def test_calendar_note_is_not_an_empty_column_note():
    assert explained_empty_note("<h2>活动日历 2024年1月</h2><p>本月暂无活动安排。</p>") is None


def test_guide_written_as_plain_paragraphs_is_a_content_page_not_a_directory():
    guide = DIRECTORY.replace("</ul></div></div>", "</ul></div><div class='right'><h1>政府信息公开指南</h1>" + "".join(
        f"<p>{n}、为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>"
        for n in "一二三四") + "</div></div>")
    assert classify_page(guide, SITE + "/xxgk/zn/") == "detail"
    assert classify_page(DIRECTORY, SITE + "/xxgk/zn/") == "directory"


def test_prose_mentioning_no_information_is_not_a_note():
    guide = ("<p>申请公开的政府信息，经检索没有相关信息的，本机关将告知申请人；申请内容不明确的，"
             "本机关将一次性告知申请人作出补正，说明需要补正的事项和合理的补正期限，答复期限自收到补正的申请之日起计算。</p>"
             "<p>本文件不涉及国家秘密。</p>")
    assert explained_empty_note(f"<html><body>{guide}</body></html>") is None
