"""Connections that survive small, busy servers: why POSTed list pages were lost, and the fix.

The mechanism (issue 15, reproduced with ``crawler.simulator.SimulatorServer(busy="http10")``
and measured in ``bench/repeatability.py``):

1. A plain ``ThreadingHTTPServer`` answers ``HTTP/1.0`` and closes the connection after every
   response, without a ``Connection: close`` header (``python -m http.server`` behaves so, and
   so do many old servlet containers behind small government portals).
2. Twisted's ``HTTP11ClientProtocol`` decides persistence from ``Connection: close`` alone and
   ignores the response's HTTP version, so it hands that connection back to Scrapy's
   ``HTTPConnectionPool`` as idle. The server's FIN arrives a moment later; until the reactor
   has read it, the pool holds a dead connection. The same happens when a keep-alive server
   (Apache, ``KeepAliveTimeout 5``) closes an idle pooled connection just as we reuse it.
3. The next request to the host takes that connection from the pool and gets
   ``ResponseNeverReceived([ConnectionDone])``. For GET/HEAD the pool's
   ``_RetryingHTTP11ClientProtocol`` silently retries once on a *fresh* connection, so GETs
   never show the problem. Twisted refuses to retry a non-idempotent method or a request with
   a body, so a POST fails up to Scrapy.
4. Scrapy's ``RetryMiddleware`` re-queues the POST at once; with ``--delay 0`` it is sent within
   milliseconds on the next pooled connection, which is just as dead (every connection to an
   HTTP/1.0 server is dead once its answer is read). Three attempts, three dead connections:
   "Gave up retrying <POST …dataproxy.jsp…> (failed 3 times): ConnectionDone", and the column
   silently loses the records behind that page.

A direct test of step 2–3 (``tests/test_connections.py``): against an HTTP/1.0 server, a POST
sent right after a GET on the same pooled agent fails every time with plain Twisted.

The fix, at the two depths where the fault lies:

* ``HTTPDownloadHandler`` (``DOWNLOAD_HANDLERS``): a response of HTTP/1.0 without
  ``Connection: keep-alive`` is not persistent (RFC 9112 §9.3), so its connection is closed
  instead of pooled. This removes the dead connections of HTTP/1.0 servers at the source.
* ``ConnectionRetryMiddleware``: a request (POST included) that failed before any response
  arrived — the keep-alive race that cannot be excluded — is retried after a back-off
  (0.5 s, 1 s, 2 s …), by which time the reactor has dropped the dead connections from the
  pool, so the retry goes out on a live or new connection. List queries (dataproxy.jsp,
  search.jsp, /fjdzapp/search) only read, so sending them again is safe.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import (HTTP11DownloadHandler,
                                                    _LenientHTTP11ClientFactory,
                                                    _LenientHTTP11ClientProtocol)
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.web.client import RequestNotSent, RequestTransmissionFailed, ResponseNeverReceived

#: Failures that mean "no response was received on this connection": nothing was processed
#: that a person could see, so the request may be sent again on another connection.
CONNECTION_FAILURES = (ResponseNeverReceived, RequestNotSent, RequestTransmissionFailed,
                       ConnectionDone, ConnectionLost)


def is_connection_failure(exception: BaseException) -> bool:
    """Whether no response arrived (Scrapy ≥ 2.13 wraps Twisted's error: follow ``__cause__``)."""
    seen = 0
    while exception is not None and seen < 5:
        if isinstance(exception, CONNECTION_FAILURES):
            return True
        exception, seen = exception.__cause__, seen + 1
    return False


def closes_after_response(version: tuple | None, connection_tokens: list[bytes]) -> bool:
    """Whether the server ends the connection after this response (RFC 9112 §9.3).

    HTTP/1.1 keeps it unless ``close`` is sent; HTTP/1.0 closes it unless ``keep-alive`` is.
    """
    tokens = {t.strip().lower() for value in connection_tokens for t in value.split(b",")}
    if b"close" in tokens:
        return True
    if version is not None and tuple(version[1:]) < (1, 1):
        return b"keep-alive" not in tokens
    return False


class _HonestPersistenceProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's client protocol that does not pool a connection an HTTP/1.0 server closes."""

    def _finishResponse_WAITING(self, rest):  # noqa: N802 - Twisted's state-dispatch name
        parser = self._parser
        response = getattr(parser, "response", None)
        if parser is not None and response is not None:
            tokens = parser.connHeaders.getRawHeaders(b"Connection", [])
            if closes_after_response(response.version, tokens) and b"close" not in tokens:
                # Twisted pools the connection unless it sees "close": say it.
                parser.connHeaders.addRawHeader(b"Connection", b"close")
        return super()._finishResponse_WAITING(rest)

    _finishResponse_TRANSMITTING = _finishResponse_WAITING


class _HonestPersistenceFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr):  # noqa: N802 - Twisted's name
        return _HonestPersistenceProtocol(self._quiescentCallback)


class HTTPDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose pool never keeps a connection the server closes."""

    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool._factory = _HonestPersistenceFactory


class ConnectionRetryMiddleware:
    """Retry requests that got no response (dead pooled connection) after a back-off.

    Settings: ``XXGK_CONNECTION_RETRY_TIMES`` (default 4, 0 turns it off) and
    ``XXGK_CONNECTION_RETRY_BACKOFF`` (seconds before the first retry, doubled each time).
    Placed before Scrapy's ``RetryMiddleware`` (its ``process_exception`` runs first), so
    RetryMiddleware's back-to-back retries only see what survived these.
    """

    META = "xxgk_connection_retries"

    def __init__(self, crawler, times: int, backoff: float):
        self.crawler, self.times, self.backoff = crawler, times, backoff

    @classmethod
    def from_crawler(cls, crawler):
        times = crawler.settings.getint("XXGK_CONNECTION_RETRY_TIMES", 4)
        if times <= 0 or not crawler.settings.getbool("RETRY_ENABLED", True):
            raise NotConfigured
        return cls(crawler, times, crawler.settings.getfloat("XXGK_CONNECTION_RETRY_BACKOFF", 0.5))

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number ``attempt`` (1-based): 0.5, 1, 2, 4 …"""
        return self.backoff * (2 ** (attempt - 1))

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if not is_connection_failure(exception) or request.meta.get("dont_retry"):
            return None
        attempt = request.meta.get(self.META, 0) + 1
        if attempt > self.times:
            return None          # RetryMiddleware has the last word (and logs "Gave up")
        stats = self.crawler.stats
        stats.inc_value("xxgk/connection_retry/count")
        stats.inc_value(f"xxgk/connection_retry/{request.method}")
        from twisted.internet import reactor, task

        await maybe_deferred_to_future(task.deferLater(reactor, self.delay(attempt), lambda: None))
        retry = request.copy()
        retry.meta[self.META] = attempt
        retry.dont_filter = True
        return retry
