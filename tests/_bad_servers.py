"""Tiny misbehaving HTTP servers on 127.0.0.1 for robustness tests.

Each route maps a path to ``(status, headers, body, delay_seconds)``; unknown paths are 404.
``status`` may be a callable ``(path, hits) -> int`` (``hits``: how many times that path was
asked, this request included) for servers that fail first and recover later.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"     # every answer carries Content-Length, as real servers do
    routes: dict = {}
    stats: dict = {}          # in_flight / max_in_flight, shared by the server's threads
    lock = threading.Lock()

    def log_message(self, *args):  # keep test output clean
        pass

    def _answer(self, with_body: bool):
        path = self.path.split("#")[0]
        status, headers, body, delay = self.routes.get(path, (404, {}, b"not found", 0))
        with self.lock:
            hits = self.stats.setdefault("hits", {})
            hits[path] = hits.get(path, 0) + 1
            count = hits[path]
        if callable(status):
            status = status(path, count)
        if callable(body):
            body = body(path)
        with self.lock:
            self.stats["in_flight"] = self.stats.get("in_flight", 0) + 1
            self.stats["max_in_flight"] = max(self.stats.get("max_in_flight", 0), self.stats["in_flight"])
        try:
            if delay:
                time.sleep(delay)
        finally:
            with self.lock:
                self.stats["in_flight"] -= 1
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    def do_GET(self):
        self._answer(True)

    def do_HEAD(self):
        self._answer(False)

    def do_POST(self):
        """POST routes are keyed by path without query; a callable body gets (path, form)."""
        length = int(self.headers.get("Content-Length") or 0)
        form = self.rfile.read(length).decode("utf-8", "replace")
        route = self.routes.get("POST " + self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body = route
        try:
            data = body(self.path, form)
        except Exception as exc:          # a test's route raising: answer 500, say why
            data, status = repr(exc).encode(), 500
        self.send_response(status)
        self.send_header("Connection", "close")
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class BadServer:
    """Serve ``routes`` on an ephemeral 127.0.0.1 port in a daemon thread."""

    def __init__(self, routes: dict):
        self.stats: dict = {}
        handler = type("Handler", (_Handler,), {"routes": routes, "stats": self.stats,
                                                "lock": threading.Lock()})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


HTML = {"Content-Type": "text/html; charset=utf-8"}
ROBOTS = {"/robots.txt": (200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n", 0)}
