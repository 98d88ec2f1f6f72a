"""`xxgk run`: crawl (subprocess) → audit → bulletin, the run row, the exit status, the lock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from _run_helpers import dead_url, query, serving, small_portals, write_seeds
from xxgk.jobs import EXIT_FAILED, EXIT_LOCKED, run_job
from xxgk.lock import INHERITED_ENV, DbLock

FAST = ["--delay", "0", "--concurrency", "8"]
TODAY = date.today()


def _json(proc) -> dict:
    assert proc.stdout.strip(), proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.network
def test_run_crawls_audits_and_writes_bulletin(tmp_path, xxgk):
    db, out = tmp_path / "x.db", tmp_path / "out"
    portals = small_portals(TODAY, 2)
    with serving(portals) as server:
        seeds = write_seeds(tmp_path / "seeds.yaml", server,
                            extra=[{"id": "down", "name": "停机局", "url": dead_url()}])
        proc = xxgk("run", "--seeds", str(seeds), "--db", str(db), "--out", str(out),
                    "--as-of", TODAY.isoformat(), *FAST, "--json")
    # one portal down is a finding, not a failure
    assert proc.returncode == 0, proc.stderr
    summary = _json(proc)
    assert summary["status"] == "partial" and summary["unreachable"] == ["down"]
    assert summary["sites"] == 3 and summary["reached"] == 2
    [run] = query(db, "select * from runs")
    assert run["id"] == summary["run_id"] and run["kind"] == "run"
    assert run["status"] == "partial" and run["finished_at"] and run["as_of"] == TODAY.isoformat()
    assert run["sites"] == 3 and run["documents"] > 0 and "down" in run["message"]
    checks = {(r["site_id"], r["check"]) for r in query(
        db, "select site_id, \"check\" from findings where run_id = ?", [run["id"]])}
    assert ("down", "site_down_at_crawl") in checks      # one failed crawl: no probes, no veto
    assert {s for s, _ in checks} >= {p.site_id for p in portals} | {"down"}
    names = {p.suffix for p in out.iterdir()}
    assert {".md", ".html", ".docx"} <= names
    md = next(out.glob("*.md")).read_text(encoding="utf-8")
    assert "停机局" in md and all(p.name in md for p in portals)


@pytest.mark.network
def test_nothing_reachable_fails_the_run(tmp_path, xxgk):
    db = tmp_path / "x.db"
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(f"portals:\n  - {{id: gone, url: '{dead_url()}'}}\n", encoding="utf-8")
    proc = xxgk("run", "--seeds", str(seeds), "--db", str(db), "--out", str(tmp_path / "o"),
                *FAST, "--json")
    assert proc.returncode == 3, proc.stderr
    [run] = query(db, "select * from runs")
    assert run["status"] == "failed" and "无法访问" in run["message"]


def test_crashed_crawl_marks_the_run_failed(tmp_path):
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text("portals:\n  - {id: a, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    db = tmp_path / "x.db"
    crash = [sys.executable, "-c", "import sys; sys.exit(70)"]
    result = run_job(seeds, db, out_dir=tmp_path / "o", crawl_cmd=lambda run_id: crash)
    assert result.status == "failed" and result.exit_code == EXIT_FAILED
    assert result.crawl_exit == 70 and "70" in result.message
    [run] = query(db, "select * from runs")
    assert run["status"] == "failed" and run["finished_at"] and "采集进程异常结束" in run["message"]
    assert not (tmp_path / "o").exists(), "no bulletin may be written from a crashed crawl"


def test_run_refuses_while_the_database_is_locked(tmp_path, xxgk):
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text("portals:\n  - {id: a, url: 'http://127.0.0.1:9/'}\n", encoding="utf-8")
    db = tmp_path / "x.db"
    with DbLock(db):
        proc = xxgk("run", "--seeds", str(seeds), "--db", str(db))
    assert proc.returncode == EXIT_LOCKED
    assert "正被另一个" in proc.stderr and "Traceback" not in proc.stderr
    assert not query(db, "select * from runs"), "a refused run may not open a run row"


def test_lock_is_inherited_by_the_crawl_child_only(tmp_path):
    db = tmp_path / "x.db"
    code = "import sys; from xxgk.lock import DbLock; DbLock(sys.argv[1]).acquire(); print('ok')"
    plain_env = {k: v for k, v in os.environ.items() if k != INHERITED_ENV}
    with DbLock(db) as lock:
        child = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True,
                               text=True, env=lock.child_env(plain_env), pass_fds=lock.pass_fds())
        stranger = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True,
                                  text=True, env=plain_env)
    assert child.stdout.strip() == "ok", child.stderr
    assert "LockHeld" in stranger.stderr
    after = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True,
                           env=plain_env)
    assert after.stdout.strip() == "ok", "the lock must be free once released"


def test_bad_seeds_is_one_line_error(tmp_path, xxgk):
    bad = tmp_path / "bad.yaml"
    bad.write_text("portals: [{id: 'Bad Id', url: 'ftp://x'}]\n", encoding="utf-8")
    for args in (["--seeds", str(bad)], ["--seeds", str(tmp_path / "missing.yaml")]):
        proc = xxgk("run", *args, "--db", str(tmp_path / "x.db"))
        assert proc.returncode == 1 and "Traceback" not in proc.stderr
        assert proc.stderr.strip().startswith("错误：")
    proc = xxgk("run", "--seeds", str(bad), "--as-of", "2026-13-01", "--db", str(tmp_path / "x.db"))
    assert proc.returncode != 0 and "YYYY-MM-DD" in proc.stderr
