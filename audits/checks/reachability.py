"""Reachability: ``site_unreachable`` (veto) from a week of probes, ``site_down_at_crawl`` from one crawl.

国办秘函〔2019〕19号 vetoes 站点无法访问 on a measurement: "监测1周，每天间隔性访问20次以上，
超过（含）15秒网站仍打不开的次数累计占比超过（含）5%". The availability probes (``xxgk probe``,
table ``probes``) are that measurement; one crawl is not (a portal down for ten minutes at 2 a.m.
would fail the month, one down every afternoon would pass). So:

- ``site_unreachable`` (veto): at least ``20 × 7`` probe rounds in the 7 days ending on as-of, and
  failed rounds (DNS, refused, ≥15 s, 5xx on the homepage or the 信息公开 entry) ≥ 5%.
- ``veto_warning`` (warn, 预警, product policy): the same measurement at ≥ 3% and < 5%; its detail
  names ``site_unreachable``. Never a veto.
- ``site_down_at_crawl`` (deduct): the crawl could not fetch the portal or its entry (after its
  retries) and the probes do not show ≥ 5%; the detail carries the crawl's error and says why the
  veto was not judged (too few probes, none at all, or a share under 5%).

A round is one probe of a site: its homepage and entry, one GET each; it fails when either failed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from crawler.probe import ERRORS

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData

#: The one sentence ``xxgk audit`` and the 通报 use to explain the measurement.
MEASUREMENT = ("按国办秘函〔2019〕19号，监测1周、每天20次以上间隔访问各网站首页和信息公开专栏入口，"
               "超过（含）15秒仍打不开的次数累计占比达到5%的，认定为站点无法访问（单项否决），"
               "达到3%的予以预警；监测次数不足的不作此项判断。")



def is_unreachable(site: SiteData) -> bool:
    return (site.crawl.get("status") or "") == "unreachable"


def probe_window(as_of: date, rules: Rules) -> tuple[str, str]:
    """``[start, end)`` as ISO local times: the ``window_days`` days ending on ``as_of``."""
    first = as_of - timedelta(days=rules.probe_window_days - 1)
    return f"{first.isoformat()} 00:00:00", f"{(as_of + timedelta(days=1)).isoformat()} 00:00:00"


@dataclass(frozen=True)
class Availability:
    """Probe rounds of one site in a window: how many, how many failed."""

    total: int
    failed: int

    @property
    def share(self) -> float:
        """Failure share (0 … 1); 0 without probes."""
        return self.failed / self.total if self.total else 0.0

    @property
    def rate(self) -> float | None:
        """连通率 (share of rounds that opened), None without probes."""
        return 1 - self.share if self.total else None


def availability(rounds: list[dict] | None) -> Availability:
    rounds = rounds or []
    return Availability(total=len(rounds), failed=sum(1 for r in rounds if not r.get("ok")))


def pct(value: float) -> str:
    """0.0667 → 6.7%, 0.05 → 5%, 1 → 100%."""
    text = f"{value * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def rate_text(a: Availability) -> str:
    """The 连通率 as the 通报 prints it: 97.9%, or 未监测."""
    return pct(a.rate) if a.rate is not None else "未监测"


def describe_error(text: str | None) -> str:
    """``"http://…/  timeout"`` (``Store.probe_rounds`` errors line) → ``http://…/ 超过15秒未能打开``."""
    url, _, what = (text or "").partition("  ")
    return f"{url} {ERRORS.get(what, what)}".strip()


def _last_failure(rounds: list[dict]) -> str:
    failed = [r for r in rounds if not r.get("ok")]
    if not failed:
        return ""
    last = failed[-1]
    lines = [describe_error(line) for line in (last.get("errors") or "").splitlines() if line]
    return f"；最近一次：{str(last.get('at') or '')[:16]} {'，'.join(lines)}".rstrip()


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    a = availability(site.probes)
    start = as_of - timedelta(days=rules.probe_window_days - 1)
    span = f"{start.isoformat()}至{as_of.isoformat()}"
    url = site.site.get("url") or site.crawl.get("url") or site.crawl.get("entry_url")
    enough = a.total >= rules.probe_min_count
    measured = f"{span}可用性监测{a.total}次，{a.failed}次超过（含）15秒仍打不开或出错（占{pct(a.share)}）"
    out: list[Finding] = []
    vetoed = enough and a.share >= rules.probe_veto_share
    if vetoed:
        out.append(Finding("site_unreachable", rules.severity("site_unreachable"),
                           f"{measured}，达到{pct(rules.probe_veto_share)}，按国办秘函〔2019〕19号属单项否决"
                           f"{_last_failure(site.probes or [])}", column=None, url=url))
    elif enough and a.share >= rules.probe_warn_share:
        out.append(Finding("veto_warning", rules.severity("veto_warning"),
                           f"预警：接近单项否决项“站点无法访问”（site_unreachable）：{measured}，"
                           f"已达{pct(rules.probe_warn_share)}预警线、未达{pct(rules.probe_veto_share)}否决线"
                           f"{_last_failure(site.probes or [])}", column=None, url=url))
    if is_unreachable(site) and not vetoed:
        error = (site.crawl.get("error") or "").strip() or "原因不明"
        if enough:
            basis = f"{span}可用性监测{a.total}次，失败占{pct(a.share)}，未达到{pct(rules.probe_veto_share)}的单项否决标准"
        elif a.total:
            basis = (f"可用性监测次数不足（{span}共{a.total}次，少于{rules.probe_min_count}次），"
                     "未作站点无法访问（单项否决）判断")
        else:
            basis = "没有可用性监测记录（xxgk probe），未作站点无法访问（单项否决）判断"
        out.append(Finding("site_down_at_crawl", rules.severity("site_down_at_crawl"),
                           f"本次采集时网站或其信息公开专栏无法访问（{error}）；一次采集失败不等于站点无法访问，"
                           f"{basis}", column=None, url=url))
    return out
