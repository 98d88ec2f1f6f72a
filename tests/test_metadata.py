"""crawler/metadata.py: every markup form, label variant and priority rule, plus the real pages."""

import json
from pathlib import Path

import pytest

from crawler.metadata import FIELDS, extract_metadata

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
REALPAGES = SHARED / "realpages"


def _page(body: str, head: str = "") -> str:
    return f"<html><head><meta charset='utf-8'>{head}</head><body>{body}</body></html>"


def _expected_detail() -> dict:
    if not (REALPAGES / "expected.json").exists():
        pytest.skip("../shared/realpages is missing (it is not part of a user's clone)")
    return json.loads((REALPAGES / "expected.json").read_text(encoding="utf-8"))["detail"]


# --- real pages ---------------------------------------------------------------------------

REAL_DETAIL_PAGES = [
    "hebei-handan-trs-detail.html",
    "gov-cn-zhengce-content-guofa-2019-5-fragment.html",
    "gov-cn-zhengce-content-joint-1996-fragment.html",
    "gov-cn-zhengce-content-guoling-707-fragment.html",
    "shanghai-wsjkw-detail-suoquhao-CLONE.html",
    "zhejiang-jyt-detail-xxgk-table-CLONE.html",
]


@pytest.mark.parametrize("name", REAL_DETAIL_PAGES)
def test_real_pages_match_expected_json(name):
    expected = _expected_detail()[name]
    got = extract_metadata((REALPAGES / name).read_text(encoding="utf-8"))
    for field, value in expected.items():
        assert got[field] == value, f"{name}: {field}"


def test_every_expected_page_is_covered():
    assert set(_expected_detail()) == set(REAL_DETAIL_PAGES)


def test_real_page_titles_and_date_texts():
    _expected_detail()
    guofa = extract_metadata((REALPAGES / REAL_DETAIL_PAGES[1]).read_text(encoding="utf-8"))
    assert guofa["title"] == "国务院关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见"
    assert guofa["date_texts"] == {"published": "2019年02月15日", "written": "2019年01月27日"}
    assert guofa["raw"]["主题词"] is None  # empty cell: seen, no value
    handan = extract_metadata((REALPAGES / REAL_DETAIL_PAGES[0]).read_text(encoding="utf-8"))
    assert handan["title"].startswith("邯郸市教育局关于印发")
    assert "成文日期" not in handan["raw"]  # commented out in the page
    shanghai = extract_metadata((REALPAGES / REAL_DETAIL_PAGES[4]).read_text(encoding="utf-8"))
    assert shanghai["raw"]["发布时间"] is None
    assert shanghai["published"] == "2024-05-11"  # <meta name="PubDate"> fallback
    assert shanghai["raw"]["meta:pubdate"] == "2024-05-11"
    jyt = extract_metadata((REALPAGES / REAL_DETAIL_PAGES[5]).read_text(encoding="utf-8"))
    assert jyt["raw"]["公开方式"] == "主动公开"
    assert jyt["raw"]["来源"] == "新闻办"  # seen, but 发布机构 wins publisher


def test_other_real_pages_give_sensible_values():
    if not REALPAGES.exists():
        pytest.skip("../shared/realpages is missing (it is not part of a user's clone)")
    gongbao = extract_metadata((REALPAGES / "gov-cn-gongbao-article.html").read_text(encoding="utf-8"))
    assert gongbao["title"].startswith("全国人民代表大会常务委员会关于批准财政部发行特别国债")
    assert gongbao["title"].endswith("的决议")  # site suffix after "_" stripped
    assert gongbao["published"] == "2007-08-20"  # meta firstpublishedtime
    assert gongbao["index_no"] is None and gongbao["publisher"] is None
    fgw = extract_metadata((REALPAGES / "zhejiang-fgw-hanweb-jcms-article.html").read_text(encoding="utf-8"))
    assert fgw["title"] == "1-10月德清县固定资产投资结构趋稳趋优"
    assert fgw["published"] == "2016-11-22" and fgw["date_texts"]["published"] == "2016-11-22"
    assert fgw["publisher"] == "省发改委"  # 信息来源, value between field-marker comments
    shanxi = extract_metadata((REALPAGES / "shanxi-gov-portal-article.html").read_text(encoding="utf-8"))
    assert shanxi["title"] == "山西品牌丝路行（南美站）正式启动"
    assert shanxi["published"] == "2019-09-18"


