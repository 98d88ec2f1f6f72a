"""The end-of-crawl retry: a link that failed indefinitely (5xx, timeout, refused) is asked once
more when the crawl goes idle before it is reported (as 疑似); a definite 404/403/410 or a
success is reported at once. Links still deferred when a crawl is stopped are reported with
their first failure.
"""

from __future__ import annotations

from scrapy.exceptions import DontCloseSpider

from crawler import listing
from crawler.errors import DEFINITE_STATUSES
from crawler.items import DocumentItem, LinkItem
from crawler.spiders.state import SiteState


class EndOfCrawlRetry:
    """Mixin of the portal spider: defer, retry at idle, report what is left."""

    def _defer(self, state: SiteState, request, status: int | None, error: str | None) -> bool:
        """Keep a 5xx/timeout/refused item or attachment for one more try at the end of the
        crawl (a definite 404/403/410, a success, or a second failure is reported at once)."""
        if request.meta.get("end_retry"):
            return False
        if status is not None and (status < 400 or status in DEFINITE_STATUSES):
            return False
        state.retry_later.append((request, status, error))
        return True

    def on_idle(self, spider=None):
        """spider_idle: ask every deferred link once more, then let the crawl close."""
        pending = [(state, entry) for state in self.sites.values() for entry in state.retry_later]
        if not pending:
            return
        for state, (request, _status, _error) in pending:
            state.retry_later = []
            meta = dict(request.meta, end_retry=True, dont_retry=True)
            meta.pop("retry_times", None)
            self.crawler.engine.crawl(request.replace(meta=meta, dont_filter=True))
        raise DontCloseSpider

    def _unretried(self, state: SiteState):
        """Links still deferred when the crawl stopped early: reported with their first failure."""
        for request, status, error in state.retry_later:
            meta = request.meta
            state.errors += 1
            kind = "attachment" if meta.get("kind") == "attachment" else "item"
            error = error or (f"HTTP {status}" if status else None)
            source = meta.get("source_url") if kind == "attachment" else meta.get("list_url")
            yield LinkItem(site_id=state.portal.id, url=request.url, source_url=source, kind=kind,
                           status=status, error=error)
            if kind == "item":
                item: listing.ListItem = meta["list_item"]
                yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                                   column_url=meta["column_url"], list_date=item.date,
                                   http_status=status, error=error)
        state.retry_later = []
