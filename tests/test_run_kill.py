"""A run killed mid-crawl: the database stays consistent, the next start marks the killed run,
and the earlier run's rows and findings are untouched."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import date

import pytest

from _run_helpers import query, serving, slow_proxy, small_portals, wait_for, xxgk_popen
from xxgk.lock import DbLock, LockHeld

pytestmark = pytest.mark.network

FAST = ["--delay", "0", "--concurrency", "8"]
TODAY = date.today().isoformat()


def _seeds(path, portal_id, name, url):
    path.write_text(f"portals:\n  - {{id: {portal_id}, name: {name}, url: '{url}'}}\n",
                    encoding="utf-8")
    return path


def _snapshot(db, run_id):
    """Everything the earlier run owns, to compare before and after the killed run."""
    return {
        "run": dict(query(db, "select * from runs where id = ?", [run_id])[0]),
        "crawls": [dict(r) for r in query(db, "select * from crawls where run_id = ?", [run_id])],
        "columns": [dict(r) for r in query(
            db, "select * from columns where run_id = ? order by url", [run_id])],
        "findings": [dict(r) for r in query(
            db, "select * from findings where run_id = ? order by id", [run_id])],
        "verdicts": [dict(r) for r in query(db, "select * from verdicts where run_id = ?", [run_id])],
        "documents": query(db, "select count(*) from documents where first_run_id = ?", [run_id])[0][0],
    }


def _lock_free(db) -> bool:
    try:
        DbLock(db).acquire().release()
    except LockHeld:
        return False
    return True


def test_killed_run_is_marked_and_earlier_run_intact(tmp_path, xxgk):
    db = tmp_path / "x.db"
    [portal] = small_portals(date.today(), 1)
    with serving([portal]) as server:
        base = server.base_url(portal.site_id)
        fast_seeds = _seeds(tmp_path / "fast.yaml", portal.site_id, portal.name, base)
        first = xxgk("run", "--seeds", str(fast_seeds), "--db", str(db), "--as-of", TODAY,
                     "--out", str(tmp_path / "out"), *FAST)
        assert first.returncode == 0, first.stderr
        [run1] = query(db, "select id from runs")
        before = _snapshot(db, run1["id"])
        assert before["findings"] and before["columns"] and before["documents"]

        # the same portal behind a proxy that answers slowly: the crawl is surely still running
        with slow_proxy(base, delay=0.4) as slow:
            slow_seeds = _seeds(tmp_path / "slow.yaml", portal.site_id, portal.name, slow)
            proc = xxgk_popen("run", "--seeds", str(slow_seeds), "--db", str(db), "--as-of", TODAY,
                              "--out", str(tmp_path / "out"), "--concurrency", "2",
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            try:
                killed_id = wait_for(lambda: [r["id"] for r in query(
                    db, "select id from runs where id > ? and status = 'running'", [run1["id"]])],
                    what="the second run's row")[0]
                wait_for(lambda: query(db, "select count(*) from columns where run_id = ?",
                                       [killed_id])[0][0] > 0, what="rows of the second run")
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=30)
            finally:
                if proc.poll() is None:
                    proc.kill()
            # the crawl child dies with its parent and the lock goes with them
            wait_for(lambda: _lock_free(db), timeout=30, what="the killed run's lock")
        [row] = query(db, "select * from runs where id = ?", [killed_id])
        assert row["status"] == "running" and row["finished_at"] is None

        again = xxgk("run", "--seeds", str(fast_seeds), "--db", str(db), "--as-of", TODAY,
                     "--out", str(tmp_path / "out"), *FAST, "--json")
    assert again.returncode == 0, again.stderr
    assert f"#{killed_id}" in again.stderr      # "已将中断的运行 #N 标记为未完成"
    [killed] = query(db, "select * from runs where id = ?", [killed_id])
    assert killed["status"] in ("partial", "failed") and killed["finished_at"]
    assert "中断" in killed["message"]
    after = _snapshot(db, run1["id"])
    assert after == before
    statuses = [r["status"] for r in query(db, "select status from runs order by id")]
    assert "running" not in statuses and len(statuses) == 3
    assert query(db, "pragma integrity_check")[0][0] == "ok"


def test_sigterm_closes_the_run_as_failed(tmp_path):
    """systemd stop / the scheduler stopping sends SIGTERM: the run row is closed at once."""
    db = tmp_path / "x.db"
    [portal] = small_portals(date.today(), 1)
    with serving([portal]) as server, slow_proxy(server.base_url(portal.site_id), 0.4) as slow:
        seeds = _seeds(tmp_path / "slow.yaml", portal.site_id, portal.name, slow)
        proc = xxgk_popen("run", "--seeds", str(seeds), "--db", str(db), "--out",
                          str(tmp_path / "out"), "--concurrency", "2",
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            wait_for(lambda: query(db, "select count(*) from columns")
                     and query(db, "select count(*) from columns")[0][0] > 0,
                     what="the crawl to store rows")
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode != 0 and "Traceback" not in err, err
        wait_for(lambda: _lock_free(db), timeout=30, what="the lock")
    [run] = query(db, "select * from runs")
    assert run["status"] == "failed" and run["finished_at"] and "终止" in run["message"]
