"""`xxgk schedule`: the long-running monthly scheduler (APScheduler 3.x).

Choices, and why:

- The job lives in a persistent SQLAlchemy job store, in its own SQLite file beside the
  database (``<db>.schedule.sqlite``), so the next run time survives restarts and reboots.
- One job with a fixed id (``JOB_ID``). At start the scheduler keeps the stored job when its
  trigger is unchanged (updating its arguments if they changed) — re-adding it would
  recompute the next run time and lose a run missed while the machine was off — and replaces
  it (``replace_existing``) when the trigger changed. Restarting never duplicates it.
- ``coalesce`` + ``misfire_grace_time`` of hours: a run missed while the machine was off
  happens once when it comes back (within the grace), never several times.
- ``max_instances=1`` and a one-thread executor: runs never overlap inside one scheduler;
  the database lock (``xxgk.lock``) keeps a second scheduler or a manual ``xxgk run`` out.
- Each run is a ``xxgk run`` SUBPROCESS: Twisted's reactor cannot be restarted in one process,
  and a crash or leak in one month's run cannot take the scheduler down.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Sequence

from xxgk.lock import DbLock

JOB_ID = "xxgk-monthly-run"
DEFAULT_CRON = "0 2 1 * *"          # 02:00 on the 1st of every month
DEFAULT_GRACE_HOURS = 12

logger = logging.getLogger("xxgk.schedule")

_current: dict[str, subprocess.Popen] = {}   # the running `xxgk run` child, to stop it on exit


class ScheduleError(ValueError):
    """Bad schedule input (cron expression, paths); the message is for the user."""


def jobstore_path(db: str | os.PathLike) -> Path:
    """``xxgk.db`` → ``xxgk.db.schedule.sqlite``: the job store's own SQLite file."""
    return Path(str(db) + ".schedule.sqlite")


def parse_cron(expr: str, timezone=None):
    """A crontab expression → ``CronTrigger``.

    Five fields are standard crontab (minute hour day month day-of-week); six fields put
    seconds first (``"30 0 2 1 * *"``), which tests and quick trials use. Note APScheduler
    counts day-of-week from Monday (0 = mon): prefer names (``mon-fri``).
    """
    from apscheduler.triggers.cron import CronTrigger

    fields = (expr or "").split()
    try:
        if len(fields) == 5:
            return CronTrigger.from_crontab(" ".join(fields), timezone=timezone)
        if len(fields) == 6:
            second, minute, hour, day, month, dow = fields
            return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month,
                               day_of_week=dow, timezone=timezone)
    except ValueError as exc:
        raise ScheduleError(f"cron 表达式无效：{expr!r}（{exc}）") from None
    raise ScheduleError(f"cron 表达式应为 5 个字段（分 时 日 月 周），如 \"0 2 1 * *\"：{expr!r}")


def _scheduler_class():
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.base import STATE_STOPPED

    class Scheduler(BackgroundScheduler):
        """APScheduler 3's scheduler thread runs one last round of due jobs when a *paused*
        scheduler is shut down: the submission fails (executors are gone) but the job's next
        run time is advanced and stored, so a missed run would be lost by merely listing or
        installing the job. A stopped scheduler processes nothing here."""

        def _process_jobs(self):
            if self.state == STATE_STOPPED:
                return None
            return super()._process_jobs()

    return Scheduler


def make_scheduler(jobstore: str | os.PathLike, grace_hours: float = DEFAULT_GRACE_HOURS):
    """A BackgroundScheduler with the persistent store and the job defaults above."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    path = Path(jobstore).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    return _scheduler_class()(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{path}")},
        executors={"default": ThreadPoolExecutor(1)},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": int(grace_hours * 3600)})


def job_kwargs(seeds: str | os.PathLike, db: str | os.PathLike, out: str | os.PathLike | None,
               extra_args: Sequence[str] = ()) -> dict:
    """The stored arguments of the job: absolute paths, since the scheduler's cwd may change."""
    return {"seeds": str(Path(seeds).resolve()), "db": str(Path(db).resolve()),
            "out": str(Path(out).resolve()) if out else None, "extra_args": list(extra_args)}


def run_args(delay: float | None = None, concurrency: int | None = None) -> list[str]:
    """Extra ``xxgk run`` options stored with the job, spelled one way (``0`` not ``0.0``)
    so that restarting with the same options finds the stored job unchanged."""
    return [*(["--delay", f"{delay:g}"] if delay is not None else []),
            *(["--concurrency", str(concurrency)] if concurrency is not None else [])]


