"""The report checks on generated 年报 (crawler/simulator/reports.py) with injected defects.

The generator writes consistent reports; each defect breaks exactly one relation. The
checker must report exactly the injected kind, and nothing on a consistent report — the
simulator's portals rely on that to hold their ground truth.
"""

from __future__ import annotations

import re
from datetime import date

import opencc
import pytest

from audits.checks import report_text as report_check
from audits.reports import read_report
from crawler.simulator.reports import DEFECTS, report_text
from audits.rules import load_rules
from audits.site import SiteData

RULES = load_rules()

UNITS = ("松岭区人民政府", "高岳街道办事处", "新站区管委会", "楚雄市教育局")
KIND = {"missing_section": "section_missing", "sum_mismatch": "sum_mismatch",
        "table_rule": "table_rule", "total_row": "total_row", "total_column": "total_column",
        "review_total": "review_total", "repeated_paragraph": "repeated_paragraph",
        "copied_report": "copied_report", "carryover": "carryover_mismatch",
        "valid_count": "valid_count_mismatch", "prose_figure": "prose_table_mismatch"}


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("year", [2016, 2019, 2020, 2021, 2022, 2023])
def test_consistent_reports_are_clean(unit, year):
    text = report_text(unit, year)
    reading = read_report(text, previous_text=report_text(unit, year - 1))
    assert reading.year == year
    assert reading.problems == [], [p.detail for p in reading.problems]
    assert reading.similarity is not None and reading.similarity < 0.85
    assert all(reading.sections.values())


def test_2021_format_has_the_three_tables():
    text = report_text("松岭区人民政府", 2022)
    assert "本年制发件数" in text and "（七）总计" in text and "结果维持" in text
    assert read_report(text).fmt == "2021"
    assert read_report(report_text("松岭区人民政府", 2020)).fmt == "2019"


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("defect", DEFECTS)
@pytest.mark.parametrize("year", [2021, 2022])
def test_each_injected_defect_is_found_with_its_kind(unit, defect, year):
    text = report_text(unit, year, defects=(defect,))
    reading = read_report(text, previous_text=report_text(unit, year - 1))
    kinds = {p.kind for p in reading.problems}
    if defect == "valid_count" and year == 2021:
        # 2020's report used the 60号 table (no 现行有效件数): nothing to carry forward
        assert kinds == set(), [p.detail for p in reading.problems]
        return
    assert kinds == {KIND[defect]}, [p.detail for p in reading.problems]
    for problem in reading.problems:
        assert problem.check == "annual_report_inconsistent"
        assert problem.detail
        if problem.kind != "section_missing":
            assert problem.quote and problem.quote.split(" / ")[0][:20] in text


@pytest.mark.parametrize("defect", ["missing_section", "sum_mismatch", "repeated_paragraph"])
def test_defects_in_2008_format_reports(defect):
    text = report_text("高岳街道办事处", 2015, defects=(defect,))
    reading = read_report(text)
    assert reading.fmt == "2008"
    assert {p.kind for p in reading.problems} == {KIND[defect]}


def _numbers(row: str) -> list[int]:
    return [int(x) for x in re.findall(r"(?<=\| )-?\d+", row)]


def test_table_rule_names_the_column_and_figures():
    text = report_text("松岭区人民政府", 2022, defects=("table_rule",))
    rows = {line.split(" | ")[0]: _numbers(line) for line in text.splitlines() if " | " in line}
    new, carried = rows["一、本年新收政府信息公开申请数量"], rows["二、上年结转政府信息公开申请数量"]
    total, keep = rows["（七）总计"], rows["四、结转下年度继续办理"]
    assert new[0] + carried[0] != total[0] + keep[0]          # the generator did break it
    [problem] = read_report(text).problems
    assert "第一项加第二项之和，等于第三项加第四项之和" in problem.detail
    assert f"自然人栏：第一项{new[0]}+第二项{carried[0]}" in problem.detail
    assert "（七）总计" in problem.quote


def test_total_row_and_review_total_details():
    [row] = read_report(report_text("新站区管委会", 2021, defects=("total_row",))).problems
    assert "（七）总计" in row.detail and "自然人栏" in row.detail
    [review] = read_report(report_text("新站区管委会", 2021, defects=("review_total",))).problems
    assert "“行政复议”的总计" in review.detail


def test_copied_report_states_similarity():
    unit = "楚雄市教育局"
    previous = report_text(unit, 2022)
    copied = report_text(unit, 2023, defects=("copied_report",))
    assert "2023年政府信息公开工作年度报告" in copied
    reading = read_report(copied, previous_text=previous)
    [problem] = reading.problems
    assert problem.kind == "copied_report" and reading.similarity > 0.95
    assert re.search(r"相似度达\d+%", problem.detail) and "2022年度" in problem.detail
    # Without last year's text there is nothing to compare.
    assert read_report(copied).problems == []


