"""Serve simulated portals over real HTTP on 127.0.0.1, one port per portal.

Each portal gets a ``ThreadingHTTPServer`` (daemon threads) in a background thread. Port 0 asks
the OS for a free port; the demo uses fixed ports. A portal with the ``site_down_at_crawl``
defect either answers 503 to everything or, variant ``closed``, gets a port on which nothing
listens (reserved, then released).

``busy`` serves the portals the way small, busy government servers behave (issue 15):

* ``"http10"``: a plain ``ThreadingHTTPServer`` with the handler's default HTTP/1.0 and a listen
  backlog of 5 (``request_queue_size``). It closes the connection after every answer but, like
  ``python -m http.server``, says nothing about it (no ``Connection: close`` header).
* ``"keepalive"``: HTTP/1.1 keep-alive with a backlog of 5, closing a connection that stays
  idle for ``idle_timeout`` seconds, as Apache's ``KeepAliveTimeout 5`` does.
"""

from __future__ import annotations

import socket
import threading
import time
from email.utils import formatdate, parsedate_to_datetime
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
    if portal.fail_when and portal.fail_when(method, path, query, form or {}):
        return UNAVAILABLE
    if portal.dynamic:
        page = portal.dynamic(method, path, query, form or {})
        if page is not None:
            return page
    if portal.trap_path and path == "/calendar":
        return calendar(query)
    full = f"{path}?{parts.query}" if parts.query else path
    return portal.pages.get(full) or portal.pages.get(path) or not_found()


class Validators:
    """HTTP validators of a portal's static pages, as nginx serves a CMS's published files.

    TRS WCM, 大汉 and most 信息公开 CMSs publish static HTML files that nginx/Apache serve; nginx
    answers them with ``ETag: "<mtime hex>-<length hex>"`` and ``Last-Modified: <mtime>`` (its
    ``etag on`` default, ngx_http_core_module) and 304 to a matching ``If-None-Match`` /
    ``If-Modified-Since``. The "mtime" here is when the served body was first seen at that
    path, so a page whose content changes gets a new ETag and a later Last-Modified. Dynamic
    endpoints (dataproxy.jsp, JSON APIs) send no validators, as their JSP/servlet hosts don't.
    """

    def __init__(self):
        self._seen: dict[str, tuple[bytes, float]] = {}
        self._lock = threading.Lock()

    def of(self, path: str, body: bytes) -> tuple[str, str]:
        with self._lock:
            known = self._seen.get(path)
            if known is None or known[0] != body:
                # a new file: its mtime is now, strictly after the previous version's
                mtime = max(time.time(), known[1] + 1 if known else 0)
                known = self._seen[path] = (body, float(int(mtime)))
        mtime = known[1]
        return f'"{int(mtime):x}-{len(body):x}"', formatdate(mtime, usegmt=True)

    @staticmethod
    def not_modified(headers, etag: str, last_modified: str) -> bool:
        """RFC 9110 §13.2.2: If-None-Match decides when present, else If-Modified-Since."""
        inm = headers.get("If-None-Match")
        if inm is not None:
            return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
        ims = headers.get("If-Modified-Since")
        if ims:
            try:
                return parsedate_to_datetime(ims).timestamp() >= parsedate_to_datetime(last_modified).timestamp()
            except (TypeError, ValueError):
                return False
        return False


def _is_static(portal: Portal, target: str, page: Page) -> bool:
    parts = urlsplit(target)
    full = f"{parts.path}?{parts.query}" if parts.query else parts.path
    return page.status == 200 and (portal.pages.get(full) is page or portal.pages.get(parts.path) is page)


BUSY_MODES = ("http10", "keepalive")


