"""`xxgk probe`: the long-running availability prober (APScheduler 3), and its seat in `xxgk schedule`.

Choices, and why:

- One interval job with a fixed id (``PROBE_JOB_ID``) in a persistent SQLAlchemy job store —
  ``<db>.probe.sqlite`` for ``xxgk probe``, the schedule's own store when the probes run inside
  ``xxgk schedule`` — so restarting keeps one job (its next run time, its arguments) and the
  ``probes`` table keeps the history.
- Default cadence every 60 minutes = 24 probes per portal per day (19号 asks for ≥20), with the
  portals spread over half the interval (stable per-portal offsets, see ``crawler.probe``) and a
  small job jitter, so hundreds of portals are not hit in the same second.
- ``coalesce`` and a short misfire grace: a round missed while the machine was off is not made
  up several times over (19号 counts probes at intervals, not bursts).
- Its own lock ``<db>.probe.lock`` (``xxgk.lock``, same discipline as ``schedule``): a second
  prober on the same database refuses at once (exit 4). ``xxgk schedule`` with probes enabled
  holds it too, so probes are never doubled. Probes do not take the ``run`` lock: they write
  only the ``probes`` table in short transactions, which SQLite's WAL lets run beside a crawl.
- The job runs in its own one-thread executor (``probe``): inside ``xxgk schedule`` a monthly
  run lasting hours never delays a probe round.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterator

from crawler.probe import DEFAULT_CONCURRENCY, LIMIT_SECONDS, Target, describe, probe_round
from crawler.seeds import SeedsError, load_seeds
from xxgk.lock import DbLock

PROBE_JOB_ID = "xxgk-availability-probe"
DEFAULT_EVERY = 3600.0        # seconds: 24 rounds a day
MIN_PER_DAY = 20              # 19号: "每天间隔性访问20次以上"

logger = logging.getLogger("xxgk.probe")


class ProbeConfigError(ValueError):
    """Bad probe settings (seeds ``probe:`` block or options); the message is for the user."""


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h)?\s*$", re.I)


def parse_duration(value, what: str = "every") -> float:
    """``"60m"`` / ``"1h"`` / ``"90s"`` / ``3600`` → seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value)
    else:
        m = _DURATION.match(str(value or ""))
        if not m:
            raise ProbeConfigError(f"probe.{what} 应写作 60m、1h 或 90s：{value!r}")
        unit = (m.group(2) or "s").lower()
        seconds = float(m.group(1)) * {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600}[unit]
    if seconds <= 0:
        raise ProbeConfigError(f"probe.{what} 应大于 0：{value!r}")
    return seconds


@dataclass(frozen=True)
class ProbeConfig:
    """The seeds file's ``probe:`` block (see ``seeds/example.yaml``), options override it."""

    every: float = DEFAULT_EVERY
    spread: float | None = None                 # None: half of ``every``
    concurrency: int = DEFAULT_CONCURRENCY
    timeout: float = LIMIT_SECONDS
    in_schedule: bool = False

    FIELDS = ("every", "spread", "concurrency", "timeout", "in_schedule")

    @classmethod
    def from_mapping(cls, data: dict | None, **overrides) -> "ProbeConfig":
        data = dict(data or {})
        unknown = sorted(set(data) - set(cls.FIELDS))
        if unknown:
            raise ProbeConfigError(f"probe 配置中有未知项：{', '.join(unknown)}（可用：{', '.join(cls.FIELDS)}）")
        data.update({k: v for k, v in overrides.items() if v is not None})
        every = parse_duration(data.get("every", DEFAULT_EVERY), "every")
        spread = data.get("spread")
        if spread is not None:
            spread = 0.0 if str(spread).strip() in ("0", "0s", "0m") else parse_duration(spread, "spread")
        concurrency = data.get("concurrency", DEFAULT_CONCURRENCY)
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or not 1 <= concurrency <= 2000:
            raise ProbeConfigError(f"probe.concurrency 应为 1–2000 的整数：{concurrency!r}")
        timeout = parse_duration(data.get("timeout", LIMIT_SECONDS), "timeout")
        in_schedule = data.get("in_schedule", False)
        if not isinstance(in_schedule, bool):
            raise ProbeConfigError(f"probe.in_schedule 应为 true 或 false：{in_schedule!r}")
        if spread is not None and spread >= every:
            raise ProbeConfigError("probe.spread 应小于 probe.every（一轮监测须在下一轮开始前结束）")
        return cls(every=every, spread=spread, concurrency=concurrency, timeout=timeout,
                   in_schedule=in_schedule)

    @property
    def spread_seconds(self) -> float:
        return self.every / 2 if self.spread is None else self.spread

    @property
    def per_day(self) -> float:
        return 86400 / self.every

    def job_kwargs(self, seeds, db) -> dict:
        """The stored arguments of the job (absolute paths: the scheduler's cwd may change)."""
        return {"seeds": str(Path(seeds).resolve()), "db": str(Path(db).resolve()),
                "limit": self.timeout, "concurrency": self.concurrency,
                "spread": self.spread_seconds}


def jobstore_path(db: str | os.PathLike) -> Path:
    """``xxgk.db`` → ``xxgk.db.probe.sqlite``."""
    return Path(str(db) + ".probe.sqlite")


def targets(seeds_path: str | os.PathLike) -> list[Target]:
    """Every portal of the seeds file: homepage, then 信息公开 entry when the file names one."""
    return [Target.of(p.id, p.url, p.entry) for p in load_seeds(seeds_path).portals]


