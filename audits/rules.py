"""The audit rules: national thresholds from ``rules.yaml`` as a typed object, plus date rules.

The numbers live in the YAML next to their legal sources so a disclosure office can read
(and, if its province is stricter, change) them without touching code. Per-site overrides
(column categories, ``annual_reports_since``) come from the seeds file, not from here.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

RULES_FILE = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class Category:
    """A column category: its words (matched in the 简体 name) and its update limit."""

    id: str
    label: str
    words: tuple[str, ...]
    limit_days: int | None = None
    limit_months: int | None = None

    @property
    def has_limit(self) -> bool:
        return bool(self.limit_days or self.limit_months)

    def limit_text(self) -> str:
        """The limit as a clerk writes it: 14天, 6个月."""
        if self.limit_days:
            return f"{self.limit_days}天"
        if self.limit_months:
            return f"{self.limit_months}个月"
        return "无"

    def stale_after(self, latest: date) -> date:
        """The last day on which a column whose newest item is ``latest`` is still fresh."""
        if self.limit_days:
            return date.fromordinal(latest.toordinal() + self.limit_days)
        return add_months(latest, self.limit_months or 0)


@dataclass(frozen=True)
class Rules:
    categories: tuple[Category, ...]
    stale_key_categories: tuple[str, ...] = ("news", "notice", "policy")
    stale_key_count: int = 5
    stale_any_count: int = 10
    empty_count: int = 5
    homepage_days: int = 14
    warn_empty_count: int = 3
    warn_stale_count: int = 6
    warn_homepage_days: int = 10
    warn_probe_share: float = 0.03
    deadline_new: tuple[int, int] = (1, 31)          # 县级以上人民政府部门 (条例2019 第四十九条)
    deadline_old: tuple[int, int] = (3, 31)          # every 行政机关, report years ≤ 2018 (条例2007 第三十一条)
    deadline_government: tuple[int, int] = (3, 31)   # 本级人民政府's own report (第四十九条)
    deadline_township: tuple[int, int] = (1, 31)     # 乡镇/街道: no statutory date (product default)
    new_rule_first_year: int = 2019
    citation_new: str = "《中华人民共和国政府信息公开条例》（2019年修订）第四十九条"
    citation_old: str = "《中华人民共和国政府信息公开条例》（2007年）第三十一条"
    metadata_skip_categories: tuple[str, ...] = ()
    probe_window_days: int = 7          # 站点无法访问: 监测1周 …
    probe_min_per_day: int = 20         # … 每天20次以上 …
    probe_timeout_seconds: float = 15   # … 超过（含）15秒仍打不开 …
    probe_veto_share: float = 0.05      # … 占比超过（含）5%
    probe_warn_share: float = 0.03      # 预警 (product policy)
    checks: tuple[tuple[str, str], ...] = field(default_factory=tuple)   # (id, severity) in order
    labels: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (id, 中文简称)
    sources: dict = field(default_factory=dict, hash=False, compare=False)

    # --- lookups ----------------------------------------------------------------------
    def category(self, category_id: str | None) -> Category:
        for cat in self.categories:
            if cat.id == category_id:
                return cat
        return self.category("other") if category_id != "other" else Category("other", "其他", ())

    def severity(self, check: str) -> str:
        return dict(self.checks).get(check, "deduct")

    def label(self, check: str) -> str:
        """The check's short Chinese name for tables and bulletins (栏目更新不及时, 年报缺失 …)."""
        return dict(self.labels).get(check, check)

    @property
    def probe_min_count(self) -> int:
        """Probes a site needs in the window before 站点无法访问 is judged (20 × 7 = 140)."""
        return self.probe_min_per_day * self.probe_window_days

    def order(self, check: str) -> int:
        """Position of ``check`` in the catalogue (findings sort by it); unknown checks last."""
        ids = [c for c, _ in self.checks]
        return ids.index(check) if check in ids else len(ids)

    # --- 年报 dates --------------------------------------------------------------------
    def report_deadline(self, year: int, unit_kind: str = "department",
                        township: tuple[int, int] | None = None) -> date:
        """The day by which the 年报 on ``year`` of a unit of ``unit_kind`` must be published.

        Report years ≤ 2018: 3月31日 of the next year for every 行政机关 (2007 条例 第三十一条).
        From 2019 (条例 第四十九条): a 县级以上人民政府部门 (``department``) by 1月31日, the
        本级人民政府's own report (``government``) by 3月31日; a 乡镇/街道 (``township``) has
        no statutory date: 1月31日 by default, ``township`` (month, day) from the seeds file.
        """
        if year < self.new_rule_first_year:
            month, day = self.deadline_old
        elif unit_kind == "government":
            month, day = self.deadline_government
        elif unit_kind == "township":
            month, day = township or self.deadline_township
        else:
            month, day = self.deadline_new
        return date(year + 1, month, day)

    def citation(self, year: int, unit_kind: str = "department") -> str:
        """The legal text a finding about the 年报 on ``year`` cites (by report year and unit)."""
        if year < self.new_rule_first_year:
            return self.citation_old
        if unit_kind == "township":
            return f"{self.citation_new}；乡镇、街道无法定期限，按本监测设定的期限"
        return self.citation_new

    def last_due_year(self, as_of: date, unit_kind: str = "department",
                      township: tuple[int, int] | None = None) -> int:
        """The newest year whose 年报 is already due on ``as_of`` for that unit (SPEC): the
        latest Y whose deadline is before ``as_of``. A department: on 2026-01-31 the 2025
        report is not yet late, on 2026-02-01 it is; a government: on 2026-03-31 / 04-01."""
        year = as_of.year - 1
        while self.report_deadline(year, unit_kind, township) >= as_of:
            year -= 1
        return year


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months, clamped to the month's end (08-31 + 6 → 02-28/29)."""
    total = day.month - 1 + months
    year, month = day.year + total // 12, total % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _limit(raw) -> tuple[int | None, int | None]:
    if not isinstance(raw, dict):
        return None, None
    return raw.get("days"), raw.get("months")