def test_copy_with_new_figures_is_still_a_copy():
    """A copy usually updates the numbers only: figures are masked before comparing."""
    previous = report_text("松岭区人民政府", 2022)
    copied = re.sub(r"(?<=公开)(\d+)(?=条)", lambda m: str(int(m.group(1)) + 11), previous)
    copied = copied.replace("2022年", "2023年")
    assert copied != previous
    kinds = {p.kind for p in read_report(copied, previous_text=previous).problems}
    assert "copied_report" in kinds


_S2T = opencc.OpenCC("s2t")


@pytest.mark.parametrize("year", [2016, 2022])
def test_traditional_script_reports_read_the_same(year):
    text = report_text("松岭区人民政府", year)
    traditional = _S2T.convert(text)
    assert traditional != text and "報告" in traditional
    assert ("總體情況" in traditional) == (year >= 2019)
    assert read_report(traditional).problems == []
    broken = _S2T.convert(report_text("松岭区人民政府", year, defects=("sum_mismatch",)))
    assert {p.kind for p in read_report(broken).problems} == {"sum_mismatch"}


def test_section_title_variants_are_accepted():
    """Numbering styles, 繁體 and wording variants of the six 2019/2021 section titles."""
    text = report_text("松岭区人民政府", 2022)
    variants = {"一、总体情况": "第一部分 總體情況", "二、主动公开政府信息情况": "（二）主動公開政府資訊情況",
                "三、收到和处理政府信息公开申请情况": "3．收到和處理政府信息公開申請情況",
                "四、政府信息公开行政复议、行政诉讼情况": "四.政府信息公开行政复议和行政诉讼情况",
                "五、存在的主要问题及改进情况": "五、存在的主要問題及改進情況",
                "六、其他需要报告的事项": "六、其他需要報告的事項"}
    for old, new in variants.items():
        assert old in text
        text = text.replace(old, new)
    assert read_report(text).problems == []
    # heading and paragraph gone: the content is missing (heading alone gone: see below)
    dropped = "\n".join(line for line in text.replace("五、存在的主要問題及改進情況\n", "").splitlines()
                        if not line.startswith("本年度政务公开工作仍存在一些不足"))
    problems = read_report(dropped).problems
    assert [p.kind for p in problems] == ["section_missing"]
    assert "存在的主要问题及改进情况" in problems[0].detail


def _site(docs: list[dict], items: list[dict], col_url: str, status: str = "ok") -> SiteData:
    """A hand-made crawl of one site whose 年报 column lists ``items`` (rows as the store keeps them)."""
    column = {"run_id": 1, "site_id": "songling", "name": "政府信息公开年报", "url": col_url,
              "category": None, "item_count": len(items), "latest_date": "2024-01-20"}
    return SiteData(site={"id": "songling", "name": "松岭区人民政府", "url": "http://songling.test/",
                          "config": {}},
                    crawl={"run_id": 1, "site_id": "songling", "status": status},
                    columns=[column], column_items=items, documents=docs, rules=RULES)


def _stored(year_texts: dict[int, str], col_url: str = "http://songling.test/xxgk/ndbg/"):
    docs, items = [], []
    for n, (year, text) in enumerate(year_texts.items()):
        url = f"{col_url}{year}.html"
        title = f"松岭区人民政府{year}年政府信息公开工作年度报告"
        items.append({"run_id": 1, "site_id": "songling", "column_url": col_url, "url": url,
                      "title": title, "list_date": f"{year + 1}-01-20", "position": n})
        docs.append({"site_id": "songling", "url": url, "title": title, "column_url": col_url,
                     "published": f"{year + 1}-01-20", "text": text})
    return _site(docs, items, col_url)


def test_audit_check_reads_every_stored_report():
    """audits/checks/report_text.py: one finding per problem, with the report's URL and year."""
    col_url = "http://songling.test/xxgk/ndbg/"
    texts = {2021: report_text("松岭区人民政府", 2021),
             2022: report_text("松岭区人民政府", 2022, defects=("review_total",)),
             2023: report_text("松岭区人民政府", 2023, defects=("copied_report",))}
    stored = _stored(texts, col_url)
    docs, items = stored.documents, stored.column_items
    # A document without text (page not fetched) is skipped, not judged.
    docs.append({"site_id": "songling", "url": f"{col_url}2020.html", "column_url": col_url,
                 "title": "松岭区人民政府2020年政府信息公开工作年度报告", "text": None})
    as_of = date(2024, 6, 1)
    findings = report_check.check(_site(docs, items, col_url), RULES, as_of)
    got = sorted((f.year, f.url.rsplit("/", 1)[1]) for f in findings)
    assert got == [(2022, "2022.html"), (2023, "2023.html")]
    by_year = {f.year: f for f in findings}
    assert "行政复议" in by_year[2022].detail and "相似度" in by_year[2023].detail
    assert all(f.check == "annual_report_inconsistent" and f.severity == "deduct"
               and f.column == "政府信息公开年报" for f in findings)
    # An unreachable site is judged unreachable only.
    assert report_check.check(_site(docs, items, col_url, status="unreachable"), RULES, as_of) == []


