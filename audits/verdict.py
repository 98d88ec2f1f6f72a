"""Findings → vetoes → 合格/不合格/未能自动检查 (国办秘函〔2019〕19号: any 单项否决 makes 不合格).

Vetoes:
- ``site_unreachable``: any finding of that check (its severity is veto).
- ``column_stale``: ≥5 stale columns of the key categories (动态要闻、通知公告、政策文件),
  or ≥10 stale columns overall.
- ``column_empty``: ≥5 empty columns.
Any other finding with severity ``veto`` vetoes too, so a future veto check needs no code here.

Unknown is not a defect (docs/checks.md, "未能自动检查"): a site whose 信息公开 entry could not be
read (crawl status ``unreachable``), that showed no column at all, or more than half of whose
columns were not seen completely (status ``unreadable``/``incomplete``) gets no 合格 — its
conclusion is ``UNCHECKED`` with the reason. The rule is keyed on the crawl status and the
column statuses, never on finding names. A veto proven on what *was* seen still makes such a
site 不合格 (stale and empty counts only ever come from fully seen columns; a probe-based
``site_unreachable`` does not depend on the crawl), except the veto the unreachable crawl itself
would give (see ``proven_vetoes``).
"""

from __future__ import annotations

from dataclasses import dataclass

from audits.checks.columns import fully_seen
from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData

PASS, FAIL = "合格", "不合格"
UNCHECKED = "未能自动检查"


@dataclass(frozen=True)
class Verdict:
    verdict: str
    vetoes: tuple[str, ...]
    reason: str | None = None          # why the site could not be checked (UNCHECKED only)


def stale_counts(findings: list[Finding], site: SiteData, rules: Rules) -> tuple[int, int]:
    """(stale columns in the key categories, stale columns overall)."""
    key, total = 0, 0
    for f in findings:
        if f.check != "column_stale":
            continue
        total += 1
        column = site.column_by_url(f.url) or {"name": f.column, "url": f.url}
        if site.category(column) in rules.stale_key_categories:
            key += 1
    return key, total


def unchecked_reason(site: SiteData) -> str | None:
    """Why the tool could not judge this site from its crawl, or None when it could."""
    crawl = site.crawl or {}
    if (crawl.get("status") or "") == "unreachable":
        error = (crawl.get("error") or "").strip() or "原因不明"
        return f"网站或其信息公开入口未能读取（{error}），栏目未能检查"
    columns = [c for c in site.columns if c.get("url")]
    if not columns:
        return "信息公开入口页上未能识别出任何栏目，栏目未能检查"
    unseen = [c for c in columns if not fully_seen(c)]
    if len(unseen) * 2 > len(columns):
        return f"{len(columns)}个栏目中有{len(unseen)}个未能完整读取（超过半数），需人工检查"
    return None


def proven_vetoes(vetoes: set[str], site: SiteData) -> set[str]:
    """Vetoes that hold whatever the unseen part contains.

    Only the crawl-time unreachable is excluded: until a probe record exists, a
    ``site_unreachable`` on an unreachable crawl is that one crawl restated (SPEC now calls it
    ``site_down_at_crawl``, a deduction), not the 19号 measurement.
    """
    crawl_only = (site.crawl.get("status") or "") == "unreachable" and not getattr(site, "probes", None)
    return {v for v in vetoes if not (crawl_only and v == "site_unreachable")}


def judge(findings: list[Finding], site: SiteData, rules: Rules) -> Verdict:
    vetoes = {f.check for f in findings if f.severity == "veto"}
    key, total = stale_counts(findings, site, rules)
    if key >= rules.stale_key_count or total >= rules.stale_any_count:
        vetoes.add("column_stale")
    if sum(f.check == "column_empty" for f in findings) >= rules.empty_count:
        vetoes.add("column_empty")
    reason = unchecked_reason(site)
    if reason is not None:
        vetoes = proven_vetoes(vetoes, site)
    ordered = tuple(sorted(vetoes, key=lambda c: (rules.order(c), c)))
    if ordered:
        return Verdict(FAIL, ordered)
    return Verdict(UNCHECKED, (), reason) if reason else Verdict(PASS, ())
