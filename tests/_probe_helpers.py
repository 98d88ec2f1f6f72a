"""A simulated portal that is down on a schedule, for the availability-probe tests.

Real portals fail in a few ways a probe must count: the web server answers 503 (overloaded
application server behind nginx), it drops the connection without an answer (a crashed worker),
it answers only after the limit, or nothing listens. ``FlakyPortal`` serves a homepage (``/``) and
a 信息公开 entry (``/xxgk/``) on an ephemeral 127.0.0.1 port; ``down(n)`` says whether the n-th
homepage request (0-based) fails, and ``mode`` how. Each probe round asks for ``/`` once, so "2 of
every 30 probes" is ``down=lambda n: n % 30 in (0, 15)``.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

PAGE = ("<html><head><meta charset='utf-8'><title>松岭区人民政府</title></head><body>"
        "<a href='/xxgk/'>政府信息公开</a></body></html>").encode("utf-8")


class FlakyPortal:
    """``/`` and ``/xxgk/``; the homepage fails when ``down(n)``; ``delay`` seconds before any answer;
    ``trickle`` seconds between body chunks (headers come at once)."""

    def __init__(self, down: Callable[[int], bool] = lambda n: False, mode: str = "503",
                 delay: float = 0.0, trickle: float = 0.0):
        self.down, self.mode, self.delay, self.trickle = down, mode, delay, trickle
        self.hits = 0
        self.paths: list[str] = []
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with portal.lock:
                    portal.paths.append(self.path)
                    n = None
                    if self.path == "/":
                        n, portal.hits = portal.hits, portal.hits + 1
                if portal.delay:
                    time.sleep(portal.delay)
                if n is not None and portal.down(n):
                    if portal.mode == "drop":            # the worker dies: no answer at all
                        self.close_connection = True
                        self.wfile.flush()
                        self.connection.shutdown(2)
                        return
                    body = b"<h1>503 Service Temporarily Unavailable</h1>"
                    self.send_response(503)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(PAGE)))
                self.end_headers()
                try:
                    if portal.trickle:
                        for i in range(0, len(PAGE), 16):
                            self.wfile.write(PAGE[i:i + 16])
                            self.wfile.flush()
                            time.sleep(portal.trickle)
                    else:
                        self.wfile.write(PAGE)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    @property
    def entry(self) -> str:
        return self.url + "xxgk/"

    def __enter__(self) -> "FlakyPortal":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