@pytest.mark.parametrize("year", [2020, 2022])
def test_heading_missing_but_content_present_is_said_so(year):
    text = report_text("松岭区人民政府", year)
    heading = "五、存在的主要问题及改进情况"
    assert heading in text
    reading = read_report(text.replace(heading + "\n", ""), previous_text=report_text("松岭区人民政府", year - 1))
    assert [p.kind for p in reading.problems] == ["section_heading_missing"], [p.detail for p in reading.problems]
    assert "存在的主要问题及改进情况" in reading.problems[0].detail and "不足" in reading.problems[0].quote
    # with the paragraph gone too, the content is missing
    dropped = read_report(report_text("松岭区人民政府", year, defects=("missing_section",)))
    assert [p.kind for p in dropped.problems] == ["section_missing"]


def test_audit_cross_year_carried_over_figure_differs():
    """Two consecutive stored years: 2023's 上年结转 is not 2022's 结转下年度 → one finding on 2023."""
    unit = "松岭区人民政府"
    clean = _stored({2022: report_text(unit, 2022), 2023: report_text(unit, 2023)})
    assert report_check.check(clean, RULES, date(2024, 6, 1)) == []
    site = _stored({2022: report_text(unit, 2022), 2023: report_text(unit, 2023, defects=("carryover",))})
    findings = report_check.check(site, RULES, date(2024, 6, 1))
    assert [(f.year, f.url.rsplit("/", 1)[1]) for f in findings] == [(2023, "2023.html")]
    assert "上年结转" in findings[0].detail and "2022年度报告" in findings[0].detail
    assert "自然人栏" in findings[0].detail
    # the same 2023 report alone (2022 not stored): nothing to compare, nothing said
    alone = _stored({2023: report_text(unit, 2023, defects=("carryover",))})
    assert report_check.check(alone, RULES, date(2024, 6, 1)) == []


def test_audit_cross_year_valid_count():
    unit = "松岭区人民政府"
    site = _stored({2022: report_text(unit, 2022), 2023: report_text(unit, 2023, defects=("valid_count",))})
    findings = report_check.check(site, RULES, date(2024, 6, 1))
    assert [f.year for f in findings] == [2023] and "现行有效件数" in findings[0].detail


def test_audit_skips_another_units_report_reposted_under_a_bare_title():
    text = report_text("楚雄市教育局", 2022, defects=("review_total",))
    site = _stored({2022: text})
    site.documents[0]["title"] = site.column_items[0]["title"] = "2022年政府信息公开工作年度报告"
    assert report_check.check(site, RULES, date(2024, 6, 1)) == []
    own = _stored({2022: report_text("松岭区人民政府", 2022, defects=("review_total",))})
    own.documents[0]["title"] = own.column_items[0]["title"] = "2022年政府信息公开工作年度报告"
    assert [f.year for f in report_check.check(own, RULES, date(2024, 6, 1))] == [2022]


# --- Word-pasted HTML pages (rowspan/colspan labels, blank cells) ---------------------------

@pytest.mark.parametrize("year", [2020, 2022])
@pytest.mark.parametrize("blank_zeros", [False, True])
def test_word_pasted_html_reports_are_clean(year, blank_zeros):
    from _report_files import word_html
    from crawler.content import main_text

    text = main_text(word_html(report_text("松岭区人民政府", year), blank_zeros=blank_zeros))
    reading = read_report(text, previous_text=report_text("松岭区人民政府", year - 1))
    assert reading.year == year and reading.unit == "松岭区人民政府"
    assert reading.problems == [], [p.detail for p in reading.problems]


@pytest.mark.parametrize("year", [2020, 2022])
@pytest.mark.parametrize("defect", DEFECTS)
def test_word_pasted_html_each_defect_found(defect, year):
    from _report_files import word_html
    from crawler.content import main_text

    text = main_text(word_html(report_text("松岭区人民政府", year, defects=(defect,))))
    reading = read_report(text, previous_text=report_text("松岭区人民政府", year - 1))
    expected = set() if defect == "valid_count" and year < 2022 else {KIND[defect]}   # 60号: no 现行有效件数
    assert {p.kind for p in reading.problems} == expected, [p.detail for p in reading.problems]