# --- result shape and robustness ----------------------------------------------------------

@pytest.mark.parametrize("junk", [
    "", "   ", None, "<<<>>>", "\x00\x01\x02", "<table><tr><td", "\ufffd\ufffd乱码\ufffd",
    b"\xff\xfe\x00\xd6\xd0", "<html><body>" + "<div>" * 3000 + "x",
    '<?xml version="1.0" encoding="gbk"?><html/>', "{\"json\": true}",
])
def test_garbage_gives_all_none(junk):
    got = extract_metadata(junk)
    assert set(got) == set(FIELDS) | {"raw", "date_texts"}
    assert all(got[f] is None for f in FIELDS)
    assert isinstance(got["raw"], dict) and got["date_texts"] == {}


def test_gbk_bytes_are_decoded():
    got = extract_metadata(_page("<p>發布機構：國務院辦公廳</p>").encode("gbk"))
    assert got["publisher"] == "国务院办公厅"


def test_gbk_origin_text_as_str():
    html = _page("<p>發布機構：國務院辦公廳</p>").encode("gbk").decode("gbk")
    assert extract_metadata(html, "http://x.gov.cn/a.html")["publisher"] == "国务院办公厅"


# --- markup forms -------------------------------------------------------------------------

def test_td_label_td_value():
    got = extract_metadata(_page(
        "<table><tr><td>索引号</td><td>11441700007280420Y/2021-00050</td>"
        "<td>发布机构</td><td>阳江市人民政府</td></tr>"
        "<tr><td>成文日期</td><td>2021-03-01</td><td>发布日期</td><td>2021-03-05</td></tr></table>"))
    assert got["index_no"] == "11441700007280420Y/2021-00050"
    assert got["publisher"] == "阳江市人民政府"
    assert (got["written"], got["published"]) == ("2021-03-01", "2021-03-05")


def test_gov_cn_template_a_bold_spaced_labels():
    got = extract_metadata(_page(
        "<table class='bd1'><tr><td><b>索 引 号：</b></td><td>000014349/2019-00007</td>"
        "<td><b>主题分类：</b></td><td>市场监管</td></tr>"
        "<tr><td><b>标\u3000\u3000题：</b></td><td colspan='3'>关于某事的通知</td></tr>"
        "<tr><td><b>发文字号：</b></td><td>国发〔2019〕5号</td>"
        "<td><b>主 题 词：</b></td><td></td></tr></table>"))
    assert got["index_no"] == "000014349/2019-00007"
    assert got["title"] == "关于某事的通知"
    assert got["doc_no"] == "国发〔2019〕5号"
    assert got["raw"]["主题词"] is None


def test_empty_value_cell_does_not_borrow_next_cell():
    got = extract_metadata(_page(
        "<table><tr><td>文号：</td><td></td><td>发布机构：</td><td>某局</td></tr></table>"))
    assert got["doc_no"] is None
    assert got["publisher"] == "某局"


def test_header_row_table_by_column():
    got = extract_metadata(_page(
        "<table><thead><tr><td>索取号</td><td>发布时间</td><td>发布机构</td><td>文件编号</td></tr></thead>"
        "<tbody><tr><td>076478684Q/2024-00112</td><td>2024-05-11</td><td>上海市卫生健康委员会</td>"
        "<td>沪卫基层〔2024〕5号</td></tr></tbody></table>"))
    assert got["index_no"] == "076478684Q/2024-00112"
    assert got["published"] == "2024-05-11"
    assert got["publisher"] == "上海市卫生健康委员会"
    assert got["doc_no"] == "沪卫基层〔2024〕5号"


