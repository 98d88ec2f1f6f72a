"""Items → SQLite. The only place the crawl writes to the database.

The run row: when settings carry ``XXGK_RUN_ID`` (``xxgk run`` created the run and will close
it after auditing) the pipeline writes into it and leaves it open; otherwise it opens its own
run at start and closes it at the end with ``ok``/``partial``/``failed``.
"""

from __future__ import annotations

import logging

from scrapy import signals

from crawler.incremental import RECHECK_AFTER_DAYS
from crawler.items import ColumnItem, DocumentItem, HomeItem, LinkItem, SiteItem
from crawler.store import Store, now

logger = logging.getLogger(__name__)


def crawl_status(site_statuses: list[str]) -> str:
    """Run status from its sites: ok when all were crawled cleanly, failed when none was reached."""
    if not site_statuses or all(s == "unreachable" for s in site_statuses):
        return "failed"
    if all(s == "ok" for s in site_statuses):
        return "ok"
    return "partial"


class StorePipeline:
    def __init__(self, db_path: str | None, run_id: int | None, full: bool = False,
                 recheck_after: float | None = RECHECK_AFTER_DAYS):
        self.db_path = db_path
        self.given_run_id = run_id
        self.full = full
        # days within which a page checked fine is carried forward unasked; 0/None: never
        self.recheck_after = recheck_after or None
        self.store: Store | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler):
        run_id = crawler.settings.get("XXGK_RUN_ID")
        pipeline = cls(crawler.settings.get("XXGK_DB"), int(run_id) if run_id else None,
                       full=crawler.settings.getbool("XXGK_FULL"),
                       recheck_after=crawler.settings.getfloat("XXGK_RECHECK_AFTER_DAYS", RECHECK_AFTER_DAYS))
        pipeline.crawler = crawler   # newer Scrapy calls open/close_spider without the spider
        # spider_closed fires after close_spider and carries the reason (finished/shutdown/…).
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def _spider(self, spider):
        return spider if spider is not None else getattr(getattr(self, "crawler", None), "spider", None)

    def open_spider(self, spider=None):
        spider = self._spider(spider)
        self.store = Store(self.db_path)
        if self.given_run_id is None:
            self.store.recover_interrupted_runs()
            self.run_id = self.store.start_run("crawl")
        else:
            self.run_id = self.given_run_id
        if spider is not None:
            spider.run_id = self.run_id
            spider.store_path = self.store.path
            if not self.full:     # incremental re-crawl: the spider may recheck known documents
                spider.previous_documents = self.known_documents

    def known_documents(self, site_id: str) -> dict[str, dict]:
        """The site's stored documents as an incremental re-crawl needs them (``fresh`` marked)."""
        return self.store.known_documents(site_id, fresh_days=self.recheck_after)

    def process_item(self, item, spider=None):
        store, run_id = self.store, self.run_id
        if isinstance(item, DocumentItem) and item.kept:
            store.keep_document(run_id, item.site_id, item.url, item.column_url,
                                checked=not item.carried)
        elif isinstance(item, DocumentItem):
            store.upsert_document(run_id, item.site_id, item.url, **document_row(item))
        elif isinstance(item, LinkItem):
            store.record_link(run_id, item.site_id, item.url, source_url=item.source_url,
                              kind=item.kind, status=item.status, error=item.error,
                              retried=item.retried)
        elif isinstance(item, ColumnItem):
            store.upsert_column(run_id, item.site_id, item.url, name=item.name,
                                parent_url=item.parent_url, item_count=len(item.items),
                                latest_date=item.latest_date, declared_total=item.declared_total,
                                pages=item.pages, empty_note=item.empty_note,
                                http_status=item.http_status, status=item.status,
                                status_reason=item.status_reason)
            store.add_column_items(run_id, item.site_id, item.url, item.items)
        elif isinstance(item, SiteItem):
            self._store_site(item)
        elif isinstance(item, HomeItem):
            store.add_home_items(run_id, item.site_id, item.page_url, item.level, item.items)
        return item

    def _store_site(self, item: SiteItem) -> None:
        self.store.upsert_site(item.site_id, item.name, item.url, entry=item.entry_url,
                               annual_reports_since=item.annual_reports_since, config=item.config)
        fields = {"url": item.url, "entry_url": item.entry_url, "status": item.status,
                  "error": item.error, **item.counts}
        if item.home_status:
            fields.update(home_status=item.home_status, home_reason=item.home_reason)
        if item.status == "running":
            fields["started_at"] = now()
        else:
            fields["finished_at"] = now()
        self.store.upsert_crawl(self.run_id, item.site_id, **fields)

    def close_spider(self, spider=None):
        """Store what the spider still holds: unfinished columns and every site's final status."""
        self.site_statuses = []
        spider = self._spider(spider)
        if spider is not None and hasattr(spider, "final_items"):
            for item in spider.final_items():
                self.process_item(item, spider)
                if isinstance(item, SiteItem):
                    self.site_statuses.append(item.status)

    def spider_closed(self, spider, reason):
        """Close the run row we opened; a crawl stopped early (Ctrl-C, limits) is partial."""
        if self.store is None:
            return
        if self.given_run_id is None:
            totals = self.store.db.execute(
                "select count(*), coalesce(sum(pages),0), coalesce(sum(documents),0), "
                "coalesce(sum(errors),0) from crawls where run_id = ?", [self.run_id]).fetchone()
            status = crawl_status(getattr(self, "site_statuses", []))
            if reason != "finished" and status == "ok":
                status = "partial"
            self.store.finish_run(self.run_id, status, sites=totals[0], pages=totals[1],
                                  documents=totals[2], errors=totals[3],
                                  message=None if reason == "finished" else f"采集提前结束：{reason}")
        self.store.close()
        self.store = None


def document_row(item: DocumentItem) -> dict:
    """Map a DocumentItem to the documents row; ``published`` falls back to the list date (SPEC)."""
    meta = item.metadata or {}
    raw = {"labels": meta.get("raw") or {}, "date_texts": meta.get("date_texts") or {}}
    if meta.get("report_file"):    # a 年报 read from its attachment (crawler/attachments.py)
        raw["report_file"] = {k: meta.get(k) for k in ("report_file", "report_file_status", "report_file_note")}
    return {
        "title": item.title or meta.get("title"),
        "column_url": item.column_url,
        "list_date": item.list_date,
        "index_no": meta.get("index_no"),
        "publisher": meta.get("publisher"),
        "published": meta.get("published") or item.list_date,
        "written": meta.get("written"),
        "doc_no": meta.get("doc_no"),
        "topic": meta.get("topic"),
        "raw": raw,
        "http_status": item.http_status,
        "error": item.error,
        "text": item.text,
        "attachments": item.attachments,
        "etag": item.etag,
        "last_modified": item.last_modified,
    }
