"""Unknown is not a defect: column_unreadable / column_incomplete notes and the 未能自动检查 verdict.

Hand-made crawl rows (shaped as crawler/store.py stores them); the e2e crawls over HTTP are in
tests/test_unseen_e2e.py.
"""

from __future__ import annotations

from audits.checks import annual_reports, columns, coverage, metadata
from audits.engine import audit_site
from audits.verdict import FAIL, PASS, UNCHECKED, judge
from _audit_helpers import RULES, column, d, document, item, site

AS_OF = d("2026-11-21")


def _cols(n_ok: int, n_unreadable: int, n_incomplete: int = 0) -> list[dict]:
    out = [column(f"工作动态{i}", f"http://songling.test/ok{i}/", "2026-11-20", 3) for i in range(n_ok)]
    out += [column(f"通知公告{i}", f"http://songling.test/u{i}/", None, 0, status="unreadable",
                   status_reason="需要浏览器引擎") for i in range(n_unreadable)]
    out += [column(f"政策文件{i}", f"http://songling.test/p{i}/", "2024-01-01", 30, status="incomplete",
                   status_reason="栏目标明共48条信息，只读取到30条") for i in range(n_incomplete)]
    return out


def _judge(s):
    findings, verdict = audit_site(s, RULES, AS_OF)
    return findings, verdict


def test_unreadable_column_is_an_info_note_never_empty_or_stale():
    s = site(columns=_cols(3, 1, 1))
    findings, verdict = _judge(s)
    checks = {(f.check, f.url) for f in findings}
    assert ("column_unreadable", "http://songling.test/u0/") in checks
    assert ("column_incomplete", "http://songling.test/p0/") in checks
    assert not {c for c, _ in checks} & {"column_empty", "column_stale"}
    [note] = [f for f in findings if f.check == "column_unreadable"]
    assert note.severity == "info" and "需要浏览器引擎" in note.detail and note.column == "通知公告0"
    [partial] = [f for f in findings if f.check == "column_incomplete"]
    assert partial.severity == "info" and "只读取到30条" in partial.detail
    assert verdict.verdict == PASS          # 3 of 5 columns fully seen: judged, nothing wrong


def test_the_same_columns_fully_seen_would_be_defects():
    # the control: the rows above with status ok are empty / stale (so the guard is what saves them)
    cols = [dict(c, status="ok", status_reason=None) for c in _cols(0, 1, 1)]
    checks = {f.check for f in columns.check(site(columns=cols), RULES, AS_OF)}
    assert checks == {"column_empty", "column_stale"}
    assert coverage.check(site(columns=cols), RULES, AS_OF) == []


def test_more_than_half_unseen_gives_no_verdict_with_the_reason():
    s = site(columns=_cols(2, 2, 1))
    _, verdict = _judge(s)
    assert verdict.verdict == UNCHECKED and verdict.vetoes == ()
    assert "5个栏目中有3个未能完整读取" in verdict.reason


def test_exactly_half_unseen_is_still_judged():
    _, verdict = _judge(site(columns=_cols(2, 2)))
    assert verdict.verdict == PASS and verdict.reason is None


def test_a_site_with_no_column_found_is_not_passed():
    _, verdict = _judge(site(columns=[]))
    assert verdict.verdict == UNCHECKED and "未能识别出任何栏目" in verdict.reason


def test_a_veto_proven_on_the_seen_columns_still_fails_the_site():
    # 5 fully seen empty columns are a veto whatever the 6 unreadable ones hold (policy, docs/checks.md)
    cols = [column(f"栏目{i}", f"http://songling.test/e{i}/", None, 0) for i in range(5)] + _cols(0, 6)
    findings, verdict = _judge(site(columns=cols))
    assert verdict.verdict == FAIL and verdict.vetoes == ("column_empty",)
    assert sum(f.check == "column_empty" for f in findings) == 5


def test_unreadable_annual_report_column_reports_no_year_missing():
    annual = column("政府信息公开年报", "http://songling.test/ndbg/", "2025-01-20", 1)
    items = [item(annual["url"], "http://songling.test/ndbg/2024.html",
                  "松岭区人民政府2024年政府信息公开工作年度报告", "2025-01-20")]
    config = {"annual_reports_since": 2020}
    seen = annual_reports.check(site(columns=[annual], items=items, config=config), RULES, AS_OF)
    assert {f.year for f in seen if f.check == "annual_report_missing"} == {2020, 2021, 2022, 2023, 2025}
    for status in ("unreadable", "incomplete"):
        hidden = dict(annual, status=status, status_reason="列表分页无法访问")
        found = annual_reports.check(site(columns=[hidden], items=items, config=config), RULES, AS_OF)
        assert [f for f in found if f.check == "annual_report_missing"] == []


def test_a_listed_file_is_not_judged_for_page_metadata():
    pdf = document("http://songling.test/xxgk/zcwj/a.pdf", index_no=None, publisher=None, labels={})
    page = document("http://songling.test/xxgk/zcwj/b.html", index_no=None, publisher=None, labels={})
    found = metadata.check(site(documents=[pdf, page]), RULES, AS_OF)
    assert [f.url for f in found if f.check == "metadata_missing"] == [page["url"]]


def test_judge_directly_keeps_crawl_time_unreachable_out_of_the_vetoes():
    s = site(status="unreachable", error="Connection refused")
    from audits.checks import reachability
    v = judge(reachability.check(s, RULES, AS_OF), s, RULES)
    assert v.verdict == UNCHECKED and "Connection refused" in v.reason