def test_p_strong_label_colon_value():
    got = extract_metadata(_page(
        "<p><strong>索引号</strong>：000014348/2020-35147</p><p><strong>文号</strong>：无</p>"
        "<p><strong>主题分类</strong>：教育</p>"))
    assert got["index_no"] == "000014348/2020-35147"
    assert got["doc_no"] is None and got["raw"]["文号"] is None
    assert got["topic"] == "教育"


def test_li_label_value():
    got = extract_metadata(_page("<ul><li>发文机关：某市人民政府</li><li>发文字号：某政发〔2022〕1号</li></ul>"))
    assert got["publisher"] == "某市人民政府"
    assert got["doc_no"] == "某政发〔2022〕1号"


def test_span_label_span_value():
    got = extract_metadata(_page(
        "<div><span class='k'>发布单位：</span><span class='v'>某县农业农村局</span></div>"
        "<div><span>发布日期：</span><span>2023年5月6日</span></div>"))
    assert got["publisher"] == "某县农业农村局"
    assert got["published"] == "2023-05-06"


def test_dt_dd():
    got = extract_metadata(_page(
        "<dl><dt>信息索引号</dt><dd>0142768-8/2022-00185</dd><dt>公开责任部门</dt><dd>区财政局</dd>"
        "<dt>印发日期</dt><dd>2022/3/4</dd></dl>"))
    assert got["index_no"] == "0142768-8/2022-00185"
    assert got["publisher"] == "区财政局"
    assert got["written"] == "2022-03-04"


def test_div_label_div_value_siblings():
    got = extract_metadata(_page(
        "<div class='row'><div class='label'>发文单位</div><div class='value'>某区政府办</div></div>"))
    assert got["publisher"] == "某区政府办"


def test_one_cell_label_value_half_width_colon():
    got = extract_metadata(_page(
        "<table><tr><td>索引号: 002482082/2024-00332</td><td>文件编号: </td><td>发布机构: 省教育厅</td></tr>"
        "<tr><td>生成日期: 2024-10-21</td><td>主题分类: 教育</td><td>公开方式: 主动公开</td></tr></table>"))
    assert got["index_no"] == "002482082/2024-00332"
    assert got["doc_no"] is None
    assert got["publisher"] == "省教育厅"
    assert got["written"] == "2024-10-21"
    assert got["raw"]["公开方式"] == "主动公开"


def test_several_pairs_on_one_line():
    got = extract_metadata(_page(
        "<div class='info'>发布日期：2024-10-21 来源：新闻办 浏览次数：12</div>"))
    assert got["published"] == "2024-10-21"
    assert got["publisher"] == "新闻办"
    assert got["raw"]["浏览次数"] == "12"


def test_pairs_glued_by_inline_markup_are_split_at_known_labels():
    got = extract_metadata(_page(
        "<div><b>发布日期：2016-11-22</b><b>信息来源：省发改委</b><b>点击数：5</b></div>"))
    assert got["published"] == "2016-11-22"
    assert got["publisher"] == "省发改委"


def test_bracketed_labels():
    got = extract_metadata(_page("<div>【发布时间】：2020-01-02 【发布机构】：某局</div>"))
    assert got["published"] == "2020-01-02"
    assert got["publisher"] == "某局"


# --- labels -------------------------------------------------------------------------------

