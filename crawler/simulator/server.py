"""Serve simulated portals over real HTTP on 127.0.0.1, one port per portal.

Each portal gets a ``ThreadingHTTPServer`` (daemon threads) in a background thread. Port 0 asks
the OS for a free port; the demo uses fixed ports. A portal with the ``site_down_at_crawl``
defect either answers 503 to everything or, variant ``closed``, gets a port on which nothing
listens (reserved, then released).
"""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import yaml

from .model import Page, Portal
from .render_common import calendar, html_page, not_found
from .truth import truth_dict

UNAVAILABLE = Page(503, html_page("503 Service Unavailable", "<h1>503</h1><p>服务暂时不可用。</p>").encode("utf-8"))


def respond(portal: Portal, method: str, target: str, form: dict | None = None) -> Page:
    """The page a portal answers for ``method target`` (pure: no sockets, used by the handler)."""
    if portal.unreachable:
        return UNAVAILABLE
    parts = urlsplit(target)
    path, query = parts.path or "/", parse_qs(parts.query, keep_blank_values=True)
    if portal.dynamic:
        page = portal.dynamic(method, path, query, form or {})
        if page is not None:
            return page
    if portal.trap_path and path == "/calendar":
        return calendar(query)
    full = f"{path}?{parts.query}" if parts.query else path
    return portal.pages.get(full) or portal.pages.get(path) or not_found()


def _handler_for(portal: Portal) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "SimCMS/1.0"
        protocol_version = "HTTP/1.1"

        def _send(self, page: Page, head_only: bool = False) -> None:
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(page.body)

        def do_GET(self) -> None:  # noqa: N802
            self._send(respond(portal, "GET", self.path))

        def do_HEAD(self) -> None:  # noqa: N802
            self._send(respond(portal, "GET", self.path), head_only=True)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
            self._send(respond(portal, "POST", self.path, parse_qs(raw, keep_blank_values=True)))

        def log_message(self, *args) -> None:  # quiet: tests and the demo print their own lines
            pass

    return Handler


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class SimulatorServer:
    """Context manager serving ``portals`` on 127.0.0.1 (``ports``: fixed ports, 0 = ephemeral)."""

    def __init__(self, portals: list[Portal], ports: list[int] | None = None):
        if ports is not None and len(ports) != len(portals):
            raise ValueError("ports must have one entry per portal")
        ids = [p.site_id for p in portals]
        if len(set(ids)) != len(ids):
            raise ValueError("portal site ids must be unique")
        self.portals = {p.site_id: p for p in portals}
        self._wanted = dict(zip(ids, ports or [0] * len(portals)))
        self._ports: dict[str, int] = {}
        self._servers: list[tuple[_Server, threading.Thread]] = []

    def start(self) -> "SimulatorServer":
        try:
            for site_id, portal in self.portals.items():
                wanted = self._wanted[site_id]
                if portal.unreachable == "closed":
                    self._ports[site_id] = wanted or _free_port()
                    continue
                server = _Server(("127.0.0.1", wanted), _handler_for(portal))
                self._ports[site_id] = server.server_address[1]
                thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                          name=f"sim-{site_id}", daemon=True)
                thread.start()
                self._servers.append((server, thread))
        except OSError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)
        self._servers.clear()

    def __enter__(self) -> "SimulatorServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def port(self, site_id: str) -> int:
        if site_id not in self._ports:
            raise KeyError(f"{site_id} is not being served (unknown id, or start() not called)")
        return self._ports[site_id]

    def base_url(self, site_id: str) -> str:
        return f"http://127.0.0.1:{self.port(site_id)}/"

    def truth(self, site_id: str) -> dict:
        return truth_dict(self.portals[site_id], self.base_url(site_id))

    def seeds_yaml(self, *, entry: bool = False) -> str:
        """A seeds file (SPEC format) for the served portals; ``entry`` adds the directory URLs."""
        rows = []
        for site_id, portal in self.portals.items():
            row = {"id": site_id, "name": portal.name, "url": self.base_url(site_id)}
            if entry:
                row["entry"] = self.base_url(site_id).rstrip("/") + portal.entry_path
            if portal.annual_reports_since:
                row["annual_reports_since"] = portal.annual_reports_since
            rows.append(row)
        return yaml.safe_dump({"portals": rows}, allow_unicode=True, sort_keys=False)
