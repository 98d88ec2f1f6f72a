"""Findings → vetoes → 合格/不合格 (国办秘函〔2019〕19号: any 单项否决 item makes a site 不合格).

Vetoes:
- ``site_unreachable``: any finding of that check (its severity is veto).
- ``column_stale``: ≥5 stale columns of the key categories (动态要闻、通知公告、政策文件),
  or ≥10 stale columns overall.
- ``column_empty``: ≥5 empty columns.
Any other finding with severity ``veto`` vetoes too, so a future veto check needs no code here.
"""

from __future__ import annotations

from dataclasses import dataclass

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData

PASS, FAIL = "合格", "不合格"


@dataclass(frozen=True)
class Verdict:
    verdict: str
    vetoes: tuple[str, ...]


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


def judge(findings: list[Finding], site: SiteData, rules: Rules) -> Verdict:
    vetoes = {f.check for f in findings if f.severity == "veto"}
    key, total = stale_counts(findings, site, rules)
    if key >= rules.stale_key_count or total >= rules.stale_any_count:
        vetoes.add("column_stale")
    if sum(f.check == "column_empty" for f in findings) >= rules.empty_count:
        vetoes.add("column_empty")
    ordered = tuple(sorted(vetoes, key=lambda c: (rules.order(c), c)))
    return Verdict(FAIL if ordered else PASS, ordered)
