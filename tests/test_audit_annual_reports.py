"""annual_report_missing / annual_report_late: the last-due-year rule, both deadlines, titles."""

from __future__ import annotations

import pytest

from audits.checks import annual_reports
from _audit_helpers import RULES, checks_of, column, d, document, item, site

NB = "http://songling.test/xxgk/ndbg/"


def _reports(*entries, since=None, name=None, extra_items=()):
    """entries: (year, published) → one report item + document each."""
    items, docs = [], []
    for n, (year, published) in enumerate(entries):
        url = f"{NB}{year}_{n}.html"
        items.append(item(NB, url, f"松岭区人民政府{year}年政府信息公开工作年度报告", published, n))
        docs.append(document(url, column_url=NB, published=published, list_date=published))
    items.extend(extra_items)
    # a department's own portal (1月31日 from 2019 on); the other kinds: test_rules_deadlines.py
    cfg = {"annual_reports_since": since, "unit_kind": "department"} if since else {"unit_kind": "department"}
    return site(columns=[column("政府信息公开年报", NB, None, len(items))], items=items,
                documents=docs, config=cfg, name=name)


@pytest.mark.parametrize("as_of,last_due", [("2026-01-31", 2024), ("2026-02-01", 2025),
                                            ("2026-12-31", 2025), ("2026-01-01", 2024)])
def test_last_due_year(as_of, last_due):
    assert RULES.last_due_year(d(as_of)) == last_due


@pytest.mark.parametrize("as_of,missing", [("2026-01-31", []), ("2026-02-01", [2025])])
def test_as_of_jan31_vs_feb1_decides_whether_last_year_is_due(as_of, missing):
    s = _reports((2023, "2024-01-20"), (2024, "2025-01-20"))
    found = annual_reports.check(s, RULES, d(as_of))
    assert [(f.check, f.year) for f in found] == [("annual_report_missing", y) for y in missing]
    if missing:
        assert found[0].url == NB and found[0].column == "政府信息公开年报"
        assert "2025年" in found[0].detail and "2026年1月31日" in found[0].detail


@pytest.mark.parametrize("published,late", [("2021-01-31", False), ("2021-02-01", True)])
def test_2020_report_deadline_is_jan_31(published, late):
    s = _reports((2020, published))
    found = annual_reports.check(s, RULES, d("2021-06-01"))
    assert checks_of(found) == (["annual_report_late"] if late else [])
    if late:
        assert found[0].year == 2020 and found[0].url == f"{NB}2020_0.html"
        assert "2021-02-01" in found[0].detail and "2021年1月31日" in found[0].detail


@pytest.mark.parametrize("published,late", [("2019-03-31", False), ("2019-04-01", True)])
def test_2018_report_deadline_is_mar_31(published, late):
    s = _reports((2018, published))
    found = annual_reports.check(s, RULES, d("2019-06-01"))
    assert checks_of(found) == (["annual_report_late"] if late else [])
    if late:
        assert "2019年3月31日" in found[0].detail


def test_missing_years_from_annual_reports_since():
    s = _reports((2021, "2022-01-10"), (2023, "2024-01-10"), since=2019)
    found = annual_reports.check(s, RULES, d("2025-03-01"))
    assert [(f.check, f.year) for f in found] == [("annual_report_missing", y) for y in (2019, 2020, 2022, 2024)]


def test_without_since_start_at_earliest_report():
    s = _reports((2021, "2022-01-10"), (2023, "2024-01-10"))
    found = annual_reports.check(s, RULES, d("2024-03-01"))
    assert [(f.check, f.year) for f in found] == [("annual_report_missing", 2022)]


def test_since_without_any_report_or_column():
    s = site(config={"annual_reports_since": 2023, "unit_kind": "department"})
    found = annual_reports.check(s, RULES, d("2025-03-01"))
    assert [f.year for f in found] == [2023, 2024]
    assert found[0].url == "http://songling.test/xxgk/"


def test_interpretations_news_and_other_units_do_not_count():
    extra = [
        item(NB, NB + "jd.html", "《松岭区人民政府2024年政府信息公开工作年度报告》解读", "2025-01-20", 10),
        item(NB, NB + "news.html", "关于报送2024年政府信息公开工作年度报告的通知", "2025-01-05", 11),
        item(NB, NB + "jyj.html", "松岭区教育局2024年政府信息公开工作年度报告", "2025-01-15", 12),
        item(NB, NB + "meet.html", "我区召开政务公开工作推进会", "2025-01-03", 13),
    ]
    s = _reports((2023, "2024-01-10"), extra_items=extra)
    found = annual_reports.check(s, RULES, d("2025-03-01"))
    assert [(f.check, f.year) for f in found] == [("annual_report_missing", 2024)]


def test_published_date_of_page_wins_over_list_date():
    s = _reports((2022, "2023-01-10"))
    s.documents[0]["published"] = "2023-03-02"
    found = annual_reports.check(s, RULES, d("2023-06-01"))
    assert [(f.check, f.year) for f in found] == [("annual_report_late", 2022)]


def test_on_time_report_and_full_series_give_nothing():
    s = _reports((2019, "2020-01-20"), (2020, "2021-01-31"), since=2019)
    assert annual_reports.check(s, RULES, d("2021-03-01")) == []


def test_unreachable_site_gets_no_report_findings():
    s = site(config={"annual_reports_since": 2020}, status="unreachable")
    assert annual_reports.check(s, RULES, d("2025-03-01")) == []
