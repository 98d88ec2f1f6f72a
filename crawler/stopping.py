"""A clean stop on the first SIGTERM / Ctrl-C, within seconds even at 1,000 portals.

Scrapy's graceful shutdown closes the spider only after every request already handed to the
downloader has been downloaded — including the requests waiting in per-host slots for their
politeness delay (AutoThrottle delays, up to ``CONCURRENT_REQUESTS`` of them). With many
portals that queue takes minutes to drain. On the first signal this extension therefore:

1. tells the spider it is stopping (``spider.stopping = True``): its errbacks then record
   nothing for requests that were cancelled — a page not fetched is *not seen*, never broken;
   columns still pending are stored ``incomplete`` and sites ``partial``;
2. cancels every request still waiting in a download slot's queue (not yet sent);
3. lets the requests already on the wire finish (at most ``CONCURRENT_REQUESTS_PER_DOMAIN``
   per host), their pages are stored, then Scrapy's own shutdown closes the spider: the
   pipeline writes what the spider still holds and marks the run ``partial``.

A second signal is Scrapy's forced stop, as before.
"""

from __future__ import annotations

import logging
import signal

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from twisted.internet import reactor
from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

STOP_SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGINT", None)) if s)


class CrawlStopped(IgnoreRequest):
    """A request cancelled because the crawl is stopping (not a failure of the site)."""


def cancel_queued(downloader) -> int:
    """Fail every request waiting in a download slot's queue with ``CrawlStopped``; returns how many."""
    cancelled = 0
    for slot in list(downloader.slots.values()):
        if slot.latercall:
            slot.latercall.cancel()
            slot.latercall = None
        while slot.queue:
            request, deferred = slot.queue.popleft()
            cancelled += 1
            deferred.errback(Failure(CrawlStopped(f"采集已停止，未发出：{request.url}")))
    return cancelled


class CleanStop:
    def __init__(self, crawler):
        self.crawler = crawler
        self.stopping = False

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        crawler.signals.connect(ext.engine_started, signal=signals.engine_started)
        return ext

    def engine_started(self):
        # Scrapy installs its shutdown handlers when the reactor has started; wrap them after.
        reactor.callLater(0, self._wrap_handlers)

    def _wrap_handlers(self):
        for signum in STOP_SIGNALS:
            previous = signal.getsignal(signum)
            if getattr(previous, "_xxgk_clean_stop", False) or not callable(previous):
                continue

            def handler(num, frame, previous=previous):
                if not self.stopping:
                    reactor.callFromThread(self.stop)
                previous(num, frame)

            handler._xxgk_clean_stop = True
            signal.signal(signum, handler)

    def stop(self):
        """Phase 1 of the stop (idempotent): the spider knows, queued requests are cancelled."""
        if self.stopping:
            return
        self.stopping = True
        spider = self.crawler.spider
        if spider is not None:
            spider.stopping = True
        engine = self.crawler.engine
        if engine is None:
            return
        cancelled = cancel_queued(engine.downloader)
        logger.warning("stopping: %d queued requests cancelled, waiting for those in flight", cancelled)
