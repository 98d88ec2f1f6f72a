"""The report checks on the five real 年报 texts in ../shared/seed-reports/.

What a careful reader finds in each text, by reading it with a calculator (the expectation the
checker is held to — every problem listed is reported, and nothing else):

songling-2018 (2018 → 2008 条例 contents)
  * "我区主动公开政府信息1209条。其中，政府网站公开政府信息1124条、主动公开规范性文件17条、
    政务微信公开政府信息数85条": 1124+17+85 = 1226 ≠ 1209 (the 17 规范性文件 are evidently
    also counted in the 1124 of the website; as printed the parts exceed the total).  → sum_mismatch
  * checked and consistent: "办理和推送952件(实际受理办理60件、推送892件)" 60+892 = 952; the
    table row 1124 | 17 | 85 | 658 | 630 matches the prose; "6类信息" lists six kinds.
  * sections: 主动公开 (二(一)), 依申请公开 (二(二)), 复议诉讼 (二(三)), 费用 (二(五)
    "政府信息公开相关费用情况" — a wording variant of the fees section, accepted), 存在的主要
    问题 + 2019年工作思路. Nothing missing.
hefei-xinzhan-2016 (繁體; 2008 contents)
  * "公開政府信息6104條，其中主動公開5387條，依申請公開30，不予公開685條": 5387+30+685 =
    6102 ≠ 6104 (the 30 has no unit; it is still a part of the list).  → sum_mismatch
  * no section or sentence on 收费及减免, on 行政复议/行政诉讼, nor on 存在的问题及改进 (the
    only "存在問題" is about the quarterly 通报 mechanism). 主动公开 and 依申请公开 are reported
    in figures.  → one section_missing naming those three
  * noticed but not an inconsistency of this check: "內部系統公開針對性強。二是內部系統公開針對性強"
    (a sentence fragment doubled inside one paragraph — an editing slip, not a repeated paragraph);
    "依申請公開30" vs "接到依申請公開21條" count different things (items vs applications).
gaoyue-2010 (2008 contents)
  * six sections about leadership, key work, mechanisms, training, supervision and
    "存在的主要问题及2011年计划"; no statistics of 主动公开 ("刊登各类信息110多条" is news on a
    website), nothing on 依申请公开, 收费及减免, 复议诉讼.  → one section_missing naming four
  * no total/parts relation in the text ("799件，办结率100%", "78份", "64.4万元" are single figures).
chaohu-2017 (繁體; 2008 contents)
  * "二、政府信息公開工作開展情況" and its whole paragraph "(一)堅持公開常態化…" are printed
    twice in a row.  → repeated_paragraph (once)
  * checked and consistent: 30506+269+96 = 30871 and 98.82% / 0.87% / 0.31% are the shares
    (98.818…, 0.871…, 0.311…); 12+83+5 = 100件; "11個重點部門" lists eleven; 48+17 = 65 units.
  * all 2008 contents present (主动公开 in figures, 三 依申请, 四 复议诉讼, 五 收费, 七 问题).
chuxiong-gxq-2018 (filed in the 年报 column)
  * its title is "2018年政务公开工作要点落实情况报告": no 政府信息公开工作年度报告.  → not_annual_report
  * it reports no 主动公开 or 依申请公开 figures, nothing on 收费及减免, and mentions 行政复议/
    诉讼 only as a duty ("正确处理…依法申请的行政复议和行政诉讼").  → section_missing naming four
  * it has 存在问题及下步工作打算; no figures relation to check.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from audits.reports import read_report

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed-reports"


def _text(name: str) -> str:
    path = SEED / name
    if not path.exists():
        pytest.skip(f"{path} is missing: the real 年报 texts live in ../shared (not in users' clones)")
    return path.read_text(encoding="utf-8")


def _kinds(reading) -> list[str]:
    return sorted(p.kind for p in reading.problems)


def _one(reading, kind: str):
    found = [p for p in reading.problems if p.kind == kind]
    assert len(found) == 1, [p.detail for p in reading.problems]
    return found[0]


def test_songling_2018_parts_exceed_total():
    reading = read_report(_text("songling-2018.txt"))
    assert reading.year == 2018 and reading.fmt == "2008"
    assert _kinds(reading) == ["sum_mismatch"]
    problem = _one(reading, "sum_mismatch")
    assert "1124+17+85=1226条" in problem.detail and "1209条" in problem.detail
    assert "1209条" in problem.quote and "政务微信公开政府信息数85条" in problem.quote
    assert all(reading.sections.values())


def test_hefei_xinzhan_2016_sum_and_missing_contents():
    reading = read_report(_text("hefei-xinzhan-2016.txt"))
    assert reading.year == 2016
    assert _kinds(reading) == ["section_missing", "sum_mismatch"]
    total = _one(reading, "sum_mismatch")
    assert "5387+30+685=6102条" in total.detail and "6104条" in total.detail
    assert "主動公開5387條" in total.quote          # quoted as printed (繁體), for Ctrl-F
    assert "主動" not in total.detail               # the bulletin sentence is 简体
    missing = _one(reading, "section_missing").detail
    for label in ("收费及减免", "行政复议", "存在的主要问题及改进"):
        assert label in missing
    assert "主动公开政府信息情况" not in missing and "依申请公开" not in missing


def test_gaoyue_2010_lacks_four_required_contents():
    reading = read_report(_text("gaoyue-2010.txt"))
    assert reading.year == 2010
    assert _kinds(reading) == ["section_missing"]
    missing = _one(reading, "section_missing")
    for label in ("主动公开政府信息情况", "依申请公开政府信息情况", "收费及减免", "行政复议"):
        assert label in missing.detail
    assert "存在的主要问题" not in missing.detail
    assert "六、存在的主要问题及2011年计划" in missing.quote   # the headings, to verify at a glance


def test_chaohu_2017_repeated_paragraph_only():
    reading = read_report(_text("chaohu-2017.txt"))
    assert reading.year == 2017
    assert _kinds(reading) == ["repeated_paragraph"]
    assert "堅持公開常態化" in _one(reading, "repeated_paragraph").quote


def test_chaohu_percentages_are_checked():
    """The shares 98.82/0.87/0.31% hold; a misprinted share is caught on the same real text."""
    text = _text("chaohu-2017.txt").replace("占總數的0.87%", "占總數的1.87%")
    reading = read_report(text)
    percent = [p for p in reading.problems if p.kind == "percent_mismatch"]
    assert len(percent) == 1 and "1.87%" in percent[0].detail and "0.87%" in percent[0].detail


def test_chuxiong_2018_is_no_annual_report():
    reading = read_report(_text("chuxiong-gxq-2018.txt"))
    assert reading.year == 2018
    assert _kinds(reading) == ["not_annual_report", "section_missing"]
    assert "工作要点落实情况报告" in _one(reading, "not_annual_report").detail
    missing = _one(reading, "section_missing").detail
    for label in ("主动公开政府信息情况", "依申请公开政府信息情况", "收费及减免", "行政复议"):
        assert label in missing
    assert "存在的主要问题" not in missing


def test_corrected_songling_is_clean():
    """Fix the one figure and the report reads clean: the finding came from that sentence."""
    text = _text("songling-2018.txt").replace("政府网站公开政府信息1124条", "政府网站公开政府信息1107条")
    assert read_report(text).problems == []


def test_inspect_json_lists_report_problems():
    _text("songling-2018.txt")
    import json

    from click.testing import CliRunner

    from xxgk.cli import cli

    result = CliRunner().invoke(cli, ["inspect", str(SEED / "songling-2018.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["report"]["year"] == 2018
    assert [p["kind"] for p in data["report"]["problems"]] == ["sum_mismatch"]
    assert data["report"]["problems"][0]["check"] == "annual_report_inconsistent"
