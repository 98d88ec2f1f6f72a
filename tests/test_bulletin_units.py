"""Pieces of the 通报: problem identity across periods, working-day deadlines, periods, the
check catalogue, Markdown escaping, configuration, and the CLI's errors."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from _bulletin_helpers import CONFIG, md_table, october, two_periods, write_sample
from audits.bulletin import BulletinConfig, BulletinError, Period, gather, write_bulletin
from audits.bulletin import catalogue, workdays
from audits.bulletin.compare import compare, problem_key
from audits.bulletin.md_writer import md_escape
from audits.rules import load_rules, parse_rules
from crawler.store import Store


def _f(check="column_stale", url="http://a.gov.cn/xxgk/gzdt/", site="a", **kw) -> dict:
    return {"site_id": site, "check": check, "url": url, "column": kw.pop("column", "工作动态"),
            "year": kw.pop("year", None), "detail": kw.pop("detail", "已81天未更新"), **kw}


# --- compare: new / persisting / fixed ------------------------------------------------------

def test_same_problem_with_new_numbers_and_renamed_column_persists():
    before = [_f(detail="已81天未更新", column="工作動態")]
    now = [_f(detail="已111天未更新", column="政务动态")]
    result = compare(now, before)
    assert (len(result.new), len(result.persisting), len(result.fixed)) == (0, 1, 0)
    assert result.persisting[0]["detail"] == "已111天未更新"   # the current finding is reported


def test_url_fragment_and_host_case_do_not_split_a_problem():
    assert problem_key(_f(url="HTTP://A.gov.cn/xxgk/gzdt/#top")) == problem_key(_f())
    assert problem_key(_f(url="http://a.gov.cn/xxgk/GZDT/")) != problem_key(_f())   # paths are case-sensitive


def test_year_site_and_check_separate_problems():
    base = _f(check="annual_report_missing", url="http://a.gov.cn/ndbg/", year=2023)
    assert problem_key(base) != problem_key({**base, "year": 2024})
    assert problem_key(base) != problem_key({**base, "site_id": "b"})
    assert problem_key(base) != problem_key({**base, "check": "annual_report_late"})


def test_without_url_the_column_name_identifies_the_problem():
    assert problem_key(_f(url=None, column="工作动态")) == problem_key(_f(url="", column=" 工作动态 "))
    assert problem_key(_f(url=None, column="工作动态")) != problem_key(_f(url=None, column="通知公告"))


def test_new_fixed_and_persisting_split_and_duplicates_count_as_multisets():
    stale, empty, broken = _f(), _f("column_empty", "http://a.gov.cn/c/"), _f("broken_link", "http://a.gov.cn/x.pdf")
    twice = _f("metadata_invalid", "http://a.gov.cn/d.html")
    result = compare([stale, empty, twice, {**twice, "detail": "发布日期晚于检查日"}], [stale, broken, twice])
    assert [f["check"] for f in result.new] == ["column_empty", "metadata_invalid"]
    assert sorted(f["check"] for f in result.persisting) == ["column_stale", "metadata_invalid"]
    assert [f["check"] for f in result.fixed] == ["broken_link"]


def test_no_previous_period_means_all_new():
    result = compare([_f(), _f("broken_link", "http://a.gov.cn/x.pdf")], [])
    assert (len(result.new), result.persisting, result.fixed) == (2, [], [])


# --- gather: periods and the store ------------------------------------------------------------

def test_previous_period_absent_all_problems_new(tmp_path):
    store = Store(tmp_path / "x.db")
    october(store)
    data = gather(store, "2026-10", BulletinConfig.from_mapping(CONFIG))
    store.close()
    assert data.previous_monitored == 0
    assert data.count("new") == len(data.problems) == 3 and data.fixed == []


def test_period_uses_latest_audited_crawl_and_sites_of_both_periods(tmp_path):
    store = two_periods(tmp_path / "x.db")
    data = gather(store, "2026-11", BulletinConfig.from_mapping(CONFIG))
    store.close()
    runs = {s.site_id: s.crawl_date for s in data.sites}
    # the early November run is superseded, the later un-audited one is ignored
    assert runs == {"songling": "2026-11-03", "beihu": "2026-11-03", "xishan": "2026-11-03"}
    assert not any("早先运行" in p.detail for p in data.problems)
    assert (data.count("new"), data.count("persisting"), data.count("fixed")) == (7, 1, 2)
    assert {p.check for p in data.fixed} == {"site_unreachable", "annual_report_missing"}
    assert [p.status for p in data.notes] == ["info"] and len(data.problems) == 8
    assert data.qualified == 2 and round(data.qualified_rate, 3) == 0.667


def test_empty_period_is_a_clear_error(tmp_path):
    store = two_periods(tmp_path / "x.db")
    with pytest.raises(BulletinError, match="2026年9月没有已检查的监测记录"):
        write_bulletin(store, "2026-09", tmp_path / "out", config=CONFIG)
    store.close()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("text", ["2026-13", "2026/11", "202611", "", "11-2026"])
def test_bad_period_text(text):
    with pytest.raises(BulletinError, match="YYYY-MM"):
        Period.parse(text)


def test_period_arithmetic():
    assert Period.parse("2026-1").previous == Period(2025, 12)
    assert Period.parse(" 2026-11 ").label == "2026年11月" and Period(2026, 3).key == "2026-03"


# --- working-day deadline ---------------------------------------------------------------------

def test_fifteen_workdays_skip_weekends(monkeypatch):
    monkeypatch.setattr(workdays, "_cc", None)       # no holiday calendar: Monday–Friday
    assert workdays.add_workdays(date(2026, 11, 20), 15) == date(2026, 12, 11)   # Fri → Fri +3 weeks
    assert workdays.add_workdays(date(2026, 11, 21), 1) == date(2026, 11, 23)    # Sat → Mon
    assert workdays.add_workdays(date(2026, 11, 20), 0) == date(2026, 11, 20)
    assert not workdays.calendar_known(date(2026, 11, 20))


def test_holidays_and_makeup_days_from_the_official_calendar():
    pytest.importorskip("chinese_calendar", reason="optional package chinese-calendar not installed")
    # 2025 国庆: 10月1日–8日 off; Sunday 9月28日 and Saturday 10月11日 are working days (调休)
    assert workdays.calendar_known(date(2025, 9, 26))
    assert workdays.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert workdays.add_workdays(date(2025, 9, 26), 5) == date(2025, 10, 10)
    assert workdays.add_workdays(date(2025, 9, 26), 6) == date(2025, 10, 11)
    # a year the package does not know yet falls back to weekdays
    assert not workdays.calendar_known(date(2199, 1, 1))
    assert workdays.add_workdays(date(2199, 1, 4), 1) == date(2199, 1, 7)   # Fri → Mon


def test_deadline_in_the_bulletin_text(tmp_path):
    md = write_sample(tmp_path, formats=("md",))["md"].read_text(encoding="utf-8")
    deadline = workdays.add_workdays(date(2026, 11, 20), 15)
    assert f"于{deadline.year}年{deadline.month}月{deadline.day}日前（15个工作日内）完成整改" in md


# --- check catalogue from rules.yaml ----------------------------------------------------------

def test_catalogue_names_and_order_come_from_rules_yaml():
    rules = load_rules()
    assert catalogue.catalogue() == list(rules.labels)
    ids = [c for c, _ in rules.checks]
    assert sorted(reversed(ids), key=catalogue.check_order) == ids
    assert catalogue.check_order("some_new_check") > catalogue.check_order(ids[-1])
    assert catalogue.check_name("some_new_check") == "some_new_check"


def test_catalogue_follows_an_edited_rules_file(monkeypatch):
    edited = parse_rules({"checks": [{"id": "broken_link", "label": "链接失效"},
                                     {"id": "column_empty", "label": "栏目无内容"}]})
    monkeypatch.setattr(catalogue, "load_rules", lambda: edited)
    assert catalogue.check_name("broken_link") == "链接失效"
    assert catalogue.check_order("broken_link") < catalogue.check_order("column_empty")
    assert catalogue.veto_names(["column_empty"]) == "栏目无内容"


# --- Markdown escaping ------------------------------------------------------------------------

def test_markdown_escapes_text_and_autolinks_urls():
    assert md_escape("a|b *x* <script>") == r"a\|b \*x\* \<script\>"
    assert md_escape("网址：http://x.gov.cn/t20200517_1492978.html。") == \
        "网址：<http://x.gov.cn/t20200517_1492978.html>。"
    assert md_escape("见http://x.gov.cn/a_b.html.") == r"见<http://x.gov.cn/a_b.html>."
    assert md_escape("http://x.gov.cn/q?a=1|2") == "<http://x.gov.cn/q?a=1%7C2>"
    assert md_escape("第一行\n第二行_") == r"第一行 第二行\_"


# --- configuration: the seeds file's bulletin: block ------------------------------------------

def test_issuer_scope_and_deadline_from_config(tmp_path):
    store = two_periods(tmp_path / "x.db")
    cfg = {"issuer": "松岭市政务公开办公室", "scope": "全区", "deadline_workdays": 10,
           "issue_date": "2026-11-20"}
    (md,) = write_bulletin(store, "2026-11", tmp_path / "out", "md", cfg)[:1]
    store.close()
    text = md.read_text(encoding="utf-8")
    assert text.startswith("# 关于2026年11月全区政府网站信息公开专栏监测情况的通报")
    assert "松岭市政务公开办公室于2026年11月3日对全区3个政府网站" in text
    assert "（10个工作日内）" in text
    assert len(md_table(text, "附件1")) == 4


@pytest.mark.parametrize("bad", [{"isuer": "x"}, {"deadline_workdays": 0}, {"deadline_workdays": "15"},
                                 {"issue_date": "2026-13-01"}, {"scope": ""}])
def test_bad_config_is_a_one_line_error(bad):
    with pytest.raises(BulletinError) as exc:
        BulletinConfig.from_mapping(bad)
    assert "\n" not in str(exc.value)


# --- the CLI ----------------------------------------------------------------------------------

def _cli(*args):
    from xxgk.cli import cli

    return CliRunner().invoke(cli, ["bulletin", *args])


def test_cli_bad_period_is_one_line_error(tmp_path):
    result = _cli("--period", "2026-13", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "o"))
    assert result.exit_code != 0
    assert "YYYY-MM" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_empty_period_fails_without_files(tmp_path):
    two_periods(tmp_path / "x.db").close()
    result = _cli("--period", "2026-12", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert "2026年12月没有已检查的监测记录" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_cli_bad_format_and_seeds_block(tmp_path):
    two_periods(tmp_path / "x.db").close()
    result = _cli("--period", "2026-11", "--db", str(tmp_path / "x.db"), "--format", "pdf")
    assert result.exit_code != 0 and "pdf" in result.output
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text("portals:\n  - {id: a, name: 甲, url: 'http://a.gov.cn/'}\n"
                     "bulletin: {issuer: 乙市政务公开办, scope: 全县, issue_date: 2026-11-20}\n",
                     encoding="utf-8")
    result = _cli("--period", "2026-11", "--db", str(tmp_path / "x.db"), "--out", str(tmp_path / "o"),
                  "--format", "md", "--seeds", str(seeds))
    assert result.exit_code == 0, result.output
    md = (tmp_path / "o" / "bulletin-2026-11.md").read_text(encoding="utf-8")
    assert "全县" in md.splitlines()[0] and "乙市政务公开办" in md
