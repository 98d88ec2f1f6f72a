"""Distributed crawl on Redis over the simulator: two workers store exactly what one process
stores, and a worker killed with ``kill -9`` mid-crawl loses no document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store
from _redis_helpers import redis_server
from conftest import REPO

pytestmark = pytest.mark.network
AS_OF = date(2026, 11, 21)
FAMILIES = ("trs", "hanweb", "legacy", "jsonapi")


def _portals(n: int, count: int = 5):
    return [build_portal(f"r{i}", f"测试{i}区人民政府", FAMILIES[i % 4], AS_OF, seed=20 + i,
                         columns=[("gzdt", "工作动态", "news", count), ("tzgg", "通知公告", "notice", count)],
                         defects=["broken_link"] if i == 1 else ())
            for i in range(n)]


def _xxgk(*args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xxgk", *args], cwd=str(REPO), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def _finish(proc, timeout=240):
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def _snapshot(db: str) -> dict:
    """What a crawl stored, without run ids and clock times."""
    store = Store(db)
    try:
        def rows(sql):
            return sorted(tuple(r) for r in store.db.execute(sql).fetchall())
        return {
            "documents": rows("select site_id, url, title, column_url, list_date, index_no, publisher, "
                              "published, written, doc_no, topic, http_status, error, attachments from documents"),
            "columns": rows("select site_id, url, name, parent_url, item_count, latest_date, declared_total, "
                            "pages, empty_note, http_status, status from columns"),
            "column_items": rows("select site_id, column_url, url, title, list_date, position from column_items"),
            "links": rows("select site_id, url, source_url, kind, status, error from links"),
            "crawls": rows("select site_id, status, error, pages, columns, documents, errors from crawls"),
            "runs": [r[0] for r in store.db.execute("select status from runs").fetchall()],
        }
    finally:
        store.close()


def test_two_redis_workers_store_exactly_what_one_process_stores(tmp_path, xxgk):
    portals = _portals(4)
    with SimulatorServer(portals) as server, redis_server(tmp_path) as url:
        seeds = tmp_path / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        single = str(tmp_path / "single.db")
        proc = xxgk("crawl", "--seeds", str(seeds), "--db", single, "--delay", "0", "--no-progress")
        assert proc.returncode == 0, proc.stderr

        distributed = str(tmp_path / "redis.db")
        writer = _xxgk("crawl", "--seeds", str(seeds), "--db", distributed, "--redis", url)
        workers = [_xxgk("worker", "--redis", url, "--burst", "--delay", "0", "--lease", "5") for _ in range(2)]
        code, out, err = _finish(writer)
        assert code == 0, err
        for w in workers:
            wcode, _, werr = _finish(w, timeout=120)
            assert wcode == 0, werr
            assert "Traceback" not in werr
    one, two = _snapshot(single), _snapshot(distributed)
    assert one["runs"] == two["runs"] == ["ok"]
    assert len(one["documents"]) > 20
    for table in ("documents", "columns", "column_items", "links", "crawls"):
        assert two[table] == one[table], table


def test_kill_9_of_a_worker_mid_crawl_loses_no_document(tmp_path):
    portals = _portals(4, count=12)
    with SimulatorServer(portals) as server, redis_server(tmp_path) as url:
        truth = {p.site_id: {d["url"] for d in server.truth(p.site_id)["documents"]} for p in portals}
        seeds = tmp_path / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db = str(tmp_path / "redis.db")
        writer = _xxgk("crawl", "--seeds", str(seeds), "--db", db, "--redis", url)
        # polite enough that a portal takes seconds: the victim is killed in the middle of one
        victim = _xxgk("worker", "--redis", url, "--burst", "--delay", "0.3", "--concurrency", "2", "--lease", "3")
        import redis

        client = redis.Redis.from_url(url, decode_responses=True)
        deadline = time.monotonic() + 120
        claimed = []
        while time.monotonic() < deadline and not claimed:
            claimed = [k for k in client.keys("xxgk:lease:*") if f":{victim.pid}:" in (client.get(k) or "")]
            time.sleep(0.1)
        assert claimed, "the worker claimed no task"
        time.sleep(2)          # mid-crawl: some pages stored, most not
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        survivor = _xxgk("worker", "--redis", url, "--burst", "--delay", "0", "--lease", "3")
        code, out, err = _finish(writer)
        assert code == 0, err
        wcode, _, werr = _finish(survivor, timeout=120)
        assert wcode == 0, werr
    store = Store(db)
    try:
        stored = {}
        for site_id, url_ in store.db.execute("select site_id, url from documents where http_status = 200"):
            stored.setdefault(site_id, set()).add(url_)
        runs = store.rows("runs")
        crawls = store.rows("crawls")
    finally:
        store.close()
    for site_id, urls in truth.items():
        assert urls <= stored.get(site_id, set()), site_id
    assert [r["status"] for r in runs] == ["ok"]
    assert {c["status"] for c in crawls} == {"ok"}
