"""Run as a script: POST right after GET on one pooled Twisted agent against an HTTP/1.0 server.

``python tests/_pool_probe.py twisted|xxgk N`` prints JSON ``{"GET": [ok, failed], "POST": [ok,
failed], "error": "…"}``. ``twisted`` uses Twisted's own client factory (what Scrapy pools by
default), ``xxgk`` the factory of ``crawler.connections``. A subprocess, because the Twisted
reactor runs once per process.
"""

from __future__ import annotations

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class Http10Handler(BaseHTTPRequestHandler):
    """What `python -m http.server` does: HTTP/1.0, close after the answer, no Connection header."""

    protocol_version = "HTTP/1.0"

    def do_GET(self):  # noqa: N802
        self._answer()

    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def _answer(self):
        body = b"<datastore><totalrecord>1</totalrecord></datastore>"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main(kind: str, rounds: int) -> None:
    from twisted.internet import defer, reactor
    from twisted.web.client import Agent, FileBodyProducer, HTTPConnectionPool, readBody
    from twisted.web.http_headers import Headers

    server = ThreadingHTTPServer(("127.0.0.1", 0), Http10Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/dataproxy.jsp".encode()
    pool = HTTPConnectionPool(reactor, persistent=True)
    pool.maxPersistentPerHost = 8
    if kind == "xxgk":
        from crawler.connections import _HonestPersistenceFactory
        pool._factory = _HonestPersistenceFactory
    agent = Agent(reactor, pool=pool)
    stats = {"GET": [0, 0], "POST": [0, 0], "error": None}

    @defer.inlineCallbacks
    def one(method: str):
        body = FileBodyProducer(BytesIO(b"columnid=1")) if method == "POST" else None
        headers = Headers({b"Content-Type": [b"application/x-www-form-urlencoded"]})
        try:
            response = yield agent.request(method.encode(), url, headers, body)
            yield readBody(response)
            stats[method][0] += 1
        except Exception as exc:  # noqa: BLE001 - what failed is the measurement
            stats[method][1] += 1
            stats["error"] = stats["error"] or repr(exc)[:300]

    @defer.inlineCallbacks
    def run():
        for _ in range(rounds):
            yield one("GET")
            yield one("POST")
        print(json.dumps(stats))
        reactor.stop()

    reactor.callWhenRunning(run)
    reactor.run()


if __name__ == "__main__":
    import warnings

    warnings.simplefilter("ignore")
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 50)