@pytest.mark.parametrize("label, field", [
    ("索引号", "index_no"), ("索取号", "index_no"), ("信息索引号", "index_no"), ("索 引 号", "index_no"),
    ("发布机构", "publisher"), ("发文机关", "publisher"), ("发文单位", "publisher"), ("发布单位", "publisher"),
    ("信息来源机构", "publisher"), ("公开责任部门", "publisher"), ("发布机关", "publisher"),
    ("来源机构", "publisher"), ("来源", "publisher"),
    ("文号", "doc_no"), ("发文字号", "doc_no"), ("文件编号", "doc_no"), ("发文文号", "doc_no"), ("文 号", "doc_no"),
    ("主题分类", "topic"), ("主题类别", "topic"), ("分类", "topic"), ("信息分类", "topic"),
    ("标题", "title"), ("名称", "title"), ("文件名称", "title"), ("信息名称", "title"), ("标\u3000\u3000题", "title"),
])
def test_text_label_variants(label, field):
    got = extract_metadata(_page(f"<table><tr><td>{label}：</td><td>值ABC</td></tr></table>"))
    assert got[field] == "值ABC"
    assert all(got[f] is None for f in FIELDS if f != field)


@pytest.mark.parametrize("label, field", [
    ("成文日期", "written"), ("发文日期", "written"), ("生成日期", "written"), ("印发日期", "written"),
    ("制发日期", "written"), ("发文时间", "written"),
    ("发布日期", "published"), ("发布时间", "published"), ("公开日期", "published"), ("日期", "published"),
])
def test_date_label_variants(label, field):
    got = extract_metadata(_page(f"<p>{label}：2021年3月4日</p>"))
    assert got[field] == "2021-03-04"
    assert got["date_texts"] == {field: "2021年3月4日"}


def test_traditional_labels_and_values():
    got = extract_metadata(_page(
        "<table><tr><td>索引號</td><td>000014349/2009-00001</td></tr><tr><td>發布機構</td><td>國務院辦公廳</td></tr>"
        "<tr><td>發布日期</td><td>2009年05月01日</td></tr><tr><td>主題分類</td><td>綜合政務</td></tr>"
        "<tr><td>文號</td><td>國辦發〔2009〕1號</td></tr><tr><td>標題</td><td>關於開展工作的通知</td></tr></table>"))
    assert got["index_no"] == "000014349/2009-00001"
    assert got["publisher"] == "国务院办公厅"
    assert got["published"] == "2009-05-01"
    assert got["topic"] == "综合政务"
    assert got["doc_no"] == "国办发〔2009〕1号"
    assert got["title"] == "关于开展工作的通知"
    assert "发布机构" in got["raw"]


# --- priorities ---------------------------------------------------------------------------

def test_specific_publisher_label_beats_plain_laiyuan():
    got = extract_metadata(_page("<p>来源：新闻办</p><table><tr><td>发布机构</td><td>省教育厅</td></tr></table>"))
    assert got["publisher"] == "省教育厅"


def test_labelled_block_beats_free_text():
    got = extract_metadata(_page(
        "<div>发布日期：2024-01-01 浏览次数：3</div>"
        "<table><tr><td>发布日期</td><td>2024-02-02</td></tr></table>"))
    assert got["published"] == "2024-02-02"


def test_first_occurrence_wins_within_a_form():
    got = extract_metadata(_page("<p>索引号：AAA/2020-1</p><p>索引号：BBB/2020-2</p>"))
    assert got["index_no"] == "AAA/2020-1"


def test_topic_prefers_zhuti_fenlei():
    got = extract_metadata(_page("<p>分类：通知</p><p>主题分类：教育</p>"))
    assert got["topic"] == "教育"


def test_empty_value_does_not_block_a_later_one():
    got = extract_metadata(_page("<p>发布机构：无</p><div>来源：某局</div>"))
    assert got["publisher"] == "某局"


# --- comments, empty markers, dates -------------------------------------------------------

def test_commented_out_markup_is_ignored():
    got = extract_metadata(_page(
        "<!--<p><strong>成文日期</strong>：2020年08月02日</p>-->"
        "<!-- <table><tr><td>索引号</td><td>DECOY/1999-1</td></tr></table> -->"
        "<p>索引号：REAL/2020-1</p><p>信息来源：<!--<$[信息来源]>begin-->某局<!--<$[信息来源]>end--></p>"))
    assert got["written"] is None and "成文日期" not in got["raw"]
    assert got["index_no"] == "REAL/2020-1"
    assert got["publisher"] == "某局"


