"""Unit tests of the 年报 parsers in audits/reports/ (pure functions, hand-written inputs)."""

from __future__ import annotations

import html

import pytest

from audits.reports import read_report, report_year_from_title
from audits.reports.copies import repeated_paragraphs, similarity
from audits.reports.figures import check_text_totals
from audits.reports.structure import heading_text
from audits.reports.tables import check_applications, check_reviews, parse_row
from audits.reports.textprep import Line, report_lines
from crawler.simulator.reports import report_text

TITLE = "某县2020年政府信息公开工作年度报告\n"


def _kinds(text: str) -> list[str]:
    return [p.kind for p in check_text_totals(report_lines(TITLE + text))]


def _line(text: str) -> Line:
    return report_lines(text)[0]


# --- prose totals -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "全年共发布信息1234条，其中网站1000条、微信234条。",
    "全年共发布信息１２３４条，其中网站１０００条、微信２３４条。",            # full-width digits
    "共发布信息30,871条，其中主动公开30,506条、依申请公开365条。",              # thousands separators
    "全年共发布信息1.2万条，其中门户网站8000条、政务新媒体4000条。",            # 万, rounded total
    "全年共发布信息1234条，同比增加300条，其中网站1000条（含图解20条）、微信234条。",
    "全年共发布信息5000条，其中政策文件120条、政策解读30条。",                 # partial list
    "共受理申请50件，其中自然人30件、法人20件；予以公开40件、不予公开10件。",    # two breakdowns
    "共有工作人员5人，其中专职2人、兼职3人。",
    "2020年共收到申请12件，其中2020年1月3件、2月9件。",                        # dates are no parts
    "全年共发布信息1234条，其中网站1000条、微信200条，同比增长15%。",           # growth is no part
    "我区主动公开政府信息1209条。其中，政府网站公开政府信息1124条、政务微信公开85条。",
    "共受理申请20件，上年结转5件，其中予以公开15件、不予公开10件。",             # breaks down 20+5
    "共受理申请20件，办结18件，其中予以公开10件、不予公开8件。",                 # breaks down 办结
])
def test_consistent_or_undecidable_totals_are_quiet(text):
    assert _kinds(text) == []


@pytest.mark.parametrize("text", [
    "全年共发布信息1.2万条，其中门户网站9000条、政务新媒体4000条。",            # beyond 万 rounding
    "我区主动公开政府信息1209条。其中，政府网站公开政府信息1124条、政务微信公开95条。",  # exceeds
    "共受理申请50件，其中予以公开40件、其他8件。",                              # exhaustive list short
    "公开政府信息6104条，其中主动公开5387条，依申请公开30，不予公开685条。",      # small slip, bare number
])
def test_parts_disagreeing_with_total_are_reported(text):
    assert _kinds(text) == ["sum_mismatch"]


def test_sum_mismatch_detail_quotes_the_sentence():
    [problem] = check_text_totals(report_lines(TITLE + "全年共公开信息300条，其中网站200条、微信120条。"))
    assert problem.detail.startswith("“全年共公开信息300条，其中网站200条、微信120条。”")
    assert "200+120=320条" in problem.detail and "总数300条" in problem.detail


@pytest.mark.parametrize("text,bad", [
    ("共发布信息300条，其中网站200条，占66.6%；微信100条，占33.3%。", False),    # truncated
    ("共发布信息300条，其中网站200条，占66.7%；微信100条，占33.33%。", False),   # rounded
    ("共发布信息300条，其中网站200条，占67%；微信100条，占33%。", False),
    ("共发布信息100条，其中网站60条，占59.9%；微信40条，占40%。", True),
    ("共发布信息300条，其中网站200条，占66%；微信100条，占34%。", True),
])
def test_percentages_against_counts(text, bad):
    assert (_kinds(text) == ["percent_mismatch"]) is bad


# --- headings, titles, junk -----------------------------------------------------------------

@pytest.mark.parametrize("line,head", [
    ("一、总体情况", "一、总体情况"),
    ("(三)因政府信息公开申请行政复议、提起行政诉讼的情况。2018年,我区…", "(三)因政府信息公开申请行政复议、提起行政诉讼的情况"),
    ("第二部分 主動公開政府信息情況", "第二部分 主动公开政府信息情况"),
    ("3．收到和处理政府信息公开申请情况", "3.收到和处理政府信息公开申请情况"),
    ("其他需要报告的事项", "其他需要报告的事项"),
    ("2018年,我区政府信息公开工作按照国家和省、地的统一部署,在区委、区政府的正确领导下,不断推进。", None),
])
def test_heading_text_in_every_numbering_style(line, head):
    assert heading_text(_line(line)) == head


@pytest.mark.parametrize("title,year", [
    ("2018年松岭区政府信息公开工作年度报告", 2018),
    ("巢湖市人民政府2017年度政府信息公开工作年度报告", 2017),
    ("关于信息公开的报告", None),
])
def test_report_year_from_title(title, year):
    assert report_year_from_title(title) == year


def test_year_from_statistics_period_when_title_has_none():
    reading = read_report("政府信息公开工作年度报告\n本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。")
    assert reading.year == 2016


def test_page_chrome_is_dropped():
    lines = report_lines("索引号: | 000000000-2019-03726 |\n首页 > 信息公开\n正文一段。\n扫一扫在手机打开当前页\n相關詞條")
    assert [ln.text for ln in lines] == ["正文一段。"]