def _handler_for(portal: Portal, log: list, busy: str | None = None,
                 idle_timeout: float = 5.0) -> type[BaseHTTPRequestHandler]:
    validators = Validators()

    class Handler(BaseHTTPRequestHandler):
        server_version = "SimCMS/1.0"
        protocol_version = "HTTP/1.0" if busy == "http10" else "HTTP/1.1"
        # socket timeout of an idle keep-alive connection: handle_one_request() then closes it
        timeout = idle_timeout if busy == "keepalive" else None

        def _send(self, page: Page, head_only: bool = False, static: bool = False) -> None:
            extra = {}
            if static:
                etag, last_modified = validators.of(urlsplit(self.path).path, page.body)
                extra = {"ETag": etag, "Last-Modified": last_modified}
                if validators.not_modified(self.headers, etag, last_modified):
                    log.append((self.command, urlsplit(self.path).path, 304, 0))
                    self.send_response(304)
                    for key, value in extra.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            log.append((self.command, urlsplit(self.path).path, page.status, 0 if head_only else len(page.body)))
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            for key, value in extra.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(page.body)))
            self.end_headers()
            if not head_only:
                self.wfile.write(page.body)

        def _get(self, head_only: bool) -> None:
            page = respond(portal, "GET", self.path)
            self._send(page, head_only=head_only, static=_is_static(portal, self.path, page))

        def do_GET(self) -> None:  # noqa: N802
            self._get(head_only=False)

        def do_HEAD(self) -> None:  # noqa: N802
            self._get(head_only=True)

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", errors="replace") if length else ""
            if "json" in (self.headers.get("Content-Type") or "").lower():
                form = {"_json": [raw]}          # a JSON body, as fetch/XHR send it
            else:
                form = parse_qs(raw, keep_blank_values=True)
            self._send(respond(portal, "POST", self.path, form))

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

    def handle_error(self, request, client_address) -> None:
        """A client that drops a kept-alive connection (a crawler closing its pool) is no error."""
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError)):
            return
        super().handle_error(request, client_address)


class _BusyServer(_Server):
    request_queue_size = 5        # listen backlog of a small server (socketserver's default)


class SimulatorServer:
    """Context manager serving ``portals`` on 127.0.0.1 (``ports``: fixed ports, 0 = ephemeral)."""

    def __init__(self, portals: list[Portal], ports: list[int] | None = None,
                 hosts: list[str] | None = None, poll_interval: float = 0.1, *,
                 busy: str | None = None, idle_timeout: float = 5.0):
        if busy is not None and busy not in BUSY_MODES:
            raise ValueError(f"busy must be one of {BUSY_MODES}: {busy!r}")
        self.busy, self.idle_timeout = busy, idle_timeout
        if ports is not None and len(ports) != len(portals):
            raise ValueError("ports must have one entry per portal")
        if hosts is not None and len(hosts) != len(portals):
            raise ValueError("hosts must have one entry per portal")
        ids = [p.site_id for p in portals]
        if len(set(ids)) != len(ids):
            raise ValueError("portal site ids must be unique")
        self.portals = {p.site_id: p for p in portals}
        self.poll_interval = poll_interval     # how soon stop() is noticed (benchmarks: larger)
        self._wanted = dict(zip(ids, ports or [0] * len(portals)))
        self._ports: dict[str, int] = {}
        self._servers: list[tuple[_Server, threading.Thread]] = []
        #: per portal, every answer as (method, path, status, body bytes sent): what a server sees
        self.log: dict[str, list] = {site_id: [] for site_id in ids}
        #: per portal, the loopback address it listens on (``hosts``: one 127.x.y.z each)
        self._hosts: dict[str, str] = dict(zip(ids, hosts or ["127.0.0.1"] * len(portals)))

    def start(self) -> "SimulatorServer":
        try:
            for site_id, portal in self.portals.items():
                wanted = self._wanted[site_id]
                if portal.unreachable == "closed":
                    self._ports[site_id] = wanted or _free_port()
                    continue
                server_class = _BusyServer if self.busy else _Server
                server = server_class((self._host(site_id), wanted),
                                      _handler_for(portal, self.log[site_id], self.busy, self.idle_timeout))
                self._ports[site_id] = server.server_address[1]
                thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": self.poll_interval},
                                          name=f"sim-{site_id}", daemon=True)
                thread.start()
                self._servers.append((server, thread))
        except OSError:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        # shut all servers down at once: each notices within its poll interval
        stoppers = [threading.Thread(target=server.shutdown, daemon=True) for server, _ in self._servers]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join(timeout=5 + self.poll_interval)
        for server, thread in self._servers:
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

    def _host(self, site_id: str) -> str:
        return self._hosts[site_id]

    def base_url(self, site_id: str) -> str:
        return f"http://{self._host(site_id)}:{self.port(site_id)}/"

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
