"""Gather one period's data from the store into a plain ``BulletinData``.

Which crawls make up period YYYY-MM: for each site, its latest crawl whose *run started* in that
calendar month and that has been audited (a ``verdicts`` row). Run start, not the audit's
``as_of``: the bulletin reports what the portals looked like when they were monitored, and an
audit may be repeated later with another as-of. The previous period is the previous calendar
month under the same rule (not "the last month that has data": a 通报 compares with last month's).

Only this module reads the database; everything after it (comparison, wording, writers) works
on the plain values it returns.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from audits.bulletin.catalogue import check_name, check_order
from audits.bulletin.compare import SiteView, compare
from audits.bulletin.workdays import add_workdays


class BulletinError(ValueError):
    """The bulletin cannot be written (bad period, empty period, bad config); one-line message."""


# --- period --------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, the unit of a monthly 通报."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``"2026-11"`` → Period(2026, 11); BulletinError for anything else."""
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(text or ""))
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise BulletinError(f"监测期应写作 YYYY-MM（如 2026-11）：{text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, day: date) -> "Period":
        return cls(day.year, day.month)

    @property
    def previous(self) -> "Period":
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    @property
    def key(self) -> str:
        """``"2026-11"``: the form stored dates start with, and used in file names."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """``"2026年11月"``."""
        return f"{self.year}年{self.month}月"


# --- configuration -------------------------------------------------------------------------

@dataclass(frozen=True)
class BulletinConfig:
    """The ``bulletin:`` block of a seeds file: who issues the 通报, to whom, and the deadline."""

    issuer: str = "政务公开办公室"
    scope: str = "全市"
    deadline_workdays: int = 15
    recipients: str = "各有关单位："
    doc_number: str | None = None
    issue_date: date | None = None   # default: the day the bulletin is written

    FIELDS = ("issuer", "scope", "deadline_workdays", "recipients", "doc_number", "issue_date")

    @classmethod
    def from_mapping(cls, data: dict | None) -> "BulletinConfig":
        """Validate a ``bulletin:`` mapping; unknown keys are an error (a typo must not pass)."""
        data = dict(data or {})
        unknown = sorted(set(data) - set(cls.FIELDS))
        if unknown:
            raise BulletinError(f"bulletin 配置中有未知项：{', '.join(unknown)}"
                                f"（可用：{', '.join(cls.FIELDS)}）")
        days = data.get("deadline_workdays", 15)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise BulletinError(f"bulletin.deadline_workdays 应为 1–365 的整数：{days!r}")
        issue = data.get("issue_date")
        if issue is not None and not isinstance(issue, date):
            try:
                issue = date.fromisoformat(str(issue))
            except ValueError:
                raise BulletinError(f"bulletin.issue_date 应为 YYYY-MM-DD：{issue!r}") from None
        for key in ("issuer", "scope", "recipients"):
            if key in data and not (isinstance(data[key], str) and data[key].strip()):
                raise BulletinError(f"bulletin.{key} 应为非空文字：{data[key]!r}")
        return cls(issuer=data.get("issuer", cls.issuer).strip(),
                   scope=data.get("scope", cls.scope).strip(),
                   deadline_workdays=days,
                   recipients=data.get("recipients", cls.recipients).strip(),
                   doc_number=(str(data["doc_number"]).strip() or None) if data.get("doc_number") else None,
                   issue_date=issue)


# --- the data ------------------------------------------------------------------------------

@dataclass
class Problem:
    """One finding as the bulletin shows it; ``status`` is new / persisting / fixed / info."""

    site_id: str
    site_name: str
    check: str
    severity: str
    column: str | None
    url: str | None
    year: int | None
    detail: str
    status: str = "new"

    @property
    def check_name(self) -> str:
        return check_name(self.check)

    @property
    def status_name(self) -> str:
        return {"new": "新发现", "persisting": "未整改", "fixed": "已整改", "info": "提示",
                "unverifiable": "无法核实", "warning": "预警"}[self.status]


@dataclass
class SiteResult:
    """One monitored portal in the period: its audited crawl and the outcome."""

    site_id: str
    name: str
    url: str
    run_id: int
    crawl_date: str          # YYYY-MM-DD the run started
    crawl_status: str | None
    verdict: str
    vetoes: list[str]
    columns_checked: int
    documents_checked: int
    problems: list[Problem] = field(default_factory=list)
    reason: str | None = None                 # why the site is 未能自动检查
    unseen_columns: list[dict] = field(default_factory=list)   # {name, url, status, reason}
    #: availability probes of the period (``xxgk probe``): [(YYYY-MM-DD, rounds, failed rounds)]
    probe_days: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def qualified(self) -> bool:
        return self.verdict == "合格"

    @property
    def failed(self) -> bool:
        return self.verdict == "不合格"

    @property
    def checked(self) -> bool:
        """Whether the site got a 合格/不合格 conclusion (not 未能自动检查)."""
        return self.verdict in ("合格", "不合格")

    @property
    def probes(self) -> int:
        return sum(total for _, total, _ in self.probe_days)

    @property
    def probe_failures(self) -> int:
        return sum(failed for _, _, failed in self.probe_days)

    @property
    def availability(self) -> float | None:
        """连通率 of the period (share of probe rounds that opened); None when not probed."""
        return 1 - self.probe_failures / self.probes if self.probes else None


@dataclass
class BulletinData:
    """Everything a bulletin says, as plain values. Built by ``gather``; read by the writers."""

    period: Period
    config: BulletinConfig
    issue_date: date
    deadline: date
    sites: list[SiteResult]
    problems: list[Problem]          # this period, veto/deduct, status new or persisting
    fixed: list[Problem]             # previous period's problems gone now
    notes: list[Problem]             # severity "info": listed in the 附件, not counted
    previous_monitored: int          # sites in the previous period (0: no comparison possible)
    dismissed: int = 0               # this period's findings dismissed on review (人工审核), left out
    unconfirmed: int = 0             # pending findings left out by ``confirmed_only``
    confirmed_only: bool = False
    unverifiable: list[Problem] = field(default_factory=list)   # gone, but not seen this period
    warnings: list[Problem] = field(default_factory=list)   # severity "warn" (预警): own part, not counted

    @property
    def first_date(self) -> str:
        return min(s.crawl_date for s in self.sites)

    @property
    def last_date(self) -> str:
        return max(s.crawl_date for s in self.sites)

    @property
    def qualified(self) -> int:
        return sum(1 for s in self.sites if s.qualified)

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sites if s.failed)

    @property
    def checked(self) -> list[SiteResult]:
        """Sites with a 合格/不合格 conclusion: the 合格率 is computed over these only."""
        return [s for s in self.sites if s.checked]

    @property
    def unchecked(self) -> list[SiteResult]:
        return [s for s in self.sites if not s.checked]

    @property
    def qualified_rate(self) -> float:
        checked = len(self.checked)
        return self.qualified / checked if checked else 0.0

    @property
    def columns_checked(self) -> int:
        return sum(s.columns_checked for s in self.sites)

    @property
    def documents_checked(self) -> int:
        return sum(s.documents_checked for s in self.sites)

    def counts_by_check(self) -> list[tuple[str, int]]:
        """[(check id, problems)] in catalogue order, checks with no problem left out."""
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p.check] = counts.get(p.check, 0) + 1
        return sorted(counts.items(), key=lambda kv: check_order(kv[0]))

    def count(self, status: str) -> int:
        if status == "fixed":
            return len(self.fixed)
        if status == "unverifiable":
            return len(self.unverifiable)
        return sum(1 for p in self.problems if p.status == status)


# --- reading the store ---------------------------------------------------------------------

def _period_crawls(store, period: Period) -> list[dict]:
    """Each site's latest audited crawl among runs started in ``period`` (see module doc)."""
    sql = """
        select c.run_id, c.site_id, c.status as crawl_status, c.documents as crawl_documents,
               substr(r.started_at, 1, 10) as crawl_date, v.verdict, v.vetoes, v.reason,
               s.name as site_name, coalesce(s.url, c.url) as site_url
        from crawls c
        join runs r on r.id = c.run_id
        join verdicts v on v.run_id = c.run_id and v.site_id = c.site_id
        left join sites s on s.id = c.site_id
        where substr(r.started_at, 1, 7) = ?
        order by c.site_id, c.run_id desc"""
    latest: dict[str, dict] = {}
    for row in store.db.query(sql, [period.key]):
        latest.setdefault(row["site_id"], dict(row))
    return list(latest.values())


def _scalar(store, sql: str, params: list) -> int:
    return int(store.db.execute(sql, params).fetchone()[0] or 0)


def _findings(store, run_id: int, site_id: str) -> list[dict]:
    return [dict(r) for r in store.db.query(
        "select * from findings where run_id = ? and site_id = ? order by id", [run_id, site_id])]


def _vetoes(raw: Any) -> list[str]:
    if isinstance(raw, list):
        return [str(v) for v in raw]
    try:
        value = json.loads(raw or "[]")
    except (TypeError, ValueError):
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _site_result(store, row: dict) -> SiteResult:
    run_id, site_id = row["run_id"], row["site_id"]
    documents = _scalar(store, "select count(*) from documents where site_id = ? and last_run_id = ?",
                        [site_id, run_id])
    if not documents and row.get("crawl_documents"):
        # A later crawl moved last_run_id on; the crawl's own counter still tells.
        documents = int(row["crawl_documents"])
    return SiteResult(
        site_id=site_id, name=row.get("site_name") or site_id, url=row.get("site_url") or "",
        run_id=run_id, crawl_date=row["crawl_date"] or "", crawl_status=row.get("crawl_status"),
        verdict=row.get("verdict") or "不合格", vetoes=_vetoes(row.get("vetoes")),
        columns_checked=_scalar(store, "select count(*) from columns where run_id = ? and site_id = ?",
                                [run_id, site_id]),
        documents_checked=documents, reason=row.get("reason") or None,
        unseen_columns=_unseen_columns(store, run_id, site_id))


def _columns(store, run_id: int, site_id: str) -> list[dict]:
    return store.rows("columns", "run_id = ? and site_id = ?", [run_id, site_id])


def _unseen_columns(store, run_id: int, site_id: str) -> list[dict]:
    """The crawl's columns a person must check by hand (status unreadable/incomplete, page failed)."""
    out = []
    for c in sorted(_columns(store, run_id, site_id), key=lambda c: c.get("url") or ""):
        failed = c.get("http_status") is not None and int(c["http_status"]) >= 400
        status = c.get("status") or ("unreadable" if failed else "ok")
        if status == "ok" and not failed:
            continue
        reason = c.get("status_reason") or (f"栏目页返回 HTTP {c['http_status']}" if failed else "原因不明")
        out.append({"name": c.get("name") or "", "url": c.get("url") or "",
                    "status": "unreadable" if status == "ok" else status, "reason": reason})
    return out


def _site_view(store, site: "SiteResult") -> SiteView:
    failed = [r["url"] for r in store.db.query(
        """select url from documents where site_id = ? and (error is not null and error != ''
               or http_status >= 400) and url in (select url from column_items
               where run_id = ? and site_id = ?)""", [site.site_id, site.run_id, site.site_id])]
    return SiteView.build(site.crawl_status, _columns(store, site.run_id, site.site_id), failed)


def _probe_days(store, site_id: str, period: Period) -> list[tuple[str, int, int]]:
    """The site's probe rounds in the period, per day: [(day, rounds, failed)]."""
    if not store.db["probes"].exists():
        return []
    nxt = Period(period.year + 1, 1) if period.month == 12 else Period(period.year, period.month + 1)
    days: dict[str, list[int]] = {}
    for r in store.probe_rounds(site_id, f"{period.key}-01 00:00:00", f"{nxt.key}-01 00:00:00"):
        day = days.setdefault(str(r["at"])[:10], [0, 0])
        day[0] += 1
        day[1] += 0 if r["ok"] else 1
    return [(day, total, failed) for day, (total, failed) in sorted(days.items())]


def _problem(f: dict, names: dict[str, str], status: str) -> Problem:
    year = f.get("year")
    return Problem(site_id=f["site_id"], site_name=names.get(f["site_id"], f["site_id"]),
                   check=str(f.get("check") or ""), severity=str(f.get("severity") or "deduct"),
                   column=f.get("column") or None, url=f.get("url") or None,
                   year=int(year) if year not in (None, "") else None,
                   detail=str(f.get("detail") or ""), status=status)


def _is_problem(f: dict) -> bool:
    """A 问题 of the unit: not an ``info`` note, not a ``warn`` 预警 (shown apart, never counted)."""
    return (f.get("severity") or "deduct") not in ("info", "warn")


class _Reviewed:
    """Findings as the 通报 takes them after 人工审核: never dismissed ones; with
    ``confirmed_only`` only confirmed ones. Verdicts are judged again without what was left out."""

    def __init__(self, store, confirmed_only: bool):
        from audits.review import CONFIRMED, DISMISSED, site_states

        self.store, self.confirmed_only = store, confirmed_only
        self._states, self._site_states = {}, site_states
        self._keep = (lambda s: s == CONFIRMED) if confirmed_only else (lambda s: s != DISMISSED)

    def _state(self, site_id: str, finding_id: int) -> str:
        if site_id not in self._states:
            self._states[site_id] = {s.finding["id"]: s.state for s in self._site_states(self.store, site_id)}
        return self._states[site_id].get(finding_id, "pending")

    def findings(self, run_id: int, site_id: str) -> tuple[list[dict], list[str]]:
        """(findings kept, states of those left out) of one crawl."""
        kept, dropped = [], []
        for f in _findings(self.store, run_id, site_id):
            state = self._state(site_id, f["id"])
            if self._keep(state):
                kept.append(f)
            else:
                dropped.append(state)
        return kept, dropped

    def rejudge(self, site: SiteResult, kept: list[dict], dropped: list[str]) -> None:
        from audits.review import verdict_for

        site.verdict, site.vetoes = verdict_for(self.store, site.run_id, site.site_id, kept, len(dropped),
                                                (site.verdict, site.vetoes))


def gather(store, period: Period | str, config: BulletinConfig | None = None,
           confirmed_only: bool = False) -> BulletinData:
    """Read ``period`` (and the month before, for 整改情况) from ``store``.

    Findings dismissed on review are left out (and the verdict judged without them); with
    ``confirmed_only`` pending ones are left out too.
    Raises ``BulletinError`` when no audited crawl exists in the period: a bulletin with no
    data is not something an office can issue, so the caller gets a clear message instead.
    """
    period = Period.parse(period) if isinstance(period, str) else period
    config = config or BulletinConfig()
    rows = _period_crawls(store, period)
    if not rows:
        raise BulletinError(f"{period.label}没有已检查的监测记录（需先运行 xxgk crawl 和 xxgk audit），"
                            "无法生成通报")
    sites = [_site_result(store, r) for r in rows]
    names = {s.site_id: s.name for s in sites}
    reviewed = _Reviewed(store, confirmed_only)
    current, left_out = [], []
    for s in sites:
        kept, dropped = reviewed.findings(s.run_id, s.site_id)
        reviewed.rejudge(s, kept, dropped)
        current += kept
        left_out += dropped
    prev_rows = _period_crawls(store, period.previous)
    previous = [f for r in prev_rows if r["site_id"] in names
                for f in reviewed.findings(r["run_id"], r["site_id"])[0]]
    views = {s.site_id: _site_view(store, s) for s in sites}
    result = compare([f for f in current if _is_problem(f)], [f for f in previous if _is_problem(f)],
                     hidden=lambda f: views[f["site_id"]].hides(f))
    problems = ([_problem(f, names, "new") for f in result.new]
                + [_problem(f, names, "persisting") for f in result.persisting])
    fixed = [_problem(f, names, "fixed") for f in result.fixed]
    unverifiable = [_problem(f, names, "unverifiable") for f in result.unverifiable]
    notes = [_problem(f, names, "info") for f in current if (f.get("severity") or "") == "info"]
    warnings = [_problem(f, names, "warning") for f in current if (f.get("severity") or "") == "warn"]
    order = {s.site_id: i for i, s in enumerate(sites)}
    sort_key = lambda p: (check_order(p.check), order.get(p.site_id, 0), p.year or 0,  # noqa: E731
                          p.url or "", p.column or "", p.detail)
    problems.sort(key=sort_key)
    fixed.sort(key=sort_key)
    unverifiable.sort(key=sort_key)
    warnings.sort(key=sort_key)
    for s in sites:
        s.problems = [p for p in problems if p.site_id == s.site_id]
        s.probe_days = _probe_days(store, s.site_id, period)
    issue = config.issue_date or date.today()
    return BulletinData(period=period, config=config, issue_date=issue,
                        deadline=add_workdays(issue, config.deadline_workdays), sites=sites,
                        problems=problems, fixed=fixed, notes=notes,
                        previous_monitored=len(prev_rows), unverifiable=unverifiable,
                        dismissed=left_out.count("dismissed"),
                        unconfirmed=len(left_out) - left_out.count("dismissed"),
                        confirmed_only=confirmed_only, warnings=warnings)
