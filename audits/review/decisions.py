"""Review decisions and how they carry over from one crawl to the next. Pure.

A clerk confirms (已确认) or dismisses (已驳回, with a reason) a finding before the 通报 goes
out. The decision is about a *problem*, not about a ``findings`` row (those are deleted and
re-inserted by every audit), so it is keyed by the problem's identity across periods:
``audits.bulletin.compare.problem_key`` — site, check, year and evidence URL (else column).

Carry-over rule, for a finding of crawl R with key K:

* take the latest decision on K made on a crawl R0 ≤ R (decisions are about what was seen);
* it still applies when K was present in every crawl of that site between R0 and R in which
  the tool could see it — an audited crawl of a reached site, where the evidence is not an
  unreadable column. A crawl in which K was absent means the problem was fixed: when it shows
  up again later it is a new problem, 待审核, and an old dismissal no longer hides it;
* a crawl in which the tool could not look (site unreachable, the column unreadable) neither
  breaks nor extends anything: "could not see" is not "fixed".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from audits.bulletin.compare import normalise_url, problem_key

PENDING, CONFIRMED, DISMISSED = "pending", "confirmed", "dismissed"
STATES = (PENDING, CONFIRMED, DISMISSED)
STATE_NAMES = {PENDING: "待审核", CONFIRMED: "已确认", DISMISSED: "已驳回"}


class ReviewError(ValueError):
    """A review request that cannot be carried out; the message is one line for a person."""


def parse_state(text: str) -> str:
    """``dismissed`` / ``已驳回`` / ``dismiss`` → ``dismissed``; ReviewError otherwise."""
    value = (text or "").strip().lower()
    aliases = {"dismiss": DISMISSED, "reject": DISMISSED, "confirm": CONFIRMED, "reset": PENDING,
               **{name: state for state, name in STATE_NAMES.items()}}
    value = aliases.get(value, value)
    if value not in STATES:
        raise ReviewError(f"审核状态应为 pending、confirmed 或 dismissed（待审核、已确认、已驳回）：{text!r}")
    return value


def key_text(finding: Mapping[str, Any]) -> str:
    """The problem's identity as stored text (JSON of ``problem_key``)."""
    return json.dumps(list(problem_key(finding)), ensure_ascii=False)


def evidence_url(key: str) -> str | None:
    """The normalised evidence URL inside a key, if the key is located by URL."""
    where = json.loads(key)[3]
    return where[1] if where and where[0] == "url" else None


@dataclass(frozen=True)
class Decision:
    id: int
    key: str
    site_id: str
    run_id: int
    state: str
    reason: str | None = None
    reviewer: str | None = None
    decided_at: str | None = None

    @property
    def state_name(self) -> str:
        return STATE_NAMES[self.state]


def validate(state: str, reason: str | None) -> str | None:
    """The reason to store; a dismissal needs one (it is what a reviewer of the review reads)."""
    reason = (reason or "").strip() or None
    if state == DISMISSED and not reason:
        raise ReviewError("驳回必须写明理由（--reason）")
    return reason


@dataclass
class CrawlView:
    """What one audited crawl of a site tells the carry-over rule."""

    run_id: int
    reached: bool
    keys: frozenset[str]                 # problem keys of the crawl's findings
    unseen_urls: frozenset[str] = frozenset()   # normalised URLs of columns it could not read

    def saw(self, key: str) -> bool:
        """Could this crawl have seen problem ``key`` at all?"""
        if not self.reached:
            return False
        url = evidence_url(key)
        return not (url and url in self.unseen_urls)


def effective(decisions: Iterable[Decision], key: str, run_id: int,
              history: Iterable[CrawlView]) -> Decision | None:
    """The decision that applies to problem ``key`` as found by crawl ``run_id`` (None: 待审核).

    ``decisions`` are all decisions of the site (any key); ``history`` the site's audited crawls.
    """
    mine = [d for d in decisions if d.key == key and d.run_id <= run_id]
    if not mine:
        return None
    latest = max(mine, key=lambda d: d.id)
    for crawl in history:
        if latest.run_id < crawl.run_id < run_id and crawl.saw(key) and key not in crawl.keys:
            return None    # fixed in between: it came back as a new problem
    return None if latest.state == PENDING else latest


def unseen_column_urls(columns: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """Columns a crawl could not read in full (status unreadable / incomplete)."""
    return frozenset(normalise_url(c.get("url")) for c in columns
                     if (c.get("status") or "ok") != "ok" and c.get("url"))
