"""Run the portal spider in this process and summarise what it stored.

Twisted's reactor starts once per process, so a process calls ``crawl()`` once; ``xxgk run``
and the scheduler therefore run ``xxgk crawl`` as a subprocess.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.seeds import Portal
from crawler.spiders.portal import PortalSpider
from crawler.store import Store


@dataclass
class CrawlSummary:
    run_id: int
    status: str                       # status of the run row (ok | partial | failed | running)
    sites: list[dict] = field(default_factory=list)   # the crawls rows of this run

    @property
    def all_unreachable(self) -> bool:
        return bool(self.sites) and all(s["status"] == "unreachable" for s in self.sites)


def log_path(db: str) -> str:
    """Where the crawl log of a database goes: ``xxgk.db`` → ``xxgk.crawl.log``."""
    return (db[:-3] if db.endswith(".db") else db) + ".crawl.log"


def crawl_settings(db: str, *, delay: float | None = None, concurrency: int | None = None,
                   run_id: int | None = None, progress: bool = False,
                   log_level: str = "WARNING", full: bool = False) -> Settings:
    """The project settings plus the CLI's overrides.

    ``--delay 0`` also turns AutoThrottle off: on 127.0.0.1 there is nobody to be polite to,
    and tests and benchmarks want the crawl bound by our code, not by back-off timers.
    """
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # Scrapy's own log (with its tracebacks for every refused connection) goes to a file
    # beside the database; the terminal gets the progress display and a summary.
    overrides = {"XXGK_DB": db, "XXGK_PROGRESS": progress, "LOG_LEVEL": log_level, "XXGK_FULL": full,
                 "LOG_FILE": log_path(db), "LOG_FILE_APPEND": True}
    if run_id is not None:
        overrides["XXGK_RUN_ID"] = run_id
    if delay is not None:
        overrides.update(DOWNLOAD_DELAY=delay, AUTOTHROTTLE_START_DELAY=max(delay, 0.01))
        if delay == 0:
            overrides["AUTOTHROTTLE_ENABLED"] = False
    if concurrency is not None:
        overrides.update(CONCURRENT_REQUESTS_PER_DOMAIN=concurrency,
                         CONCURRENT_REQUESTS=max(settings.getint("CONCURRENT_REQUESTS"), concurrency * 4))
    settings.setdict(overrides, priority="cmdline")
    return settings


def crawl(portals: list[Portal], db: str, **options) -> CrawlSummary:
    """Crawl ``portals`` into ``db``; returns the run's summary (blocks until done)."""
    run_id = options.get("run_id")
    process = CrawlerProcess(crawl_settings(db, **options))
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, portals=list(portals))
    process.start()
    run_id = getattr(crawler.spider, "run_id", None) or run_id
    store = Store(db)
    try:
        run = store.run(run_id) if run_id else None
        sites = store.latest_crawls(run_id) if run_id else []
    finally:
        store.close()
    return CrawlSummary(run_id=run_id or 0, status=(run or {}).get("status") or "failed", sites=sites)
