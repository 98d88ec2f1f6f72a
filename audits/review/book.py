"""Review decisions in the store: record them, work out each finding's state, keep derived rows.

Tables (schema in ``crawler/store.py``):

- ``reviews``          every decision ever made, append-only: problem key, the crawl it was made
                       on, state, reason, who, when (plus check/column/url/year for people).
- ``finding_reviews``  derived, one row per ``findings`` row: its state under the carry-over
                       rule (``decisions.effective``), its period and whether it belongs to the
                       crawl a 通报 of that period uses. Rebuilt per site after every audit and
                       every decision; the web view and ``xxgk review`` read it, so both count
                       the same rows.
- ``verdicts``         gets ``reviewed_verdict`` / ``reviewed_vetoes``: the verdict once dismissed
                       findings are left out (a dismissed veto finding must not leave a unit
                       不合格).
"""

from __future__ import annotations

import getpass
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from audits.review.decisions import (CONFIRMED, DISMISSED, PENDING, STATE_NAMES, CrawlView,
                                     Decision, ReviewError, effective, key_text, unseen_column_urls,
                                     validate)


@dataclass
class FindingState:
    finding: dict
    key: str
    period: str
    in_period: bool
    decision: Decision | None

    @property
    def state(self) -> str:
        return self.decision.state if self.decision else PENDING


def _audited_crawls(store, site_id: str) -> list[dict]:
    """The site's audited crawls (a ``verdicts`` row), oldest first, with the run's month."""
    return [dict(r) for r in store.db.query(
        """select c.run_id, c.status, substr(r.started_at, 1, 7) as period
           from crawls c join runs r on r.id = c.run_id
           join verdicts v on v.run_id = c.run_id and v.site_id = c.site_id
           where c.site_id = ? order by c.run_id""", [site_id])]


def _decisions(store, site_id: str) -> list[Decision]:
    return [Decision(id=r["id"], key=r["problem_key"], site_id=r["site_id"], run_id=r["run_id"],
                     state=r["state"], reason=r["reason"], reviewer=r["reviewer"],
                     decided_at=r["decided_at"])
            for r in store.db.query("select * from reviews where site_id = ? order by id", [site_id])]


def site_states(store, site_id: str) -> list[FindingState]:
    """Every stored finding of ``site_id`` with its review state (computed, nothing written)."""
    crawls = _audited_crawls(store, site_id)
    findings = [dict(r) for r in store.db.query(
        "select * from findings where site_id = ? order by run_id, id", [site_id])]
    keys: dict[int, set[str]] = defaultdict(set)
    for f in findings:
        f["_key"] = key_text(f)
        keys[f["run_id"]].add(f["_key"])
    unseen: dict[int, list[dict]] = defaultdict(list)
    for c in store.db.query("select run_id, url, status from columns where site_id = ? "
                            "and coalesce(status, 'ok') != 'ok'", [site_id]):
        unseen[c["run_id"]].append(dict(c))
    history = [CrawlView(run_id=c["run_id"], reached=(c["status"] or "") != "unreachable",
                         keys=frozenset(keys.get(c["run_id"], ())),
                         unseen_urls=unseen_column_urls(unseen.get(c["run_id"], ())))
               for c in crawls]
    period_of = {c["run_id"]: c["period"] for c in crawls}
    latest_in_period: dict[str, int] = {}
    for c in crawls:
        latest_in_period[c["period"]] = max(c["run_id"], latest_in_period.get(c["period"], 0))
    decisions = _decisions(store, site_id)
    out = []
    for f in findings:
        period = period_of.get(f["run_id"], "")
        out.append(FindingState(
            finding=f, key=f["_key"], period=period,
            in_period=bool(period) and latest_in_period.get(period) == f["run_id"],
            decision=effective(decisions, f["_key"], f["run_id"], history)))
    return out


def _judge_without(store, run_id: int, site_id: str, kept: list[dict], rules=None):
    """The verdict of one crawl from the findings kept (the engine's judge, same rules)."""
    from audits.finding import Finding
    from audits.rules import load_rules
    from audits.site import SiteData
    from audits.verdict import judge

    rules = rules or load_rules()
    crawl = next((c for c in store.latest_crawls(run_id) if c["site_id"] == site_id), None)
    if crawl is None:
        return None
    site = SiteData.from_store(crawl, store.site_snapshot(run_id, site_id), rules=rules)
    findings = [Finding(check=f["check"], severity=f["severity"], detail=f["detail"] or "",
                        column=f["column"], url=f["url"], year=f["year"]) for f in kept]
    return judge(findings, site, rules)


def verdict_for(store, run_id: int, site_id: str, kept: list[dict], dropped: int,
                stored: tuple[str, list[str]]) -> tuple[str, list[str]]:
    """(verdict, vetoes) of a crawl once ``dropped`` findings are left out; ``stored`` when none is."""
    if not dropped:
        return stored
    verdict = _judge_without(store, run_id, site_id, kept)
    return (verdict.verdict, list(verdict.vetoes)) if verdict else stored


