"""Audit the latest crawl of every site: stored rows → checks → verdict → ``findings`` table.

The engine is the only part of ``audits/`` that touches the database: it reads each site's
latest crawl through ``Store``, hands plain rows to the pure checks, and writes the findings
back in one transaction per site (re-auditing a crawl replaces its findings, so the same run
and as-of always leave the same rows). Output shapes for the CLI live here too: the SPEC
JSON object and an 80-column Chinese table.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from crawler.store import Store

from audits.checks.reachability import MEASUREMENT, Availability, availability, probe_window, rate_text
from audits.finding import Finding
from audits.registry import load_checks
from audits.review import refresh as refresh_reviews
from audits.rules import Rules, load_rules
from audits.site import SiteData
from audits.verdict import FAIL, PASS, UNCHECKED, judge
from audits.warnings import column_warnings


@dataclass
class SiteAudit:
    """One site's judgement: the crawl judged, its findings (sorted) and verdict."""

    site_id: str
    name: str
    url: str | None
    run_id: int | None
    verdict: str
    vetoes: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    reason: str | None = None        # why the site is 未能自动检查
    availability: Availability | None = None   # probe rounds in the 7 days before as-of


@dataclass
class AuditResult:
    as_of: date
    sites: list[SiteAudit]
    rules: Rules

    def findings(self) -> list[tuple[str, Finding]]:
        return [(s.site_id, f) for s in self.sites for f in s.findings]

    def to_json(self) -> dict:
        """The SPEC ``xxgk audit --format json`` object (a dict ready for ``json.dumps``)."""
        return {
            "as_of": self.as_of.isoformat(),
            "sites": [{"site": s.site_id, "url": s.url, "verdict": s.verdict,
                       "vetoes": list(s.vetoes), "reason": s.reason} for s in self.sites],
            "findings": [{"site": site_id, "check": f.check, "severity": f.severity,
                          "column": f.column, "url": f.url, "year": f.year, "detail": f.detail}
                         for site_id, f in self.findings()],
        }

    def json_text(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2)

    def render_table(self, width: int = 80) -> str:
        return render_table(self, width)


def sort_findings(findings: list[Finding], rules: Rules) -> list[Finding]:
    """Unique findings in catalogue order, then column, year, URL (deterministic output)."""
    unique = {f.key(): f for f in findings}
    return sorted(unique.values(), key=lambda f: (rules.order(f.check), f.check, f.column or "",
                                                  f.year or 0, f.url or "", f.detail))


def audit_site(site: SiteData, rules: Rules, as_of: date, checks=None) -> tuple[list[Finding], object]:
    """Run every registered check on one site; an unreachable site is only judged unreachable."""
    found: list[Finding] = []
    for name, check in checks or load_checks():
        if (site.crawl.get("status") or "") == "unreachable" and name != "reachability":
            continue
        found.extend(check(site, rules, as_of))
    verdict = judge(found, site, rules)
    if (site.crawl.get("status") or "") != "unreachable":
        entry = site.crawl.get("entry_url") or site.site.get("url")
        found.extend(column_warnings(found, verdict.vetoes, rules, entry))
    findings = sort_findings(found, rules)
    return findings, judge(findings, site, rules)


def audit(store: Store, as_of: date, run_id: int | None = None, site_ids=None,
          rules: Rules | None = None) -> AuditResult:
    """Judge each site's latest crawl (or the crawls of ``run_id``) and store the findings."""
    rules = rules or load_rules()
    checks = load_checks()
    wanted = set(site_ids) if site_ids else None
    audits = []
    for crawl in store.latest_crawls(run_id):
        if wanted is not None and crawl["site_id"] not in wanted:
            continue
        snapshot = store.site_snapshot(crawl["run_id"], crawl["site_id"])
        site = SiteData.from_store(crawl, snapshot, rules=rules)
        site.probes = store.probe_rounds(site.id, *probe_window(as_of, rules))
        findings, verdict = audit_site(site, rules, as_of, checks)
        store.set_column_categories(crawl["run_id"], site.id,
                                    {c["url"]: site.category(c) for c in site.columns})
        store.replace_findings(crawl["run_id"], site.id, as_of.isoformat(),
                               [f.as_row() for f in findings], verdict.verdict, list(verdict.vetoes),
                               reason=verdict.reason)
        audits.append(SiteAudit(site.id, site.site.get("name") or site.id, site.site.get("url"),
                                crawl["run_id"], verdict.verdict, verdict.vetoes, findings,
                                reason=verdict.reason, availability=availability(site.probes)))
    # Earlier review decisions carry over to the new findings rows (人工审核, audits/review).
    refresh_reviews(store, [a.site_id for a in audits])
    return AuditResult(as_of=as_of, sites=sorted(audits, key=lambda s: s.site_id), rules=rules)


def render_table(result: AuditResult, width: int = 80) -> str:
    """A Chinese summary table: one row per site with its verdict and counts by check."""
    from rich.console import Console
    from rich.table import Table

    rules = result.rules
    table = Table(title=f"信息公开专栏检查结果（检查日 {result.as_of.isoformat()}）",
                  show_lines=False, expand=False)
    table.add_column("站点", overflow="fold", max_width=18)
    table.add_column("结论", no_wrap=True)
    table.add_column("问题", justify="right", no_wrap=True)
    table.add_column("问题分类（条）", overflow="fold")
    for s in result.sites:
        counts = Counter(f.check for f in s.findings)
        parts = "、".join(f"{rules.label(c)}{counts[c]}" for c in sorted(counts, key=rules.order))
        if s.vetoes:
            parts = "【否决】" + "、".join(rules.label(v) for v in s.vetoes) + "\n" + parts
        if s.reason:
            parts = f"【未能自动检查】{s.reason}" + ("\n" + parts if parts else "")
        table.add_row(f"{s.name}\n({s.site_id})" if s.name != s.site_id else s.site_id,
                      s.verdict, str(sum(f.severity != "info" for f in s.findings)), parts or "无")
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    console.print(table)
    passed = sum(s.verdict == PASS for s in result.sites)
    failed = sum(s.verdict == FAIL for s in result.sites)
    unchecked = sum(s.verdict == UNCHECKED for s in result.sites)
    problems = sum(f.severity not in ("info", "warn") for s in result.sites for f in s.findings)
    console.print(f"共 {len(result.sites)} 个站点：合格 {passed} 个，不合格 {failed} 个"
                  + (f"，未能自动检查 {unchecked} 个（需人工检查）" if unchecked else "")
                  + f"；问题 {problems} 条。")
    console.print(f"可用性监测：{MEASUREMENT}")
    probed = [s for s in result.sites if s.availability and s.availability.total]
    if probed:
        few = rules.probe_min_count
        console.print("近7日连通率：" + "、".join(
            f"{s.site_id} {rate_text(s.availability)}（{s.availability.total}次"
            + (f"，不足{few}次，未作判断）" if s.availability.total < few else "）") for s in probed))
    else:
        console.print("近7日没有可用性监测记录（xxgk probe），站点无法访问一项未作判断。")
    return buffer.getvalue()
