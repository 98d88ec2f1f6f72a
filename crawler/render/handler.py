"""A download handler that renders the requests marked ``meta["xxgk_render"]`` in the browser.

Every other request goes to the HTTP/1.1 handler of ``crawler.connections`` (Scrapy's, with
HTTP/1.0 connections closed instead of pooled). Because rendering happens
inside the download handler, a render holds one place of the portal's download slot like any
request (per-site concurrency and delay apply), and robots.txt was checked for the page by the
ordinary middleware; the requests the page makes while it loads are checked against the same
robots rules here, and requests to other hosts are not made at all.
"""

from __future__ import annotations

from twisted.internet import reactor
from twisted.internet.defer import Deferred
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from crawler.connections import HTTPDownloadHandler
from crawler.render.engine import RenderResult, Renderer


def _fire(d: Deferred, future) -> None:
    try:
        d.callback(future.result())
    except Exception as exc:          # the worker thread raised: becomes the request's failure
        d.errback(exc)


class RenderingDownloadHandler(HTTPDownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._renderer: Renderer | None = None

    def _robots(self, request):
        try:
            mws = self._crawler.engine.downloader.middleware.middlewares
        except AttributeError:
            return None
        mw = next((m for m in mws if isinstance(m, RobotsTxtMiddleware)), None)
        if mw is None:
            return None
        parser = mw._parsers.get(urlparse_cached(request).netloc)
        if parser is None or not hasattr(parser, "allowed"):
            return None
        agent = self._crawler.settings.get("ROBOTSTXT_USER_AGENT") or \
            request.headers.get(b"User-Agent", b"").decode("latin-1") or self._crawler.settings.get("USER_AGENT")
        return lambda url: parser.allowed(url, agent)

    async def download_request(self, request):
        if not request.meta.get("xxgk_render"):
            return await super().download_request(request)
        if self._renderer is None:
            s = self._crawler.settings
            self._renderer = Renderer(user_agent=s.get("USER_AGENT"),
                                      timeout_ms=int(s.getfloat("XXGK_BROWSER_TIMEOUT", 30) * 1000))
        d: Deferred = Deferred()
        future = self._renderer.submit(request.url, self._robots(request))
        future.add_done_callback(lambda f: reactor.callFromThread(_fire, d, f))
        result: RenderResult = await maybe_deferred_to_future(d)
        request.meta["xxgk_rendered"] = result
        return HtmlResponse(url=request.url, status=result.status or 200, body=result.html.encode("utf-8"),
                            encoding="utf-8", request=request)

    async def close(self) -> None:
        if self._renderer is not None:
            renderer, self._renderer = self._renderer, None
            d: Deferred = Deferred()
            reactor.callInThread(lambda: (renderer.close(), reactor.callFromThread(d.callback, None)))
            await maybe_deferred_to_future(d)
        await super().close()
