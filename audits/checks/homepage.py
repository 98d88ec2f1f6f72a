"""``homepage_stale`` (veto): 国办秘函〔2019〕19号 "监测2周，首页无信息更新的" — if the homepage
is only a navigation entry, all 二级页面; items without a date count as not updated (2015 note).

Judged from the list items the crawler stored (``home_items``, see ``crawler/homepage.py``):
the homepage's own (level 1), else those of its 二级页面 (level 2). Stale when the newest dated
item is older than 14 days, or when the lists read carry no date at all. Unknown — an ``info``
note, never the veto — when the homepage's lists are drawn by script and were not rendered, or
no list could be found on the homepage or its 二级页面. Between 10 and 14 days: a 预警
(``veto_warning``). Dates after the as-of date are ignored (a scheduled event is no update).
"""

from __future__ import annotations

from datetime import date

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData
from audits.warnings import warning_finding

CHECK = "homepage_stale"


def _to_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def judged_items(site: SiteData) -> tuple[int, list[dict]]:
    """(level, items): the homepage's items, else its 二级页面's; (0, []) when none was read."""
    for level in (1, 2):
        items = [i for i in site.home_items if int(i.get("level") or 1) == level]
        if items:
            return level, items
    return 0, []


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    status = site.crawl.get("home_status")
    if not status or (site.crawl.get("status") or "") == "unreachable":
        return []            # a crawl that did not look at the homepage (older data): no judgement
    url = site.site.get("url") or site.crawl.get("url")
    level, items = judged_items(site)
    where = "首页" if level == 1 else "首页为导航入口，其二级页面"
    if not items:
        reason = site.crawl.get("home_reason") or "未能读取首页信息列表"
        if level == 0 and status == "none":
            reason += "，二级页面也未读到信息列表"
        return [Finding(CHECK, "info", f"{reason}，无法判断首页是否更新（未作单项否决判断）", url=url)]
    dates = [d for d in (_to_date(i.get("list_date")) for i in items) if d and d <= as_of]
    if not dates:
        return [Finding(CHECK, rules.severity(CHECK),
                        f"{where}的{len(items)}条信息均未标注发布日期，视为未更新"
                        f"（监测2周首页无信息更新的，单项否决）", url=url)]
    newest = max(dates)
    age = (as_of - newest).days
    shown = next((i.get("date_shown") for i in items if _to_date(i.get("list_date")) == newest
                  and i.get("date_shown")), None)
    if shown:
        where = f"{where}（页面日期“{shown}”未标年份，按采集日期推定）"
    if age > rules.homepage_days:
        return [Finding(CHECK, rules.severity(CHECK),
                        f"{where}最新信息发布于{newest.isoformat()}，已{age}天无信息更新"
                        f"（监测2周首页无信息更新的，单项否决）", url=url)]
    if age > rules.warn_homepage_days:
        return [warning_finding(CHECK, rules, f"{where}最新信息发布于{newest.isoformat()}，已{age}天未更新"
                                f"（超过{rules.homepage_days}天即单项否决）", url=url)]
    return []
