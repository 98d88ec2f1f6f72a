"""`xxgk schedule`: persistent job store, one job across restarts, misfires, one scheduler per DB.

The scheduler runs as a real `xxgk schedule` subprocess; its job runs `xxgk run` (which runs
`xxgk crawl`) against simulated portals on 127.0.0.1, and the tests read the database it wrote.
"""

from __future__ import annotations

import signal
import subprocess
import time
from datetime import date, datetime, timedelta

import pytest

from _run_helpers import query, serving, small_portals, wait_for, write_seeds, xxgk_popen
from xxgk import schedule as sched
from xxgk.lock import DbLock, LockHeld

pytestmark = pytest.mark.network

FAST = ["--delay", "0", "--concurrency", "8"]


def _start(seeds, db, *extra):
    """A real `xxgk schedule` process; its log goes to a file (a pipe nobody reads could fill)."""
    log = open(f"{db}.{len(_LOGS)}.log", "w+", encoding="utf-8")
    _LOGS.append(log)
    out = [] if "--out" in extra else ["--out", str(db.parent / "out")]
    proc = xxgk_popen("schedule", "--seeds", str(seeds), "--db", str(db), *FAST, *out, *extra,
                      stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    return proc


_LOGS: list = []


def _stop(proc, timeout=60) -> str:
    """SIGTERM the scheduler (as systemd does) and return its log."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=timeout)
    proc.log.seek(0)
    text = proc.log.read()
    proc.log.close()
    return text


def _runs(db):
    return query(db, "select * from runs where kind = 'run' order by id")


@pytest.fixture
def served(tmp_path):
    with serving(small_portals(date.today(), 1)) as server:
        yield write_seeds(tmp_path / "seeds.yaml", server)


def test_cron_within_seconds_runs_exactly_once(tmp_path, served):
    db = tmp_path / "x.db"
    fire = datetime.now() + timedelta(seconds=8)   # leaves the scheduler time to start
    cron = f"{fire.second} {fire.minute} {fire.hour} * * *"    # six fields: seconds first
    proc = _start(served, db, "--cron", cron, "--out", str(tmp_path / "out"))
    try:
        wait_for(lambda: [r for r in _runs(db) if r["status"] != "running"], timeout=180,
                 what="the scheduled run to finish")
        wait_for(lambda: "结束：状态" in open(proc.log.name, encoding="utf-8").read(),
                 what="the run's log line")
        time.sleep(3)   # a wrongly repeating job would fire again meanwhile
    finally:
        log = _stop(proc)
    runs = _runs(db)
    assert len(runs) == 1, log
    assert runs[0]["status"] in ("ok", "partial"), (dict(runs[0]), log)
    assert runs[0]["sites"] == 1
    assert query(db, "select count(*) from findings where run_id = ?", [runs[0]["id"]])[0][0] > 0
    assert log.count(f"定时运行 #{runs[0]['id']} 结束") == 1, log
    assert list((tmp_path / "out").glob("*.md")), "the scheduled run wrote no bulletin"
    # the job is still stored for next time, with its next run in the future
    [job] = sched.list_jobs(sched.jobstore_path(db))
    assert job["id"] == sched.JOB_ID
    assert job["next_run_times"][0].replace(tzinfo=None) > fire


def test_restarting_keeps_one_job(tmp_path, served, xxgk):
    db = tmp_path / "x.db"
    for _ in range(2):
        proc = _start(served, db)
        wait_for(lambda: "调度已启动" in open(proc.log.name, encoding="utf-8").read(),
                 what="the scheduler to start")
        log = _stop(proc)
        assert "调度已启动" in log, log
    jobs = sched.list_jobs(sched.jobstore_path(db))
    assert [j["id"] for j in jobs] == [sched.JOB_ID]
    assert jobs[0]["trigger"] == str(sched.parse_cron(sched.DEFAULT_CRON))
    listed = xxgk("schedule", "--list", "--db", str(db), check=True).stdout
    assert listed.count(sched.JOB_ID) == 1 and "下次运行" in listed
    assert not _runs(db), "nothing was due, so nothing may have run"


def test_changed_cron_replaces_the_job(tmp_path, served):
    db = tmp_path / "x.db"
    store = sched.jobstore_path(db)
    for cron in ("0 2 1 * *", "30 3 2 * *"):
        scheduler = sched.make_scheduler(store)
        scheduler.start(paused=True)
        sched.install_job(scheduler, sched.parse_cron(cron, scheduler.timezone),
                          sched.job_kwargs(served, db, None))
        scheduler.shutdown(wait=False)
    [job] = sched.list_jobs(store)
    assert job["trigger"] == str(sched.parse_cron("30 3 2 * *"))
    assert job["next_run_times"][0].day == 2


def test_missed_run_within_grace_runs_once(tmp_path, served):
    db = tmp_path / "x.db"
    store = sched.jobstore_path(db)
    # The machine was off: the stored job's run time passed 10 minutes ago (grace: 12 hours).
    scheduler = sched.make_scheduler(store)
    scheduler.start(paused=True)
    kwargs = sched.job_kwargs(served, db, tmp_path / "out", sched.run_args(0, 8))
    missed = datetime.now(scheduler.timezone) - timedelta(minutes=10)
    sched.install_job(scheduler, sched.parse_cron(sched.DEFAULT_CRON, scheduler.timezone),
                      kwargs, next_run_time=missed)
    scheduler.shutdown(wait=False)
    proc = _start(served, db)
    try:
        wait_for(lambda: [r for r in _runs(db) if r["status"] != "running"], timeout=180,
                 what="the missed run")
        time.sleep(2)
    finally:
        log = _stop(proc)
    assert len(_runs(db)) == 1, log
    [job] = sched.list_jobs(store)
    assert job["next_run_times"][0] > datetime.now(job["next_run_times"][0].tzinfo)


def test_missed_run_beyond_grace_is_skipped(tmp_path, served):
    db = tmp_path / "x.db"
    store = sched.jobstore_path(db)
    scheduler = sched.make_scheduler(store)
    scheduler.start(paused=True)
    missed = datetime.now(scheduler.timezone) - timedelta(hours=30)
    sched.install_job(scheduler, sched.parse_cron(sched.DEFAULT_CRON, scheduler.timezone),
                      sched.job_kwargs(served, db, tmp_path / "out", sched.run_args(0, 8)),
                      next_run_time=missed)
    scheduler.shutdown(wait=False)
    proc = _start(served, db)
    try:
        wait_for(lambda: sched.list_jobs(store)[0]["next_run_times"][0]
                 > datetime.now(scheduler.timezone), what="the stale run time to be skipped")
    finally:
        _stop(proc)
    assert not _runs(db)


def test_second_scheduler_on_same_db_refuses(tmp_path, served):
    db = tmp_path / "x.db"
    first = _start(served, db)
    try:
        wait_for(lambda: "调度已启动" in open(first.log.name, encoding="utf-8").read(),
                 what="the first scheduler to start")
        assert _held(db)
        second = _start(served, db)
        second.wait(timeout=60)    # it must give up by itself, not wait to be stopped
        err = _stop(second)
        assert second.returncode == 4, err
        assert "定时调度器" in err and "正被" in err
    finally:
        log = _stop(first)
    assert "调度已启动" in log


def _held(db) -> bool:
    try:
        DbLock(db, "schedule").acquire().release()
    except LockHeld:
        return True
    return False


def test_parse_cron_accepts_five_and_six_fields_and_rejects_garbage():
    assert "day='1'" in str(sched.parse_cron("0 2 1 * *"))
    assert "second='5'" in str(sched.parse_cron("5 0 2 1 * *"))
    for bad in ("", "every month", "0 25 1 * *"):
        with pytest.raises(sched.ScheduleError):
            sched.parse_cron(bad)


def test_describe_run_line():
    line = sched.describe_run(0, 'progress\n{"run_id": 7, "status": "partial", "sites": 3, '
                                 '"reached": 2, "findings": 9, "seconds": 4.2, '
                                 '"bulletins": ["b.md"], "message": "无法访问的站点：x"}\n')
    assert line.startswith("定时运行 #7 结束：状态 partial") and "b.md" in line and "x" in line
    assert "跳过" in sched.describe_run(4, "")
    assert "失败" in sched.describe_run(1, "Traceback")
