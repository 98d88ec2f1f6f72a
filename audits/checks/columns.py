"""``column_stale`` and ``column_empty``: is each 信息公开 column kept up to date?

Limits per category come from ``rules.yaml`` (国办秘函〔2019〕19号: 动态要闻 2 weeks, 通知公告 and
政策文件 6 months, 人事/规划 12 months). A column that lists nothing is a 空白栏目 ("有栏目无
内容", 2015 普查) unless its note gives a reason (不涉及, 无此类, 暂未产生, 已并入… with a link:
product policy, see docs/checks.md and ``crawler.discover.note_gives_reason``); a bare CMS
placeholder ("暂无信息") is no reason, and the finding quotes the text the page showed. A
column whose own page could not be fetched is neither stale nor empty — we do not know what
it lists.
"""

from __future__ import annotations

from datetime import date

from crawler.discover import note_gives_reason

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData


def _to_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def latest_list_date(site: SiteData, column: dict) -> date | None:
    """The newest list date of a column: the stored ``latest_date``, else its items' dates."""
    stored = _to_date(column.get("latest_date"))
    if stored:
        return stored
    dates = [d for d in (_to_date(i.get("list_date")) for i in site.items_of(column)) if d]
    return max(dates) if dates else None


def item_count(site: SiteData, column: dict) -> int:
    count = column.get("item_count")
    return int(count) if count is not None else len(site.items_of(column))


def page_failed(column: dict) -> bool:
    status = column.get("http_status")
    return status is not None and int(status) >= 400


def fully_seen(column: dict) -> bool:
    """Only a column the crawler read completely can be judged stale or empty (unknown ≠ empty)."""
    return (column.get("status") or "ok") == "ok" and not page_failed(column)


def is_explained_empty(column: dict) -> bool:
    """The column's note (``columns.empty_note``) gives a reason for having no items."""
    return note_gives_reason(column.get("empty_note"))


def _parents(site: SiteData) -> set[str]:
    return {c.get("parent_url") for c in site.columns if c.get("parent_url")}


def stale_finding(site: SiteData, column: dict, rules: Rules, as_of: date) -> Finding | None:
    category = rules.category(site.category(column))
    if not category.has_limit or not fully_seen(column) or item_count(site, column) == 0:
        return None
    latest = latest_list_date(site, column)
    if latest is None or as_of <= category.stale_after(latest):
        return None
    days = (as_of - latest).days
    return Finding("column_stale", rules.severity("column_stale"),
                   f"栏目最新信息发布于{latest.isoformat()}，已{days}天未更新（限值{category.limit_text()}）",
                   column=column.get("name"), url=column.get("url"))


def empty_finding(site: SiteData, column: dict, rules: Rules, parents: set[str]) -> Finding | None:
    if not fully_seen(column) or is_explained_empty(column) or column.get("url") in parents:
        return None
    if item_count(site, column) > 0 or (column.get("declared_total") or 0) > 0:
        return None
    note = (column.get("empty_note") or "").strip()
    shown = f"，页面仅显示“{note}”" if note else ""
    return Finding("column_empty", rules.severity("column_empty"),
                   f"栏目未发布任何信息{shown}，未说明原因（空白栏目：确无信息的栏目应注明原因，"
                   "如“本单位不涉及此类事项”）",
                   column=column.get("name"), url=column.get("url"))


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    """One ``column_stale`` per column older than its limit, one ``column_empty`` per empty column."""
    parents = _parents(site)
    out = []
    for column in site.columns:
        for finding in (stale_finding(site, column, rules, as_of),
                        empty_finding(site, column, rules, parents)):
            if finding:
                out.append(finding)
    return out
