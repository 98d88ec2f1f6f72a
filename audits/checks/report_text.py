"""``annual_report_inconsistent``: read the text of every stored 年报 (SPEC check catalogue).

The reports are the unit's own 年报 as :func:`audits.checks.annual_reports.find_reports`
sees them (年报 column items whose titles :mod:`audits.titles` calls this unit's report),
plus any other stored document whose title classifies as this unit's report — a 年报 may be
filed in another column. Each report with stored text (``documents.text``) is read by
:func:`audits.reports.read_report`, compared with the same unit's report of the year before
for the copy check, and every problem becomes one Finding whose ``detail`` is the sentence for
the 通报 and whose ``url`` is the report page (the evidence).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audits.checks.annual_reports import find_reports
from audits.finding import Finding
from audits.reports import CHECK, read_report
from audits.rules import Rules
from audits.site import SiteData
from audits.titles import _has_cjk, _unit_key, classify_titles


def own_unit(unit: str, site_name: str | None) -> bool:
    """False only when both names are known Chinese unit names and differ (after 人民政府 → 政府,
    so 沭阳县人民政府 = 沭阳县政府); an unknown name is no evidence either way."""
    a, b = _unit_key(unit or ""), _unit_key(site_name or "")
    if not (_has_cjk(a) and _has_cjk(b)):
        return True
    return a == b or a in b or b in a


@dataclass(frozen=True)
class StoredReport:
    year: int
    url: str
    column: str | None
    text: str


def stored_reports(site: SiteData) -> dict[int, StoredReport]:
    """This unit's reports that have text, one per year (the one in the 年报 column first)."""
    found: dict[int, StoredReport] = {}
    for report in find_reports(site):
        doc = site.document(report.url) or {}
        text = doc.get("text")
        if text and report.year not in found:
            found[report.year] = StoredReport(report.year, report.url, report.column, text)
    others = [d for d in site.documents if d.get("text") and d.get("title")
              and ("年报" in d["title"] or "年度报告" in d["title"] or "年報" in d["title"]
                   or "年度報告" in d["title"])]
    kinds = classify_titles([d["title"] for d in others], site.site.get("name"))
    for doc, kind in zip(others, kinds):
        if kind.kind == "report" and kind.year and kind.year not in found:
            found[kind.year] = StoredReport(kind.year, doc["url"],
                                            site.column_name(doc.get("column_url")), doc["text"])
    return found


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    if (site.crawl.get("status") or "") == "unreachable":
        return []
    reports = stored_reports(site)
    severity = rules.severity(CHECK)
    out: list[Finding] = []
    for year in sorted(reports):
        report = reports[year]
        previous = reports.get(year - 1)
        reading = read_report(report.text, year=year, previous_text=previous.text if previous else None)
        if not own_unit(reading.unit, site.site.get("name")):
            continue   # another unit's report reposted here (its body names that unit)
        for problem in reading.problems:
            if problem.kind == "not_annual_report":
                continue   # the title already classified as a report; the list title rules
            out.append(Finding(CHECK, severity, f"{year}年年报：{problem.detail}",
                               column=report.column, url=report.url, year=year))
    return out
