"""``site_unreachable``: the portal or its 信息公开 entry could not be fetched (veto).

The spider marks the crawl ``unreachable`` after its retries (DNS failure, refused connection,
15 s timeout, 5xx); this check only turns that stored fact into the veto finding, with the
error the crawler saw so a clerk can tell a dead domain from a server error.
"""

from __future__ import annotations

from datetime import date

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData


def is_unreachable(site: SiteData) -> bool:
    return (site.crawl.get("status") or "") == "unreachable"


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    if not is_unreachable(site):
        return []
    url = site.site.get("url") or site.crawl.get("url") or site.crawl.get("entry_url")
    error = (site.crawl.get("error") or "").strip() or "原因不明"
    return [Finding("site_unreachable", rules.severity("site_unreachable"),
                    f"网站或其信息公开专栏无法访问（{error}），按检查指标属单项否决",
                    column=None, url=url)]
