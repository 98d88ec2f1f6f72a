"""The report checks on the real 年报 in ../shared/realreports/ (provenance in its MANIFEST).

Every table and stated total of each file was read by hand with a calculator; the findings
below are the expectation the checker is held to (every problem listed is reported, nothing
else), plus year, unit and table format.

pingtan-2019.txt (平潭综合实验区, 60号 format; crawler text, whole body on one line)
  * "共公布政府信息2599条，(其中机构职能类信息25条 … 其他应主动公开政府信息856条)": 25+68+28+69+
    90+175+67+983+48+124+856 = 2533 ≠ 2599.  → sum_mismatch
  * consistent: 380 = 152+197+27+4 (财政资金信息), 197 = 32+165.
  * all six headings are there, inline after sentences ("…电话：0591-23165250；…。一、总体情况2019年…").
  * the three tables are flattened ("898989", "230 000023", "000000000000000"): not readable cell
    by cell → not checked, inspect says so in three notes.
pingtan-2020.txt (same form)
  * "共公布政府信息2602条(其中机构职能类信息82条 … 1053条)": sum 2603 ≠ 2602.  → sum_mismatch
  * 348 = 162+186 (群众诉求) has no 其中 and is consistent. Tables flattened → notes.
pingtan-2020.html (the same report as a Word-exported TRS page; tables readable cell by cell)
  * the same sum_mismatch;
  * table 2: (七)总计 自然人 20, but (一)6 + (二)6 + (三)0 + (四)4+0+3 + (五)0+3 + (六)4 = 26; 总计
    column 21 vs 7+6+0+7+3+4 = 27 (其他 column 1 = 1 is fine); 一+二 = 三+四 holds (20+0 = 20+0).
    → total_row (one problem naming both columns)
  * table 1 (60号): 规范性文件 77 | 77 | 166, 对外公开总数量 ≥ 本年新公开 ✓; table 3 all zeros ✓.
pingtan-2021.txt (30号 format, one line, page chrome before the body)
  * "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度": the tables are flattened
    ("640020470", "630020469", "10203120001200000", "693665") → nothing checked, three notes.
pingtan-2022.txt (30号, one line; misspelt heading "四、政府信息公开行政法复议、行政诉讼情况")
  * table 3 is spaced ("0 1 1 0 2 1 0 0 0 1 0 0 0 0 0"): 复议 0+1+1+0 = 2 ✓, 直接起诉 1 ✓ — and the
    prose "行政诉讼案件1件、行政复议案件2件" matches; "收到申请75件，涉及自然人72件、商业企业3件"
    72+3 = 75 ✓. Table 2 ("713000074") and table 1 ("8855698") flattened → two notes. No problem.
pingtan-2025.html (TRS_Editor body only: no title; unit from the prose, year from 统计期限)
  * table 2: 151+3 = 154 ✓; (一)33 (二)38 (三)3+2+3+3 (四)49+3+0 (+1 商业) (五)2 (六)8+2+1 →
    自然人 147 ✓, 商业 1 ✓, 总计 148 ✓; 151 = 147+4, 3 = 1+2, 154 = 148+6 ✓; table 3: 25+3+8+0 = 36,
    3+3 = 6, 3 = 3 ✓. Prose "收到申请154件，共办结148件，结转至2026年6件", "行政复议36起，行政诉讼9起"
    (6+3) ✓. No problem.
shanghai-szfbgt-2019.html (上海市人民政府办公厅; 60号; blank cells for zero, 总计 column of the result rows blank)
  * table 2: 821+35+2+1 = 859 ✓, 767+35+2+1 = 805 ✓, 821+18 = 767+72 ✓; (一)…(六) 自然人
    258+3+14+5+3+10+252+44+25+148+5 = 767 ✓, 商业 12+1+2+12+3+1+4 = 35 ✓.
  * prose "予以公开及部分公开258件": the table's (一) row is 258+12+1+1 = 272 and (二) 3, so at least
    275 (258 is only the 自然人 cell).  → prose_table_mismatch
  * prose "因本机关不掌握等原因无法提供265件": (四) is 252+12+1 (不掌握) + 44+3 + 25 = 337 (265 is the
    不掌握 row alone).  → prose_table_mismatch
  * consistent: 859 (受理), 805 (答复), 不予公开 35 = 14+5+3+1+10+2, 不予处理 158 = 148+1+5+4.
sanghai-szfbgt-2025.txt (PDF→Markdown, hard-wrapped lines, page footers "— 3 —")
  * 1259+36 = 1295, 170+15+4 = 189, (七) 1139+48+4 = 1191, 1429 = 1139+290, 51 = 48+3 ✓; groups
    206, 2, 20, 564, 80, 319 add to 1191 and match the prose ("予以公开及部分公开 208 件（17.46%）…"
    — the percentages are the shares of 1191) ✓; table 3: 40+0+10+5 = 55, 2+0+4+6 = 12, 6+0+9+7 = 22 ✓.
  * the heading "五、…存在的主要问题及改进情况" is not printed, but its two sub-headings are
    ("（一）2024 年工作中存在问题的改进情况", "（二）2025 年工作中存在的主要问题"): not missing.
  * table 1 is broken by the converter ("规章 | 22 | 235"): not checked. No problem.
shanghai-stcsm-2024.txt (上海市科委; converter text with split tables)
  * "“上海科技”网站全年累计发布信息 2139 条，其中动态类信息发布 1744 条，政务信息发布 393 条，解读类
    信息发布 21 条，回应公众关注热点信息 2 条": 1744+393+21+2 = 2160 ≠ 2139.  → sum_mismatch
  * "共编发文章 1640 篇，其中原创文章 294 篇；…短视频 584 条…" is one part, no relation.
  * table 2: 32+2 = 34 ✓; 32+2 = 33+1 ✓; the prose (收到 34, 结转 2, 同意公开 9, 不予公开 2, 无法提供 10,
    其他处理 14, 转下一年度 1) matches the rows. No other problem.
shuyang-fgj-2023.html (沭阳县发展和改革局; title has no 工作, page title "…年度报告-沭阳县发改局")
  * "共审核发布各类公开政府信息249条，其中：9+7+39+6+1+1+185+1" = 249 ✓; table 2 26 = 26 ✓; table 3
    0+0+0+1 = 1 ✓; heading "五、存在的主要问题及整改措施" is the problems section. No problem.
shuyang-2025.txt (converter spells the county 沐阳; Markdown tables, table 3 in three pieces)
  * 705+3+5 = 713 ✓; (七) 710+3+5 = 718 ✓; 705+36 = 710+31 ✓; groups 294, 101, 32, 113, 19, 159 → 718 ✓;
    prose "受理 749 件（= 713 新收 + 36 结转），其中自然人 741 件，法人或其他组织 8 件；共办理 718 件，结转
    下一年 31 件" ✓, "相关案件 74 件" = 61+3+10 ✓; "爆款内容52条，其中1条…2条…49条" ✓. No problem.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from audits.reports import read_report
from crawler import content

REAL = Path(__file__).resolve().parents[1].parent / "shared" / "realreports"

#: file → (year, unit, table format, sorted problem kinds, number of "cannot read" notes)
EXPECTED = {
    "pingtan-2019.txt": (2019, "平潭综合实验区", "2019", ["sum_mismatch"], 3),
    "pingtan-2020.txt": (2020, "平潭综合实验区", "2019", ["sum_mismatch"], 3),
    "pingtan-2020.html": (2020, "平潭综合实验区", "2019", ["sum_mismatch", "total_row"], 0),
    "pingtan-2021.txt": (2021, "平潭综合实验区", "2021", [], 3),
    "pingtan-2022.txt": (2022, "平潭综合实验区", "2021", [], 2),
    "pingtan-2025.html": (2025, "平潭综合实验区", "2021", [], 0),
    "shanghai-szfbgt-2019.html": (2019, "上海市人民政府办公厅", "2019",
                                  ["prose_table_mismatch", "prose_table_mismatch"], 0),
    "shanghai-szfbgt-2025.txt": (2025, "上海市人民政府办公厅", "2021", [], 0),
    "shanghai-stcsm-2024.txt": (2024, "上海市科委", "2021", ["sum_mismatch"], 0),
    "shuyang-fgj-2023.html": (2023, "沭阳县发展和改革局", "2021", [], 0),
    "shuyang-2025.txt": (2025, "沐阳县人民政府", "2021", [], 0),
}


def _path(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is missing: the real 年报 live in ../shared (not in users' clones)")
    return path


def _inspect(name: str) -> dict:
    out = subprocess.run(["xxgk", "inspect", str(_path(name)), "--format", "json"], capture_output=True,
                         text=True, timeout=300, check=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect_reads_every_real_report(name):
    year, unit, fmt, kinds, notes = EXPECTED[name]
    result = _inspect(name)
    assert result["kind"] == "annual_report"
    report = result["report"]
    assert report["year"] == year and report["unit"] == unit and report["table_format"] == fmt
    assert sorted(p["kind"] for p in report["problems"]) == kinds, [p["detail"] for p in report["problems"]]
    assert len(report["notes"]) == notes, report["notes"]
    assert not any(p["kind"] in ("section_missing", "section_heading_missing") for p in report["problems"])


def _reading(name: str):
    path = _path(name)
    text = path.read_text(encoding="utf-8")
    return read_report(content.main_text(text) if name.endswith(".html") else text)


def test_pingtan_2020_page_total_row_names_both_columns():
    problem = next(p for p in _reading("pingtan-2020.html").problems if p.kind == "total_row")
    assert "自然人栏总计20，（一）至（六）之和为26" in problem.detail
    assert "总计栏总计21，（一）至（六）之和为27" in problem.detail
    assert "（七）总计" in problem.quote


def test_shanghai_2019_prose_figures_against_the_table():
    details = sorted(p.detail for p in _reading("shanghai-szfbgt-2019.html").problems)
    assert "予以公开及部分公开258件" in details[0] and "至少为275件" in details[0]
    assert "无法提供265件" in details[1] and "至少为337件" in details[1]
    quotes = [p.quote for p in _reading("shanghai-szfbgt-2019.html").problems]
    assert all("市政府办公厅代表市政府共受理政府信息公开申请859件" in q or "予以公开及部分公开258件" in q
               for q in quotes)


def test_stcsm_2024_wrapped_sentence_is_checked_whole():
    problem = _reading("shanghai-stcsm-2024.txt").problems[0]
    assert "1744+393+21+2=2160条" in problem.detail and "2139条" in problem.detail


def test_one_line_pingtan_texts_have_all_six_sections():
    for name in ("pingtan-2019.txt", "pingtan-2020.txt", "pingtan-2021.txt", "pingtan-2022.txt"):
        reading = _reading(name)
        assert reading.sections and all(reading.sections.values()), (name, reading.sections)


def test_flattened_tables_are_said_not_guessed():
    result = _inspect("pingtan-2021.txt")
    notes = result["report"]["notes"]
    assert any("640020470" in n and "无法逐格读取" in n for n in notes)
    out = subprocess.run(["xxgk", "inspect", str(_path("pingtan-2021.txt"))], capture_output=True, text=True,
                         timeout=300, check=True).stdout
    assert "无法逐格读取" in out and "平潭综合实验区" in out
