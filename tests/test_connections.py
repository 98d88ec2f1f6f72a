"""Issue 15: why POSTed list pages were lost on busy servers, and that the fix holds.

The mechanism (crawler/connections.py): an HTTP/1.0 server closes after each answer without
``Connection: close``; Twisted pools that dead connection; the next request on it fails with
ConnectionDone; Twisted retries GETs by itself on a fresh connection, never POSTs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import REPO
from crawler.connections import ConnectionRetryMiddleware, closes_after_response
from crawler.store import Store

PROBE = Path(__file__).with_name("_pool_probe.py")


def _probe(kind: str) -> dict:
    proc = subprocess.run([sys.executable, str(PROBE), kind, "40"], capture_output=True, text=True,
                          timeout=240)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_plain_twisted_pool_loses_every_post_sent_after_a_get_on_an_http10_server():
    stats = _probe("twisted")
    assert stats["GET"] == [40, 0]             # retried silently by Twisted on a new connection
    assert stats["POST"] == [0, 40]            # never retried: a POST has a body
    assert "ResponseNeverReceived" in stats["error"] and "ConnectionDone" in stats["error"]


def test_our_pool_closes_what_the_http10_server_closes_so_posts_go_out_on_new_connections():
    assert _probe("xxgk") == {"GET": [40, 0], "POST": [40, 0], "error": None}


@pytest.mark.parametrize("version,tokens,closes", [
    ((b"HTTP", 1, 0), [], True),
    ((b"HTTP", 1, 0), [b"Keep-Alive"], False),
    ((b"HTTP", 1, 1), [], False),
    ((b"HTTP", 1, 1), [b"close"], True),
    ((b"HTTP", 1, 1), [b"keep-alive, Close"], True),
])
def test_persistence_follows_rfc_9112(version, tokens, closes):
    assert closes_after_response(version, tokens) is closes


def test_back_off_doubles():
    mw = ConnectionRetryMiddleware(crawler=None, times=4, backoff=0.5)
    assert [mw.delay(n) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 4.0]


# --- the back-off retry, in a real crawl ---------------------------------------------------------

class _DroppingHanweb(BaseHTTPRequestHandler):
    """A Hanweb column whose records 46… come from POST dataproxy.jsp; the server drops each POST
    (reads it, closes the connection, answers nothing: what a dead pooled connection looks like to
    the client) the first ``drops`` times it is sent, as a server shedding load for a while does."""

    protocol_version = "HTTP/1.1"
    drops = 3
    seen: dict = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, kind: str = "text/html; charset=utf-8"):
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            return self._send(b"User-agent: *\nAllow: /\n", "text/plain")
        if path == "/":
            return self._send('<a href="/col/col1/index.html">政府信息公开</a>'.encode())
        if path == "/col/col1/index.html":
            return self._send('<ul><li><a href="/col/col7/index.html">工作动态</a></li></ul>'.encode())
        if path == "/col/col7/index.html":
            inline = "".join(_record(i) for i in range(1, 46))
            return self._send(
                ('<div id="45678"><script type="text/xml"><datastore><totalrecord>60</totalrecord>'
                 '<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1'
                 '&path=/&columnid=7&unitid=45678&webname=test&permissiontype=0"></a>]]></nextgroup>'
                 f'<recordset>{inline}</recordset></datastore></script></div>').encode())
        return self._send(b"<p>x</p>")

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with self.lock:
            count = self.seen[self.path] = self.seen.get(self.path, 0) + 1
        if count <= self.drops:
            self.close_connection = True
            return                         # no status line: the client sees ConnectionDone
        query = parse_qs(urlsplit(self.path).query)
        start, end = int(query["startrecord"][0]), int(query["endrecord"][0])
        rows = "".join(_record(i) for i in range(start, min(end, 60) + 1))
        self._send(f"<datastore><totalrecord>60</totalrecord><recordset>{rows}</recordset></datastore>"
                   .encode(), "text/xml; charset=utf-8")


def _record(i: int) -> str:
    return (f'<record><![CDATA[<li><a href="/art/2026/11/1/art_7_{i}.html" title="信息{i}">信息{i}</a>'
            f'<b>2026-11-01</b></li>]]></record>')


def _crawl_dropping_server(tmp_path, *settings: str) -> dict:
    handler = type("H", (_DroppingHanweb,), {"seen": {}, "lock": threading.Lock()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = str(tmp_path / "x.db")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        args = ["-a", f"url={url}", "-s", f"XXGK_DB={db}", "-s", "DOWNLOAD_DELAY=0",
                "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "XXGK_CONNECTION_RETRY_BACKOFF=0.2"]
        for s in settings:
            args += ["-s", s]
        proc = subprocess.run([sys.executable, "-m", "scrapy", "crawl", "portal", *args], cwd=REPO,
                              capture_output=True, text=True, timeout=240)
        assert proc.returncode == 0, proc.stderr[-2000:]
    finally:
        server.shutdown()
        server.server_close()
    store = Store(db)
    try:
        [column] = store.rows("columns")
        [crawl] = store.rows("crawls")
        return {"column": column, "crawl": crawl, "documents": store.db["documents"].count}
    finally:
        store.close()


def test_a_post_dropped_three_times_is_fetched_after_back_off(tmp_path):
    got = _crawl_dropping_server(tmp_path)
    assert got["documents"] == 60 and got["column"]["item_count"] == 60
    assert got["column"]["status"] == "ok" and got["crawl"]["status"] == "ok"


def test_without_the_back_off_the_post_is_lost_and_the_column_says_so(tmp_path):
    # Scrapy's own retries (2, back to back) are used up by the three drops
    got = _crawl_dropping_server(tmp_path, "XXGK_CONNECTION_RETRY_TIMES=0")
    assert got["documents"] == 45 and got["column"]["item_count"] == 45
    assert got["column"]["status"] == "incomplete" and got["crawl"]["status"] == "partial"
    assert "dataproxy.jsp" in got["column"]["status_reason"] and "只读取到45条" in got["column"]["status_reason"]