def refresh(store, site_ids: Iterable[str] | None = None) -> None:
    """Rebuild ``finding_reviews`` and the reviewed verdicts of the given sites (default: all)."""
    from audits.bulletin.catalogue import check_name

    if site_ids is None:
        site_ids = [r["site_id"] for r in store.db.query("select distinct site_id from verdicts")]
    for site_id in site_ids:
        states = site_states(store, site_id)
        rows = [{"finding_id": s.finding["id"], "run_id": s.finding["run_id"], "site_id": site_id,
                 "period": s.period, "in_period": int(s.in_period), "problem_key": s.key,
                 "check_name": check_name(s.finding["check"]), "state": s.state,
                 "state_name": STATE_NAMES[s.state],
                 "reason": s.decision.reason if s.decision else None,
                 "reviewer": s.decision.reviewer if s.decision else None,
                 "decided_at": s.decision.decided_at if s.decision else None,
                 "review_id": s.decision.id if s.decision else None} for s in states]
        by_run: dict[int, list[FindingState]] = defaultdict(list)
        for s in states:
            by_run[s.finding["run_id"]].append(s)
        verdicts = [dict(r) for r in store.db.query(
            "select run_id, verdict, vetoes from verdicts where site_id = ?", [site_id])]
        updates = []
        for v in verdicts:
            mine = by_run.get(v["run_id"], [])
            kept = [s.finding for s in mine if s.state != DISMISSED]
            stored = (v["verdict"], json.loads(v["vetoes"] or "[]"))
            verdict, vetoes = verdict_for(store, v["run_id"], site_id, kept, len(mine) - len(kept), stored)
            updates.append((verdict, json.dumps(vetoes, ensure_ascii=False), v["run_id"], site_id))
        with store.db.conn:
            store.db.execute("delete from finding_reviews where site_id = ?", [site_id])
            if rows:
                store.db["finding_reviews"].insert_all(rows)
            store.db.conn.executemany("update verdicts set reviewed_verdict = ?, reviewed_vetoes = ? "
                                 "where run_id = ? and site_id = ?", updates)


# --- listing and deciding ----------------------------------------------------------------------

def latest_period(store) -> str | None:
    row = store.db.execute("select max(period) from finding_reviews").fetchone()
    return row[0] if row else None


def select(store, period: str | None = None, site: str | None = None, check: str | None = None,
           state: str | None = None, ids: Iterable[int] | None = None) -> list[dict]:
    """Findings of a period's 通报 crawls with their review state, filtered; the CLI's list.

    Rows: the ``findings`` columns plus ``state``, ``state_name``, ``reason``, ``reviewer``,
    ``decided_at``, ``check_name``, ``site_name`` and ``period``.
    """
    where, params = ["r.in_period = 1"], []
    if ids:
        ids = [int(i) for i in ids]
        where = [f"f.id in ({', '.join('?' * len(ids))})"]
        params += ids
    elif period:
        where.append("r.period = ?")
        params.append(period)
    for column, value in (("f.site_id", site), ("f.\"check\"", check), ("r.state", state)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    sql = f"""select f.*, r.state, r.state_name, r.reason, r.reviewer, r.decided_at, r.check_name,
                     r.period, coalesce(s.name, f.site_id) as site_name
              from findings f join finding_reviews r on r.finding_id = f.id
              left join sites s on s.id = f.site_id
              where {' and '.join(where)} order by f.site_id, f.id"""
    return [dict(r) for r in store.db.query(sql, params)]


def decide(store, finding_ids: Iterable[int], state: str, reason: str | None = None,
           reviewer: str | None = None) -> int:
    """Record one decision per finding (by its current ``findings.id``); returns how many.

    ReviewError for a dismissal without a reason or an id that names no finding; nothing is
    written then (all or nothing).
    """
    from crawler.store import now

    reason = validate(state, reason)
    ids = sorted({int(i) for i in finding_ids})
    if not ids:
        raise ReviewError("没有选中任何问题（给出问题编号，或用 --site/--check 选择）")
    found = {r["id"]: dict(r) for r in store.db.query(
        f"select * from findings where id in ({', '.join('?' * len(ids))})", ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ReviewError(f"没有这些编号的问题：{', '.join(map(str, missing))}（先运行 xxgk review 查看编号）")
    reviewer = (reviewer or "").strip() or _user()
    when = now()
    rows = [{"site_id": f["site_id"], "problem_key": key_text(f), "run_id": f["run_id"],
             "state": state, "reason": reason, "reviewer": reviewer, "decided_at": when,
             "check": f["check"], "column": f["column"], "url": f["url"], "year": f["year"],
             "detail": f["detail"]} for f in (found[i] for i in ids)]
    with store.db.conn:
        store.db["reviews"].insert_all(rows)
    refresh(store, sorted({f["site_id"] for f in found.values()}))
    return len(rows)


def counts(rows: Iterable[dict]) -> dict[str, int]:
    """{state: n} over listed rows, every state present (zero when none)."""
    out = {PENDING: 0, CONFIRMED: 0, DISMISSED: 0}
    for r in rows:
        out[r["state"]] = out.get(r["state"], 0) + 1
    return out


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


__all__ = ["CONFIRMED", "DISMISSED", "PENDING", "FindingState", "ReviewError", "counts", "decide",
           "latest_period", "refresh", "select", "site_states", "verdict_for"]
