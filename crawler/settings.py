"""Scrapy settings for xxgk-monitor: every crawl knob in one place.

Politeness defaults follow SPEC: per site at most 4 concurrent requests, AutoThrottle on,
robots.txt honoured, a User-Agent that says who we are. `xxgk crawl --delay/--concurrency`
override DOWNLOAD_DELAY and CONCURRENT_REQUESTS_PER_DOMAIN. Requests carry
``meta["download_slot"] = host[:port]`` (``crawler.politeness``) so the per-domain limits apply
per *server*: seeds entries that share a host share its limits, robots.txt included.

Broad crawls (1,000+ portals in one process) follow Scrapy's "Broad Crawls" guidance: the
scheduler hands out requests of the least busy slots first (DownloaderAwarePriorityQueue), the
global concurrency is sized for many slots, DNS answers are cached, retries stay few.
"""

import crawler.incremental as _incremental   # the re-check window's default lives with its rules

BOT_NAME = "xxgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

USER_AGENT = "xxgk-monitor/0.1 (政府信息公开专栏监测; +https://pypi.org/project/xxgk-monitor/)"
ROBOTSTXT_OBEY = True

# Politeness (SPEC: per site at most 4 concurrent requests, AutoThrottle on).
CONCURRENT_REQUESTS_PER_DOMAIN = 4

# Broad crawl: many slots each limited to 4, so the global limit must not be what binds.
CONCURRENT_REQUESTS = 256
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
# Scrapy hands each response's outputs to CONCURRENT_ITEMS cooperative tasks (100 by default),
# built per response even when it yields one item; our pipeline is synchronous (SQLite), so
# parallel item processing buys nothing and the 100 tasks cost ~40% of the CPU of a
# 1,000-portal crawl (py-spy, bench/README.md).
CONCURRENT_ITEMS = 1
# Depth is bounded by our own XXGK_MAX_DIRECTORY_DEPTH and the per-column page limit; Scrapy's
# DepthMiddleware would only wrap every callback's output in one more async generator.
SPIDER_MIDDLEWARES = {"scrapy.spidermiddlewares.depth.DepthMiddleware": None}
DNSCACHE_ENABLED = True
DNSCACHE_SIZE = 20000
REACTOR_THREADPOOL_MAXSIZE = 20      # DNS lookups run in the thread pool
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 10
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Failures: SPEC's site_unreachable means "after retries, 15 s timeout".
DOWNLOAD_TIMEOUT = 15
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# POSTed list pages on small busy servers (issue 15; the mechanism is in crawler/connections.py):
# no pooling of connections an HTTP/1.0 server closes, and requests that got no response at all
# are retried after a back-off (0.5 s, 1 s, 2 s, 4 s) instead of back to back.
# (The handler is crawler.render.handler.RenderingDownloadHandler below, a subclass of
# crawler.connections.HTTPDownloadHandler.)
DOWNLOADER_MIDDLEWARES = {"crawler.politeness.HostSlotMiddleware": 50,
                          "crawler.connections.ConnectionRetryMiddleware": 560}
XXGK_CONNECTION_RETRY_TIMES = 4
XXGK_CONNECTION_RETRY_BACKOFF = 0.5
REDIRECT_MAX_TIMES = 10
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
DNS_TIMEOUT = 15

# Bounds that keep a crawl finite on endless calendars and runaway CMS paging.
XXGK_MAX_DIRECTORY_DEPTH = 3        # homepage → entry → column groups → columns
XXGK_MAX_COLUMNS_PER_SITE = 300
XXGK_MAX_PAGES_PER_COLUMN = 500
XXGK_MAX_DOCUMENTS_PER_SITE = 50000
XXGK_CHECK_ATTACHMENTS = True
# Incremental re-crawl (crawler/incremental.py): known, unchanged detail pages get a
# conditional GET or a HEAD instead of a full read. `xxgk crawl --full` sets this.
XXGK_FULL = False
# A known page checked fine less than this many days ago and listed unchanged is not asked
# again at all (its stored row and link rows carry over); 0 = always ask (`--recheck-after`).
XXGK_RECHECK_AFTER_DAYS = _incremental.RECHECK_AFTER_DAYS

# Script-drawn lists (crawler/render): the browser engine renders only column pages whose list
# is drawn by script and found by no static reader. XXGK_BROWSER = False (or env XXGK_BROWSER=0)
# turns it off; such columns are then unreadable "需要浏览器引擎". The handler passes every
# other request to Scrapy's own HTTP/1.1 handler.
XXGK_BROWSER = True
XXGK_BROWSER_TIMEOUT = 30
DOWNLOAD_HANDLERS = {"http": "crawler.render.handler.RenderingDownloadHandler",
                     "https": "crawler.render.handler.RenderingDownloadHandler"}

ITEM_PIPELINES = {"crawler.pipelines.StorePipeline": 300}
EXTENSIONS = {"crawler.progress.LiveProgress": 500, "crawler.stopping.CleanStop": 510}
XXGK_PROGRESS = False   # the CLI turns it on when stdout is a TTY

# The store: XXGK_DB (path) and XXGK_RUN_ID (an existing run row, e.g. from `xxgk run`).
XXGK_DB = None
XXGK_RUN_ID = None

# The platform's default Twisted reactor, not asyncio: with Scrapy 2.19's asyncio reactor and
# DOWNLOAD_DELAY = 0 the downloader starts every queued request of a slot at once (the
# download coroutine is scheduled as a task, so the slot's "transferring" set is still empty
# when the next request is checked), ignoring CONCURRENT_REQUESTS_PER_DOMAIN.
# tests/test_crawl_robustness.py measures the requests in flight to keep us honest.
TWISTED_REACTOR = None
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
