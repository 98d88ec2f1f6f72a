"""Helpers for the run/schedule/demo tests: simulated portals on 127.0.0.1, seeds, a slow proxy.

The monthly job runs ``xxgk`` in subprocesses, so these tests talk to real HTTP servers in the
test process (the simulator) and inspect the SQLite database the subprocesses wrote.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


UNITS = ("小河镇人民政府", "大桥镇人民政府", "东山乡人民政府", "西湖街道办事处")
FAMILIES = ("trs", "hanweb", "legacy", "jsonapi")


def small_portals(as_of: date, count: int = 2):
    """``count`` small simulated portals (two columns, two 年报, one stale column each):
    real CMS families and a real defect, few enough pages to crawl in a second or two."""
    from crawler.simulator.generate import build_portal, last_due_year

    due = last_due_year(as_of)
    return [build_portal(f"tiny{i}", UNITS[i], FAMILIES[i % len(FAMILIES)], as_of,
                         columns=[("gzdt", "工作动态", "news", 4), ("tzgg", "通知公告", "notice", 3)],
                         defects=["column_stale"], report_years=range(due - 1, due + 1))
            for i in range(count)]


@contextlib.contextmanager
def serving(portals):
    """The simulator serving ``portals`` on free ports for the duration of the block."""
    from crawler.simulator import SimulatorServer
    from xxgk.demo import free_ports

    server = SimulatorServer(portals, ports=free_ports(len(portals)))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def write_seeds(path: Path, server, extra: list[dict] | None = None) -> Path:
    """The server's seeds file, plus ``extra`` portal entries (e.g. one that is down)."""
    data = yaml.safe_load(server.seeds_yaml())
    data["portals"].extend(extra or [])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def dead_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused at once)."""
    from xxgk.demo import free_ports

    return f"http://127.0.0.1:{free_ports(1)[0]}/"


def xxgk_popen(*args: str, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **kwargs.pop("env", {})}
    return subprocess.Popen([sys.executable, "-m", "xxgk", *args], cwd=str(REPO), env=env,
                            text=True, **kwargs)


def query(db: Path, sql: str, params=()) -> list[sqlite3.Row]:
    """Read the database the way Datasette would: a separate connection, WAL-aware."""
    if not Path(db).exists():
        return []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError:   # the table does not exist yet
        return []
    finally:
        conn.close()


def wait_for(predicate, timeout: float = 120, interval: float = 0.2, what: str = "condition"):
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out waiting for {what}")


class _SlowProxy(http.server.BaseHTTPRequestHandler):
    target = ""
    delay = 0.0

    def do_GET(self):  # noqa: N802 (http.server's naming)
        time.sleep(self.delay)
        try:
            with urllib.request.urlopen(self.target + self.path, timeout=30) as resp:
                body, status, headers = resp.read(), resp.status, resp.headers
        except urllib.error.HTTPError as exc:
            body, status, headers = exc.read(), exc.code, exc.headers
        self.send_response(status)
        for key in ("Content-Type",):
            if headers.get(key):
                self.send_header(key, headers[key])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def slow_proxy(target_base: str, delay: float):
    """An HTTP proxy on 127.0.0.1 that answers like ``target_base`` but ``delay`` s late.

    The kill test needs a crawl that is surely still running when it is killed; slowing every
    response keeps the simulated portal's content while stretching the crawl.
    """
    handler = type("Proxy", (_SlowProxy,), {"target": target_base.rstrip("/"), "delay": delay})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