def install_job(scheduler, trigger, kwargs: dict, next_run_time: datetime | None = None):
    """Add the monthly job, keep or update the stored one (see module docstring).

    Same trigger: the stored next run time is kept (a missed run still happens), only
    changed arguments are updated. New trigger: the job is replaced (``replace_existing``)
    and its next run time follows the new trigger. ``next_run_time`` forces the first run
    time (tests use it to simulate a run missed while the machine was off).
    """
    existing = scheduler.get_job(JOB_ID)
    if existing is not None and next_run_time is None and str(existing.trigger) == str(trigger):
        if existing.kwargs != kwargs:
            return scheduler.modify_job(JOB_ID, kwargs=kwargs)
        return existing
    extra = {"next_run_time": next_run_time} if next_run_time is not None else {}
    return scheduler.add_job("xxgk.schedule:scheduled_run", trigger=trigger, id=JOB_ID,
                             name="xxgk 月度运行", kwargs=kwargs, replace_existing=True, **extra)


def scheduled_run(seeds: str, db: str, out: str | None = None,
                  extra_args: Sequence[str] = ()) -> int:
    """The job: one ``xxgk run`` subprocess, then one log line saying how it went."""
    cmd = [sys.executable, "-m", "xxgk", "run", "--seeds", seeds, "--db", db, "--json",
           *(["--out", out] if out else []), *extra_args]
    logger.info("定时运行开始：%s", db)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    _current["run"] = proc
    try:
        stdout, _ = proc.communicate()
    finally:
        _current.pop("run", None)
    logger.info("%s", describe_run(proc.returncode, stdout))
    return proc.returncode


def describe_run(code: int, stdout: str) -> str:
    """The log line of one scheduled run, from ``xxgk run --json`` output."""
    from xxgk.jobs import EXIT_LOCKED

    summary = None
    for line in reversed((stdout or "").strip().splitlines()):
        try:
            summary = json.loads(line)
            break
        except ValueError:
            continue
    if code == EXIT_LOCKED:
        return "定时运行跳过：数据库正被另一个运行占用"
    if not isinstance(summary, dict):
        return f"定时运行失败：xxgk run 退出码 {code}"
    text = (f"定时运行 #{summary.get('run_id')} 结束：状态 {summary.get('status')}，"
            f"站点 {summary.get('sites')}（可访问 {summary.get('reached')}），"
            f"问题 {summary.get('findings')}，用时 {summary.get('seconds')} 秒")
    if summary.get("bulletins"):
        text += f"，通报 {', '.join(summary['bulletins'])}"
    if summary.get("message"):
        text += f"；{summary['message']}"
    return text + f"（退出码 {code}）"


def list_jobs(jobstore: str | os.PathLike, count: int = 3) -> list[dict]:
    """The stored jobs with their next ``count`` run times (``xxgk schedule --list``)."""
    if not Path(jobstore).exists():
        return []
    scheduler = make_scheduler(jobstore)
    scheduler.start(paused=True)
    try:
        jobs = []
        for job in scheduler.get_jobs():
            times, t = [], job.next_run_time
            while t is not None and len(times) < count:
                times.append(t)
                t = job.trigger.get_next_fire_time(t, t + timedelta(microseconds=1))
            jobs.append({"id": job.id, "name": job.name, "trigger": str(job.trigger),
                         "next_run_times": times, "kwargs": job.kwargs})
        return jobs
    finally:
        scheduler.shutdown(wait=False)


def run_until_stopped(scheduler, stop: threading.Event,
                      on_ready: Callable[[object], None] | None = None) -> None:
    """Resume a paused scheduler and block until ``stop`` is set (SIGTERM/SIGINT set it)."""
    if on_ready:
        on_ready(scheduler)
    scheduler.resume()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(1):
        pass


def serve(seeds: str | os.PathLike, db: str | os.PathLike, *, cron: str = DEFAULT_CRON,
          out: str | os.PathLike | None = None, jobstore: str | os.PathLike | None = None,
          grace_hours: float = DEFAULT_GRACE_HOURS, extra_args: Sequence[str] = (),
          stop: threading.Event | None = None,
          on_ready: Callable[[object], None] | None = None) -> None:
    """Run the scheduler until SIGTERM/SIGINT (or ``stop`` is set). Raises ``LockHeld``."""
    jobstore = jobstore or jobstore_path(db)
    stop = stop or threading.Event()
    from xxgk.probe import in_schedule

    with DbLock(db, "schedule"), in_schedule(seeds, db) as install_probes:
        scheduler = make_scheduler(jobstore, grace_hours)
        scheduler.start(paused=True)
        try:
            trigger = parse_cron(cron, timezone=scheduler.timezone)
            job = install_job(scheduler, trigger, job_kwargs(seeds, db, out, extra_args))
            install_probes(scheduler)       # the availability probes, when the seeds file asks
            logger.info("调度已启动：任务 %s，%s，下次运行 %s（任务库 %s）", job.id, cron,
                        job.next_run_time, jobstore)
            run_until_stopped(scheduler, stop, on_ready)
        finally:
            logger.info("调度停止")
            child = _current.get("run")
            if child is not None and child.poll() is None:
                child.terminate()   # the run closes its row as failed; its crawl dies with it
            scheduler.shutdown(wait=True)
