"""Verdict thresholds: 4 vs 5 empty, 4 vs 5 stale key columns, 9 vs 10 stale overall, unreachable."""

from __future__ import annotations

import pytest

from audits.checks import columns, reachability
from audits.verdict import judge
from _audit_helpers import RULES, column, d, site

AS_OF = d("2026-11-21")


def _verdict(cols, **kw):
    s = site(columns=cols, **kw)
    found = columns.check(s, RULES, AS_OF) + reachability.check(s, RULES, AS_OF)
    return judge(found, s, RULES)


@pytest.mark.parametrize("n,fails", [(4, False), (5, True)])
def test_empty_columns_threshold(n, fails):
    cols = [column(f"栏目{i}", f"http://songling.test/c{i}/", None, 0) for i in range(n)]
    v = _verdict(cols)
    assert (v.verdict, v.vetoes) == (("不合格", ("column_empty",)) if fails else ("合格", ()))


@pytest.mark.parametrize("n,fails", [(4, False), (5, True)])
def test_stale_key_columns_threshold(n, fails):
    names = ["工作动态", "通知公告", "政策文件", "部门动态", "公示公告"]
    cols = [column(names[i], f"http://songling.test/k{i}/", "2025-01-01", 2) for i in range(n)]
    cols += [column(f"人事信息{i}", f"http://songling.test/p{i}/", "2025-01-01", 2) for i in range(3)]
    v = _verdict(cols)
    assert v.vetoes == (("column_stale",) if fails else ())


@pytest.mark.parametrize("n,fails", [(9, False), (10, True)])
def test_stale_overall_threshold(n, fails):
    cols = [column("工作动态", "http://songling.test/news/", "2025-01-01", 2)]   # 1 key column
    cols += [column(f"人事信息{i}", f"http://songling.test/p{i}/", "2024-01-01", 2) for i in range(n - 1)]
    v = _verdict(cols)
    assert v.vetoes == (("column_stale",) if fails else ())
    assert v.verdict == ("不合格" if fails else "合格")


def test_unreachable_crawl_is_not_checked_rather_than_vetoed():
    # SPEC: one crawl that could not reach the entry is no 19号 measurement; the site is unknown.
    v = _verdict([], status="unreachable", error="DNS lookup failed")
    assert (v.verdict, v.vetoes) == ("未能自动检查", ())
    assert "DNS lookup failed" in v.reason


def test_reachability_finding_names_error_and_portal():
    s = site(status="unreachable", error="Connection refused")
    [f] = reachability.check(s, RULES, AS_OF)
    assert (f.check, f.severity) == ("site_down_at_crawl", "deduct")
    assert f.url == "http://songling.test/" and "Connection refused" in f.detail
    assert "没有可用性监测记录" in f.detail
    assert reachability.check(site(status="partial"), RULES, AS_OF) == []
