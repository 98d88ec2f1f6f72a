"""column_stale / column_empty: limits per category, boundaries, notes, overrides."""

from __future__ import annotations

import pytest

from audits.checks import columns
from _audit_helpers import RULES, checks_of, column, d, item, site

NEWS = "http://songling.test/xxgk/gzdt/"


@pytest.mark.parametrize("latest,stale", [("2026-11-07", False), ("2026-11-06", True)])
def test_news_column_14_vs_15_days_old(latest, stale):
    s = site(columns=[column("工作动态", NEWS, latest, 3)])
    found = columns.check(s, RULES, d("2026-11-21"))
    assert checks_of(found) == (["column_stale"] if stale else [])
    if stale:
        f = found[0]
        assert (f.column, f.url, f.severity) == ("工作动态", NEWS, "deduct")
        assert f.detail == "栏目最新信息发布于2026-11-06，已15天未更新（限值14天）"


@pytest.mark.parametrize("name,latest,stale", [
    ("通知公告", "2026-05-21", False), ("通知公告", "2026-05-20", True),
    ("政策文件", "2026-05-21", False), ("规范性文件", "2026-05-20", True),
    ("人事信息", "2025-11-21", False), ("人事任免", "2025-11-20", True),
    ("规划计划", "2025-11-20", True),
    ("信息公开指南", "2010-01-01", False),          # other: no limit
    ("政府信息公开年报", "2010-01-01", False),      # judged by the 年报 checks
])
def test_month_limits_per_category(name, latest, stale):
    s = site(columns=[column(name, "http://songling.test/c/", latest, 2)])
    found = columns.check(s, RULES, d("2026-11-21"))
    assert checks_of(found) == (["column_stale"] if stale else [])


def test_traditional_names_are_categorised_after_simplification():
    s = site(columns=[column("工作動態", NEWS, "2026-10-01", 2)])
    found = columns.check(s, RULES, d("2026-11-21"))
    assert checks_of(found) == ["column_stale"] and "限值14天" in found[0].detail


def test_latest_date_falls_back_to_items():
    s = site(columns=[column("工作动态", NEWS, None, 2)],
             items=[item(NEWS, NEWS + "a.html", "a", "2026-09-01"), item(NEWS, NEWS + "b.html", "b", "2026-08-01")])
    found = columns.check(s, RULES, d("2026-11-21"))
    assert [f.detail for f in found] == ["栏目最新信息发布于2026-09-01，已81天未更新（限值14天）"]


def test_site_override_by_name_and_by_url():
    col = column("领导活动", "http://songling.test/xxgk/ldhd/", "2026-10-01", 2)
    assert columns.check(site(columns=[col]), RULES, d("2026-11-21")) == []
    by_name = site(columns=[col], config={"columns": [{"name": "领导活动", "category": "news"}]})
    by_url = site(columns=[col], config={"columns": [{"url": col["url"], "category": "news"}]})
    assert checks_of(columns.check(by_name, RULES, d("2026-11-21"))) == ["column_stale"]
    assert checks_of(columns.check(by_url, RULES, d("2026-11-21"))) == ["column_stale"]
    off = site(columns=[column("工作动态", NEWS, "2026-01-01", 2)],
               config={"columns": [{"name": "工作动态", "category": "other"}]})
    assert columns.check(off, RULES, d("2026-11-21")) == []


def test_empty_column_positive_and_note_negative():
    empty = column("政策解读", "http://songling.test/xxgk/zcjd/", None, 0)
    noted = column("行政许可", "http://songling.test/xxgk/xzxk/", None, 0,
                   empty_note="本栏目暂无信息，本单位不涉及行政许可事项")
    found = columns.check(site(columns=[empty, noted]), RULES, d("2026-11-21"))
    assert [(f.check, f.column, f.url) for f in found] == [("column_empty", "政策解读", empty["url"])]


def test_failed_column_page_and_parent_columns_are_not_empty():
    failed = column("工作动态", NEWS, None, 0, http_status=500)
    parent = column("法定主动公开内容", "http://songling.test/xxgk/fdzdgk/", None, 0)
    child = column("通知公告", "http://songling.test/xxgk/tzgg/", "2026-11-01", 1,
                   parent_url=parent["url"])
    assert columns.check(site(columns=[failed, parent, child]), RULES, d("2026-11-21")) == []


def test_fresh_news_column_is_not_stale():
    s = site(columns=[column("工作动态", NEWS, "2026-11-20", 5)])
    assert columns.check(s, RULES, d("2026-11-21")) == []
