"""``column_unreadable`` and ``column_incomplete``: what the crawler could not see (info notes).

The spider stores each column's ``status`` (``ok`` | ``unreadable`` | ``incomplete``) with a
Chinese ``status_reason`` (crawler/items.py ``ColumnItem``). Such a column is unknown, not
empty and not stale: ``audits.checks.columns.fully_seen`` keeps it away from ``column_empty``
and ``column_stale``, and this module tells the office, as an ``info`` note, that a person
should look at it. Product policy (docs/checks.md): a note is never a defect of the unit and
never counts toward 不合格.

A column page that answered an HTTP error before the status vocabulary existed (older
databases: ``http_status`` ≥ 400, no ``status``) is reported as unreadable too.
"""

from __future__ import annotations

from datetime import date

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData

UNREADABLE, INCOMPLETE = "unreadable", "incomplete"


def column_status(column: dict) -> str:
    """The column's stored status; an old row whose own page failed counts as unreadable."""
    status = (column.get("status") or "ok").strip()
    if status == "ok" and column.get("http_status") is not None and int(column["http_status"]) >= 400:
        return UNREADABLE
    return status


def status_reason(column: dict) -> str:
    reason = (column.get("status_reason") or "").strip()
    if reason:
        return reason
    if column.get("http_status") is not None and int(column["http_status"]) >= 400:
        return f"栏目页返回 HTTP {int(column['http_status'])}"
    return "原因不明"


def unseen_columns(site: SiteData) -> list[dict]:
    """The site's columns the crawl did not see completely, in URL order."""
    return sorted((c for c in site.columns if column_status(c) != "ok"), key=lambda c: c.get("url") or "")


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    out = []
    for column in unseen_columns(site):
        status, reason = column_status(column), status_reason(column)
        if status == INCOMPLETE:
            out.append(Finding("column_incomplete", rules.severity("column_incomplete"),
                               f"栏目未能完整读取（{reason}），未读取部分未作判断，请人工核实",
                               column=column.get("name"), url=column.get("url")))
        else:
            out.append(Finding("column_unreadable", rules.severity("column_unreadable"),
                               f"未能读取栏目列表（{reason}），该栏目未作更新和空白判断，请人工核实",
                               column=column.get("name"), url=column.get("url")))
    return out
