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
from crawler.store import Store, now


@dataclass
class CrawlSummary:
    run_id: int
    status: str                       # status of the run row (ok | partial | failed | running)
    sites: list[dict] = field(default_factory=list)   # the crawls rows of this run
    # columns of this run not seen completely (status unreadable/incomplete), with reasons
    unseen_columns: list[dict] = field(default_factory=list)

    @property
    def all_unreachable(self) -> bool:
        return bool(self.sites) and all(s["status"] == "unreachable" for s in self.sites)


def log_path(db: str) -> str:
    """Where the crawl log of a database goes: ``xxgk.db`` → ``xxgk.crawl.log``."""
    return (db[:-3] if db.endswith(".db") else db) + ".crawl.log"


def crawl_settings(db: str, *, delay: float | None = None, concurrency: int | None = None,
                   run_id: int | None = None, progress: bool = False,
                   log_level: str = "WARNING", full: bool = False,
                   recheck_after: float | None = None) -> Settings:
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
    if recheck_after is not None:
        overrides["XXGK_RECHECK_AFTER_DAYS"] = recheck_after
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
        unseen = unseen_columns(store, run_id) if run_id else []
    finally:
        store.close()
    return CrawlSummary(run_id=run_id or 0, status=(run or {}).get("status") or "failed", sites=sites,
                        unseen_columns=unseen)


def crawl_redis(portals: list[Portal], db: str, redis_url: str, *, full: bool = False,
                run_id: int | None = None, echo=None, recheck_after: float | None = None) -> CrawlSummary:
    """Queue ``portals`` in Redis for ``xxgk worker`` processes and store what they send back.

    Blocks until every task is done; SIGTERM/Ctrl-C stops it cleanly (stored rows stay, the
    run and its unfinished sites are partial, unclaimed tasks leave the queue).
    """
    import signal

    from crawler.distributed import Writer, connect, done_key
    from crawler.incremental import RECHECK_AFTER_DAYS
    from crawler.pipelines import StorePipeline, crawl_status

    client = connect(redis_url)
    client.ping()
    pipeline = StorePipeline(db, run_id, full=full,
                             recheck_after=RECHECK_AFTER_DAYS if recheck_after is None else recheck_after)
    pipeline.open_spider(None)
    writer = Writer(client, pipeline)
    store = pipeline.store

    def stop(signum, frame):
        writer.stop_requested = True

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        tasks = writer.submit(portals, None if full else pipeline.known_documents)
        if echo:
            echo(f"已排队 {tasks} 个任务（{len(portals)} 个站点），等待采集进程（xxgk worker）……")
        finished = writer.run(on_tick=(lambda w: echo(
            f"已完成任务 {client.scard(done_key(w.job))}/{tasks}")) if echo else None)
        run_id = pipeline.run_id
        statuses = writer.statuses()
        # a site whose task never finished was not fully crawled
        with store.db.conn:
            store.db.execute("update crawls set status = 'partial', finished_at = ? "
                             "where run_id = ? and status = 'running'", [now(), run_id])
        if not finished or len(statuses) < len(portals):
            statuses.append("partial")
        if pipeline.given_run_id is None:
            totals = store.db.execute(
                "select count(*), coalesce(sum(pages),0), coalesce(sum(documents),0), "
                "coalesce(sum(errors),0) from crawls where run_id = ?", [run_id]).fetchone()
            status = crawl_status(statuses)
            store.finish_run(run_id, status, sites=totals[0], pages=totals[1], documents=totals[2],
                             errors=totals[3], message=None if finished else "采集提前结束：shutdown")
        run = store.run(run_id)
        sites = store.latest_crawls(run_id)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        store.close()
    return CrawlSummary(run_id=run_id, status=(run or {}).get("status") or "failed", sites=sites)


def worker_settings(redis_url: str, *, burst: bool = False, lease: float = 30, delay: float | None = None,
                    concurrency: int | None = None, log_file: str | None = None,
                    log_level: str = "INFO") -> Settings:
    """The crawl settings of a Redis worker: items go to Redis, tasks come from it."""
    settings = crawl_settings(":memory:", delay=delay, concurrency=concurrency, log_level=log_level)
    overrides = {"XXGK_REDIS_URL": redis_url, "XXGK_REDIS_BURST": burst, "XXGK_REDIS_LEASE": lease,
                 "ITEM_PIPELINES": {"crawler.distributed.RedisItemPipeline": 300},
                 "EXTENSIONS": {**settings.getdict("EXTENSIONS"), "crawler.distributed.RedisWorker": 520},
                 "LOG_FILE": log_file, "LOG_FILE_APPEND": True, "XXGK_DB": None}
    settings.setdict(overrides, priority="cmdline")
    return settings


def work(redis_url: str, **options) -> None:
    """Run one Redis worker in this process until stopped (or, ``burst``, until no work is left)."""
    process = CrawlerProcess(worker_settings(redis_url, **options))
    crawler = process.create_crawler(PortalSpider)
    process.crawl(crawler, worker=True)
    process.start()


def unseen_columns(store: Store, run_id: int) -> list[dict]:
    """The run's columns that were not read completely, by site and URL."""
    return store.rows("columns", "run_id = ? and coalesce(status, 'ok') != 'ok' order by site_id, url",
                      [run_id])