@pytest.mark.parametrize("marker", ["无", "—", "/", "", "　", "——", "暂无"])
def test_empty_markers_are_none(marker):
    got = extract_metadata(_page(f"<table><tr><td>文号</td><td>{marker}</td></tr>"
                                 f"<tr><td>发布机构</td><td>某局</td></tr></table>"))
    assert got["doc_no"] is None
    assert "文号" in got["raw"] and got["raw"]["文号"] is None
    assert got["publisher"] == "某局"


def test_unparseable_date_keeps_its_text():
    # A visible but broken date is reported as such, not papered over with <meta PubDate>.
    got = extract_metadata(_page("<p>发布日期：2019-13-45</p><p>成文日期：二〇一九年一月二十七日</p>",
                                 "<meta name='PubDate' content='2019-02-01'>"))
    assert got["published"] is None
    assert got["date_texts"]["published"] == "2019-13-45"
    assert got["written"] == "2019-01-27"


def test_missing_date_has_no_date_text():
    got = extract_metadata(_page("<p>索引号：X/2020-1</p>"))
    assert got["published"] is None and "published" not in got["date_texts"]


def test_meta_pubdate_only_when_no_visible_date():
    head = "<meta name='PubDate' content='2020-01-01 10:00'>"
    assert extract_metadata(_page("<p>发布日期：2021-02-02</p>", head))["published"] == "2021-02-02"
    hidden = extract_metadata(_page("<p>索引号：X</p>", head))
    assert hidden["published"] == "2020-01-01"
    assert hidden["raw"]["meta:pubdate"] == "2020-01-01 10:00"
    assert hidden["written"] is None  # meta never gives 成文日期


# --- title fallbacks ----------------------------------------------------------------------

def test_title_from_meta_article_title():
    head = "<meta name='ArticleTitle' content='关于甲的通知'><title>别的_某市政府</title>"
    assert extract_metadata(_page("<p>x</p>", head))["title"] == "关于甲的通知"


def test_title_label_beats_meta():
    head = "<meta name='ArticleTitle' content='元数据标题'>"
    assert extract_metadata(_page("<p>标题：页面标题</p>", head))["title"] == "页面标题"


def test_title_from_heading_matching_page_title():
    html = _page("<h1><a href='/'>某市人民政府网站</a></h1><h2 class='title'>关于乙的公告</h2>",
                 "<title>关于乙的公告 - 某市人民政府</title>")
    assert extract_metadata(html)["title"] == "关于乙的公告"


@pytest.mark.parametrize("page_title, title", [
    ("关于丙的决定__2007年第23号国务院公报_中国政府网", "关于丙的决定"),
    ("山西品牌丝路行 - 山西省人民政府门户网站 ", "山西品牌丝路行"),
    ("1-10月投资结构趋稳", "1-10月投资结构趋稳"),
])
def test_title_from_title_tag_without_site_suffix(page_title, title):
    assert extract_metadata(_page("<p>正文</p>", f"<title>{page_title}</title>"))["title"] == title


def test_article_heading_beats_column_name_in_title_tag():
    html = _page("<div class='logo'><h1><a href='/'>某区人民政府</a></h1></div>"
                 "<h2 id='ivs_title' class='Article-title'>关于丁的通知 <small>( 2024-05-11)</small></h2>",
                 "<title>工作动态-某区人民政府</title>")
    assert extract_metadata(html)["title"] == "关于丁的通知"


def test_plain_h1_beats_column_name_in_title_tag():
    html = _page("<article><h1>某区政府信息公开责任追究制度</h1><p>正文</p></article>",
                 "<title>政府信息公开制度 - 某区人民政府</title>")
    assert extract_metadata(html)["title"] == "某区政府信息公开责任追究制度"