def parse_rules(data: dict) -> Rules:
    """Build ``Rules`` from the YAML structure (see ``rules.yaml``)."""
    cats = []
    for raw in data.get("categories") or []:
        days, months = _limit(raw.get("limit"))
        cats.append(Category(id=raw["id"], label=raw.get("label") or raw["id"],
                             words=tuple(raw.get("words") or ()), limit_days=days,
                             limit_months=months))
    vetoes = data.get("vetoes") or {}
    stale, empty = vetoes.get("column_stale") or {}, vetoes.get("column_empty") or {}
    reach = data.get("reachability") or {}
    reports = data.get("annual_reports") or {}
    warn, home = data.get("warnings") or {}, vetoes.get("homepage_stale") or {}
    new, old = reports.get("deadline_from_2019") or {}, reports.get("deadline_until_2018") or {}
    gov, town = reports.get("deadline_government") or {}, reports.get("deadline_township") or {}
    return Rules(
        categories=tuple(cats),
        stale_key_categories=tuple(stale.get("key_categories") or ("news", "notice", "policy")),
        stale_key_count=int(stale.get("key_count", 5)),
        stale_any_count=int(stale.get("any_count", 10)),
        empty_count=int(empty.get("count", 5)),
        homepage_days=int(home.get("days", 14)),
        warn_empty_count=int(warn.get("column_empty", 3)),
        warn_stale_count=int(warn.get("column_stale", 6)),
        warn_homepage_days=int(warn.get("homepage_days", 10)),
        warn_probe_share=float(warn.get("probe_share", 0.03)),
        deadline_new=(int(new.get("month", 1)), int(new.get("day", 31))),
        deadline_old=(int(old.get("month", 3)), int(old.get("day", 31))),
        deadline_government=(int(gov.get("month", 3)), int(gov.get("day", 31))),
        deadline_township=(int(town.get("month", 1)), int(town.get("day", 31))),
        new_rule_first_year=int(reports.get("new_rule_first_year", 2019)),
        citation_new=reports.get("citation_from_2019") or Rules.citation_new,
        citation_old=reports.get("citation_until_2018") or Rules.citation_old,
        metadata_skip_categories=tuple((data.get("metadata") or {}).get("skip_categories") or ()),
        probe_window_days=int(reach.get("window_days", 7)),
        probe_min_per_day=int(reach.get("min_per_day", 20)),
        probe_timeout_seconds=float(reach.get("timeout_seconds", 15)),
        probe_veto_share=float(reach.get("veto_share", 0.05)),
        probe_warn_share=float(reach.get("warn_share", 0.03)),
        checks=tuple((c["id"], c.get("severity", "deduct")) for c in data.get("checks") or []),
        labels=tuple((c["id"], c.get("label") or c["id"]) for c in data.get("checks") or []),
        sources=dict(data.get("sources") or {}),
    )


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """The rules in ``path`` (default: the national defaults shipped in ``rules.yaml``)."""
    text = Path(path or RULES_FILE).read_text(encoding="utf-8")
    return parse_rules(yaml.safe_load(text) or {})
