"""Per-host politeness: one download slot per server, whatever seeds entry asked for the page.

A city's department sub-sites often live under one domain (``…/gszbm/auto12345/``, dozens of
seeds entries); the server sees one client, so they must share that host's limits
(``CONCURRENT_REQUESTS_PER_DOMAIN``, ``DOWNLOAD_DELAY``, AutoThrottle). The slot key is the
URL's ``host[:port]`` (lower case, no user info): two ports are two servers.

The spider sets ``meta["download_slot"]`` when it builds a request (the scheduler's
``DownloaderAwarePriorityQueue`` reads it before any middleware runs); ``HostSlotMiddleware``
re-derives it for every request that reaches the downloader, so requests the spider did not
build — robots.txt (fetched once per host by Scrapy's RobotsTxtMiddleware) and redirects to
another host — go through the slot of the host they are sent to.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def host_slot(url: str) -> str:
    """The download slot of ``url``: its ``host[:port]`` in lower case (default ports dropped)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and not (parts.scheme, port) in (("http", 80), ("https", 443)):
        return f"{host}:{port}"
    return host


class HostSlotMiddleware:
    """Downloader middleware: every request uses the slot of the host it is sent to."""

    def process_request(self, request, spider=None):
        request.meta["download_slot"] = host_slot(request.url)
        return None