@pytest.mark.parametrize("junk", [None, "", "   \n\n", "\x00\x01\x02", "<html><body></body></html>",
                                   "一" * 500_000, "|" * 1000, "共1条，其中" * 2000, 12345])
def test_read_report_never_raises_on_junk(junk):
    reading = read_report(junk)
    assert isinstance(reading.problems, list)


# --- table rows ------------------------------------------------------------------------------

def test_parse_row_cells_in_every_separator_style():
    pipes = parse_row(_line("（三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"))
    assert pipes.labels == ("(三)不予公开", "1.属于国家秘密") and pipes.values == (1, 0, 0, 0, 0, 0, 1)
    tabs = parse_row(Line(0, "（七）总计\t5\t0\t\t0\t0\t0\t5", "(七)总计\t5\t0\t\t0\t0\t0\t5"))
    assert tabs.leaf == "(七)总计" and tabs.values == (5, 0, None, 0, 0, 0, 5)
    spaces = parse_row(_line("四、结转下年度继续办理 2 0 0 0 0 0 2"))
    assert spaces.values == (2, 0, 0, 0, 0, 0, 2)


def _table(rows: list[str]) -> list[Line]:
    return report_lines("\n".join(rows))


BASE = ["一、本年新收政府信息公开申请数量 | 10 | 2 | 0 | 0 | 0 | 0 | 12",
        "二、上年结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "三、本年度办理结果 | （一）予以公开 | 5 | 1 | 0 | 0 | 0 | 0 | 6",
        "（二）部分公开 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "（三）不予公开 | 2 | 1 | 0 | 0 | 0 | 0 | 3",
        "1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "2.其他法律行政法规禁止公开 | 1 | 1 | 0 | 0 | 0 | 0 | 2",
        "（四）无法提供 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "（五）不予处理 | 0 | 0 | 0 | 0 | 0 | 0 | 0",
        "（六）其他处理 | 1 | 0 | 0 | 0 | 0 | 0 | 1",
        "（七）总计 | 10 | 2 | 0 | 0 | 0 | 0 | 12",
        "四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 | 1"]


def test_applications_table_with_subtotal_rows_is_consistent():
    """(三) printed as a subtotal above its numbered sub-rows is not counted twice."""
    assert check_applications(_table(BASE)) == []


def test_subtotal_row_disagreeing_with_its_items():
    rows = list(BASE)
    rows[5] = "1.属于国家秘密 | 2 | 0 | 0 | 0 | 0 | 0 | 2"
    rows[10] = "（七）总计 | 11 | 2 | 0 | 0 | 0 | 0 | 13"
    rows[0] = "一、本年新收政府信息公开申请数量 | 11 | 2 | 0 | 0 | 0 | 0 | 13"
    problems = check_applications(_table(rows))
    assert [p.kind for p in problems] == ["total_row", "total_row"]
    assert "(三)不予公开" in problems[0].detail and "自然人栏为2" in problems[0].detail


def test_blank_cells_skip_the_check_instead_of_guessing():
    rows = list(BASE)
    rows[10] = "（七）总计 |  | 2 | 0 | 0 | 0 | 0 | 12"
    assert check_applications(_table(rows)) == []


def test_review_table_blocks():
    header = ["行政复议 | 行政诉讼", "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"]
    ok = _table(header + ["1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 1"])
    assert check_reviews(ok) == []
    bad = _table(header + ["1 | 0 | 0 | 0 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 1 | 0 | 0 | 2"])
    [problem] = check_reviews(bad)
    assert problem.kind == "review_total" and "复议后起诉" in problem.detail


def test_tables_read_through_content_main_text():
    """A generated report rendered as an HTML page, then extracted as the crawler stores it."""
    from crawler.content import main_text

    def page(text: str) -> str:
        out, rows = ["<html><body><div class='article'>"], []
        for line in text.splitlines() + [""]:
            if " | " in line:
                rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in line.split(" | ")) + "</tr>")
                continue
            if rows:
                out.append("<table>" + "".join(rows) + "</table>")
                rows = []
            out.append(f"<p>{html.escape(line)}</p>")
        return "".join(out) + "<div>扫一扫在手机打开当前页</div></div></body></html>"

    assert read_report(main_text(page(report_text("松岭区人民政府", 2022)))).problems == []
    broken = main_text(page(report_text("松岭区人民政府", 2022, defects=("table_rule",))))
    assert [p.kind for p in read_report(broken).problems] == ["table_rule"]


# --- copies ----------------------------------------------------------------------------------

def test_repeated_paragraph_ignores_short_lines_and_tables():
    para = "将政务公开工作纳入年度绩效考核，定期开展栏目内容检查，对发现的问题及时督促整改，确保各项要求落到实处。"
    lines = report_lines("\n".join(["一、总体情况", "一、总体情况", "规章 | 0 | 0 | 0", "规章 | 0 | 0 | 0", para]))
    assert repeated_paragraphs(lines) == []
    twice = report_lines("\n".join([para, "其他内容。", para.replace("年度", "年度 ")]))
    [problem] = repeated_paragraphs(twice)
    assert problem.kind == "repeated_paragraph" and "第1段与第3段" in problem.detail


def test_similarity_masks_figures():
    a = report_lines(report_text("松岭区人民政府", 2022))
    b = report_lines(report_text("松岭区人民政府", 2022).replace("5", "7"))
    assert similarity(a, b) == pytest.approx(1.0)
    assert similarity(a, report_lines(report_text("松岭区人民政府", 2023))) < 0.85
    assert similarity(a, []) is None