def run_round(seeds: str, db: str, limit: float = LIMIT_SECONDS,
              concurrency: int = DEFAULT_CONCURRENCY, spread: float = 0.0,
              clock: Callable[[], datetime] | None = None) -> dict:
    """One probe round over the seeds file's portals, stored in ``probes``; returns a summary."""
    from crawler.store import Store

    started = datetime.now()
    records = probe_round(targets(seeds), limit=limit, concurrency=concurrency, spread=spread,
                          jitter=min(5.0, spread / 20) if spread else 0.0, clock=clock)
    store = Store(db)
    try:
        store.add_probes(r.as_row() for r in records)
    finally:
        store.close()
    failed = [r for r in records if not r.ok]
    summary = {"probes": len(records), "sites": len({r.site_id for r in records}),
               "failed": len(failed), "seconds": round((datetime.now() - started).total_seconds(), 1),
               "failures": [f"{r.site_id} {r.url} {describe(r.error, r.status)}" for r in failed]}
    return summary


def scheduled_round(seeds: str, db: str, limit: float = LIMIT_SECONDS,
                    concurrency: int = DEFAULT_CONCURRENCY, spread: float = 0.0) -> dict | None:
    """The job: one round, one log line; a bad seeds file is logged, not raised (the prober lives on)."""
    try:
        summary = run_round(seeds, db, limit=limit, concurrency=concurrency, spread=spread)
    except SeedsError as exc:
        logger.error("可用性监测跳过：%s", exc)
        return None
    logger.info("可用性监测一轮结束：站点 %s，请求 %s，失败 %s，用时 %s 秒%s", summary["sites"],
                summary["probes"], summary["failed"], summary["seconds"],
                "（" + "；".join(summary["failures"][:5]) + "）" if summary["failed"] else "")
    return summary


def install_probe_job(scheduler, config: ProbeConfig, kwargs: dict):
    """Add the probe job, or keep/update the stored one (one job, whatever the restarts)."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.triggers.interval import IntervalTrigger

    try:
        scheduler.add_executor(ThreadPoolExecutor(1), "probe")
    except ValueError:           # already there (installed once in this scheduler)
        pass
    trigger = IntervalTrigger(seconds=config.every, jitter=min(60, int(config.every * 0.05)) or None,
                              timezone=scheduler.timezone)
    existing = scheduler.get_job(PROBE_JOB_ID)
    if existing is not None and str(existing.trigger) == str(trigger):
        if existing.kwargs != kwargs:
            return scheduler.modify_job(PROBE_JOB_ID, kwargs=kwargs)
        return existing
    return scheduler.add_job("xxgk.probe:scheduled_round", trigger=trigger, id=PROBE_JOB_ID,
                             name="xxgk 可用性监测", kwargs=kwargs, replace_existing=True,
                             executor="probe", coalesce=True, max_instances=1,
                             misfire_grace_time=max(1, int(config.every / 2)),
                             next_run_time=datetime.now(scheduler.timezone))


def _warn_cadence(config: ProbeConfig) -> None:
    if config.per_day < MIN_PER_DAY:
        logger.warning("每 %.0f 秒一轮只有每天 %.1f 次监测，少于国办秘函〔2019〕19号要求的每天20次，"
                       "检查将因监测次数不足而不作站点无法访问判断", config.every, config.per_day)


def serve(seeds, db, config: ProbeConfig, *, jobstore=None, stop: threading.Event | None = None,
          on_ready: Callable[[object], None] | None = None) -> None:
    """Run the prober until SIGTERM/SIGINT (or ``stop`` is set). Raises ``LockHeld``."""
    from xxgk.schedule import make_scheduler, run_until_stopped

    jobstore = jobstore or jobstore_path(db)
    stop = stop or threading.Event()
    with DbLock(db, "probe"):
        _warn_cadence(config)
        scheduler = make_scheduler(jobstore)
        scheduler.start(paused=True)
        try:
            job = install_probe_job(scheduler, config, config.job_kwargs(seeds, db))
            logger.info("可用性监测已启动：每 %.0f 秒一轮（每天约 %.0f 次），下次 %s（任务库 %s）",
                        config.every, config.per_day, job.next_run_time, jobstore)
            run_until_stopped(scheduler, stop, on_ready)
        finally:
            logger.info("可用性监测停止")
            scheduler.shutdown(wait=True)


@contextlib.contextmanager
def in_schedule(seeds, db) -> Iterator[Callable[[object], None]]:
    """For ``xxgk schedule``: yields ``install(scheduler)``.

    When the seeds file's ``probe:`` block says ``in_schedule: true``, holds the probe lock for
    the scheduler's life and ``install`` adds the probe job; otherwise ``install`` removes a
    probe job an earlier configuration left in the store.
    """
    seeds_probe = load_seeds(seeds).probe
    config = ProbeConfig.from_mapping(seeds_probe) if seeds_probe else None
    enabled = bool(config and config.in_schedule)

    def install(scheduler) -> None:
        if enabled:
            _warn_cadence(config)
            job = install_probe_job(scheduler, config, config.job_kwargs(seeds, db))
            logger.info("可用性监测随调度运行：每 %.0f 秒一轮，下次 %s", config.every, job.next_run_time)
        elif scheduler.get_job(PROBE_JOB_ID) is not None:
            scheduler.remove_job(PROBE_JOB_ID)

    if not enabled:
        yield install
        return
    with DbLock(db, "probe"):
        yield install
