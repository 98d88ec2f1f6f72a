"""预警 (``veto_warning``, severity ``warn``): a site within reach of a veto line (SPEC).

Product policy, as commercial monitors issue below the 19号 veto lines: one warning per veto
kind — ≥3 空白栏目 (``column_empty``), ≥6 stale columns (``column_stale``), homepage newest item
older than 10 days (``homepage_stale``, issued by ``audits.checks.homepage``), probe failures
≥3% over 7 days (``site_unreachable``, issued by the reachability check) — and only when that
veto itself did not fire. A warning never makes a site 不合格 (its severity is not ``veto``).
``detail`` names the veto kind by its catalogue name (``rules.label``).
"""

from __future__ import annotations

from audits.finding import Finding
from audits.rules import Rules

CHECK = "veto_warning"


def warning_finding(veto: str, rules: Rules, reason: str, *, url: str | None = None,
                    column: str | None = None) -> Finding:
    """One 预警 finding about veto kind ``veto`` (a check id); ``reason`` says how close the site
    is, e.g. "探测失败率3.4%（达到5%即单项否决）". For every check that issues warnings."""
    return Finding(CHECK, rules.severity(CHECK),
                   f"预警（接近单项否决项“{rules.label(veto)}”）：{reason}", column=column, url=url)


def column_warnings(findings: list[Finding], vetoes: tuple[str, ...], rules: Rules,
                    url: str | None) -> list[Finding]:
    """Warnings from the column counts of a site's findings, for vetoes that did not fire.
    ``url``: the evidence, the site's 信息公开 entry (where its columns are)."""
    out = []
    empty = sum(f.check == "column_empty" for f in findings)
    if "column_empty" not in vetoes and empty >= rules.warn_empty_count:
        out.append(warning_finding("column_empty", rules,
                                   f"空白栏目{empty}个（达到{rules.empty_count}个即单项否决）", url=url))
    stale = sum(f.check == "column_stale" for f in findings)
    if "column_stale" not in vetoes and stale >= rules.warn_stale_count:
        out.append(warning_finding(
            "column_stale", rules,
            f"更新不及时栏目{stale}个（动态要闻、通知公告、政策文件类达到{rules.stale_key_count}个"
            f"或合计达到{rules.stale_any_count}个即单项否决）", url=url))
    return out
