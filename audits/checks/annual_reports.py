"""``annual_report_missing`` and ``annual_report_late`` (条例 第49条).

The reports are the items of the site's 年报 column(s) whose titles :mod:`audits.titles`
calls this unit's report; the year comes from the title. Years are expected from the seeds'
``annual_reports_since`` (else the earliest report found) to the last due year; a report on
year Y is late when published after 1月31日 of Y+1 (Y ≥ 2019) or 3月31日 of Y+1 (Y ≤ 2018).
A report's publication date is its page's 发布日期 (``documents.published``), else its list date.

Unknown is not missing: when a 年报 column was not read completely (``status`` unreadable or
incomplete, or its page failed), no year is reported missing — the report may sit in the part
the crawler could not see. Lateness of the reports that were seen is still judged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audits.checks.columns import fully_seen
from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData
from audits.titles import classify_titles


@dataclass(frozen=True)
class Report:
    year: int
    url: str
    title: str
    published: date | None
    column: str | None
    column_url: str | None


def _to_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def find_reports(site: SiteData) -> list[Report]:
    """This unit's own 年报 listed in the site's 年报 columns (one per URL)."""
    candidates: dict[str, tuple[dict, dict]] = {}
    for column in site.columns_of("annual_report"):
        for item in site.items_of(column):
            if item.get("url") and item["url"] not in candidates:
                candidates[item["url"]] = (item, column)
    urls = sorted(candidates)
    titles = []
    for url in urls:
        item, _ = candidates[url]
        doc = site.document(url) or {}
        titles.append(item.get("title") or doc.get("title") or "")
    kinds = classify_titles(titles, site.site.get("name"))
    reports = []
    for url, title, kind in zip(urls, titles, kinds):
        if kind.kind != "report":
            continue
        item, column = candidates[url]
        doc = site.document(url) or {}
        published = _to_date(doc.get("published")) or _to_date(item.get("list_date")) \
            or _to_date(doc.get("list_date"))
        reports.append(Report(kind.year, url, title, published, column.get("name"), column.get("url")))
    return reports


def first_expected_year(site: SiteData, reports: list[Report]) -> int | None:
    """``annual_reports_since`` from the seeds, else the earliest report year found."""
    if site.annual_reports_since:
        return site.annual_reports_since
    return min((r.year for r in reports), default=None)


def _on_time_report(reports: list[Report]) -> Report:
    """Of several copies of one year's report, the earliest published one counts."""
    return min(reports, key=lambda r: (r.published is None, r.published or date.max, r.url))


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    if (site.crawl.get("status") or "") == "unreachable":
        return []
    reports = find_reports(site)
    start = first_expected_year(site, reports)
    if start is None:
        return []
    by_year: dict[int, list[Report]] = {}
    for report in reports:
        by_year.setdefault(report.year, []).append(report)
    columns = site.columns_of("annual_report")
    home = columns[0] if columns else {}
    evidence = home.get("url") or site.crawl.get("entry_url") or site.site.get("url")
    out = []
    all_seen = all(fully_seen(c) for c in columns)
    for year in range(start, rules.last_due_year(as_of) + 1):
        if year not in by_year and all_seen:
            deadline = rules.report_deadline(year)
            out.append(Finding(
                "annual_report_missing", rules.severity("annual_report_missing"),
                f"未发布{year}年政府信息公开工作年度报告（应于{deadline.year}年{deadline.month}月"
                f"{deadline.day}日前发布，《政府信息公开条例》第四十九条）",
                column=home.get("name"), url=evidence, year=year))
    for year in sorted(by_year):
        if year < start:
            continue
        report = _on_time_report(by_year[year])
        deadline = rules.report_deadline(year)
        if report.published and report.published > deadline:
            days = (report.published - deadline).days
            out.append(Finding(
                "annual_report_late", rules.severity("annual_report_late"),
                f"{year}年政府信息公开工作年度报告发布于{report.published.isoformat()}，晚于法定期限"
                f"{deadline.year}年{deadline.month}月{deadline.day}日{days}天",
                column=report.column, url=report.url, year=year))
    return out
