"""Distributed crawling on Redis: one writer process, any number of workers on any machines.

Design (docs/operations.md has the how-to):

- **Unit of work = a task**: every seeds entry whose homepage lies under one registered domain
  (``hd.gov.cn``; an IP address with its port) goes into one task, so a server is only ever
  crawled by one worker at a time and per-host politeness holds across workers. The spider's
  per-site and per-column state (pending list pages, listed items, emitted columns) stays
  inside the one worker that crawls the task: nothing of it has to be shared.
- **Queue** (``xxgk:queue``): tasks as JSON. A worker claims one with ``LMOVE`` onto
  ``xxgk:processing`` and holds a lease key (``xxgk:lease:<task>``, refreshed every few
  seconds). A worker killed with ``kill -9`` stops refreshing; once its lease has expired the
  writer (or any worker) moves the task back to the queue and another worker crawls it again
  from the start. Every row the writer stores is an upsert keyed like the database, so a task
  crawled twice stores exactly what it stores once: nothing is lost, nothing doubled.
- **Items** flow back on ``xxgk:items:<job>`` (JSON, ``{"type": …, …fields}``) to the one
  process that writes SQLite (``xxgk crawl --redis``), through the same ``StorePipeline`` code
  a single-process crawl uses: the database stays the single source.
- A task is **done** when no request of its sites is left in the worker's scheduler,
  downloader or scraper (checked twice, a tick apart); the worker then sends the sites' final
  items, removes the task from ``processing`` and adds it to ``xxgk:done:<job>``.
- Incremental re-crawls work across machines: a task carries the stored validators and list
  entries of its sites' documents (``Store.known_documents``) unless ``--full``.

Only ``redis`` (redis-py) is needed: scrapy-redis pops requests destructively, so a killed
worker's in-flight requests would be lost, and its per-request sharing would split a column's
bookkeeping across machines.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
import time
import uuid
from collections import defaultdict
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task as ttask

from crawler.items import ColumnItem, DocumentItem, HomeItem, LinkItem, SiteItem
from crawler.politeness import host_slot
from crawler.seeds import Portal
from crawler.urls import registered_domain

logger = logging.getLogger(__name__)

PREFIX = "xxgk"
QUEUE = f"{PREFIX}:queue"
PROCESSING = f"{PREFIX}:processing"
ITEM_TYPES = {cls.__name__: cls for cls in (SiteItem, ColumnItem, DocumentItem, LinkItem, HomeItem)}


def lease_key(task_id: str) -> str:
    return f"{PREFIX}:lease:{task_id}"


def items_key(job: str) -> str:
    return f"{PREFIX}:items:{job}"


def done_key(job: str) -> str:
    return f"{PREFIX}:done:{job}"


def connect(url: str):
    """A Redis client for ``url`` (``redis://127.0.0.1:6379/0``); a clear error without redis-py."""
    try:
        import redis
    except ImportError as exc:      # the optional extra is not installed
        raise RuntimeError("分布式采集需要 redis 包：pip install 'xxgk-monitor[redis]'") from exc
    return redis.Redis.from_url(url, decode_responses=True, socket_timeout=30)


# --- tasks ---------------------------------------------------------------------------------
def group_key(url: str) -> str:
    """Which task a portal belongs to: its homepage's registered domain (IP: host and port)."""
    host = (urlsplit(url).hostname or "").lower()
    domain = registered_domain(host)
    return host_slot(url) if domain == host and host.replace(".", "").isdigit() else domain


def make_tasks(job: str, portals: list[Portal], known=None) -> list[dict]:
    """Group ``portals`` into tasks; ``known(site_id)`` adds stored documents (incremental)."""
    groups: dict[str, list[Portal]] = defaultdict(list)
    for portal in portals:
        groups[group_key(portal.url)].append(portal)
    tasks = []
    for n, (key, members) in enumerate(sorted(groups.items())):
        tasks.append({"id": f"{job}:{n}", "job": job, "group": key,
                      "portals": [dataclasses.asdict(p) for p in members],
                      "known": {p.id: known(p.id) for p in members} if known else {}})
    return tasks


def portal_from_dict(data: dict) -> Portal:
    return Portal(**{**data, "columns": tuple(data.get("columns") or ())})


def enqueue(client, tasks: list[dict]) -> None:
    if tasks:
        client.rpush(QUEUE, *[json.dumps(t, ensure_ascii=False) for t in tasks])


def requeue_expired(client, suspects: dict, grace: float = 5.0) -> int:
    """Move tasks whose worker stopped renewing its lease back to the queue; returns how many.

    A task without a lease is only requeued when it was seen without one ``grace`` seconds
    earlier too (a worker sets its lease right after claiming).
    """
    moved, now = 0, time.monotonic()
    current = set()
    for raw in client.lrange(PROCESSING, 0, -1):
        task_id = json.loads(raw)["id"]
        if client.exists(lease_key(task_id)):
            continue
        current.add(raw)
        first = suspects.setdefault(raw, now)
        if now - first >= grace and client.lrem(PROCESSING, 1, raw):
            client.rpush(QUEUE, raw)
            suspects.pop(raw, None)
            moved += 1
            logger.warning("task %s requeued: its worker stopped renewing the lease", task_id)
    for raw in list(suspects):
        if raw not in current:
            suspects.pop(raw, None)
    return moved


# --- items ---------------------------------------------------------------------------------
def encode_item(job: str, item) -> str:
    return json.dumps({"type": type(item).__name__, "job": job, **dataclasses.asdict(item)},
                      ensure_ascii=False, default=str)


def decode_item(raw: str):
    data = json.loads(raw)
    cls = ITEM_TYPES[data.pop("type")]
    data.pop("job", None)
    return cls(**data)


class RedisItemPipeline:
    """Worker side: every item goes to its task's job list in Redis (the writer stores it)."""

    def __init__(self, url: str):
        self.client = connect(url)

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("XXGK_REDIS_URL")
        if not url:
            raise NotConfigured
        pipeline = cls(url)
        pipeline.crawler = crawler
        return pipeline

    def process_item(self, item, spider=None):
        spider = spider or self.crawler.spider
        job = spider.site_jobs.get(item.site_id)
        if job is not None:
            self.client.rpush(items_key(job), encode_item(job, item))
        return item


# --- the worker ----------------------------------------------------------------------------
class RedisWorker:
    """Scrapy extension of ``xxgk worker``: claims tasks, feeds the engine, reports them done."""

    def __init__(self, crawler, url: str):
        settings = crawler.settings
        self.crawler = crawler
        self.client = connect(url)
        self.lease = settings.getfloat("XXGK_REDIS_LEASE", 30)
        self.burst = settings.getbool("XXGK_REDIS_BURST")
        per_host = max(1, settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 4))
        self.max_tasks = max(1, settings.getint("XXGK_WORKER_TASKS", 0)
                             or settings.getint("CONCURRENT_REQUESTS", 256) // per_host)
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.tasks: dict[str, dict] = {}          # task id → task (raw JSON in "raw")
        self.site_task: dict[str, str] = {}
        self.slots: dict[str, set] = defaultdict(set)   # site id → download slots it used
        self.idle_once: set = set()
        self.suspects: dict = {}
        self.loop = ttask.LoopingCall(self.tick)

    @classmethod
    def from_crawler(cls, crawler):
        url = crawler.settings.get("XXGK_REDIS_URL")
        if not url:
            raise NotConfigured
        ext = cls(crawler, url)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.idle, signal=signals.spider_idle)
        crawler.signals.connect(ext.scheduled, signal=signals.request_scheduled)
        return ext

    # signals
    def opened(self, spider):
        spider.site_jobs = {}
        known: dict[str, dict] = {}
        spider.previous_documents = lambda site_id: known.pop(site_id, {})
        self.known = known
        self.loop.start(min(1.0, self.lease / 3), now=True)

    def closed(self, spider, reason):
        if self.loop.running:
            self.loop.stop()
        if self.tasks:
            release(self.client, self.tasks)

    def scheduled(self, request, spider):
        site_id = request.meta.get("site_id")
        if site_id in self.site_task:
            self.slots[site_id].add(request.meta.get("download_slot") or host_slot(request.url))

    def idle(self, spider):
        self.tick()
        if self.tasks or not self.burst or self.client.llen(QUEUE) or self.client.llen(PROCESSING):
            raise DontCloseSpider

    # the loop
    def tick(self):
        try:
            self._renew()
            self._finish_idle_tasks()
            requeue_expired(self.client, self.suspects, grace=self.lease / 3)
            if not getattr(self.crawler.spider, "stopping", False):
                self._claim()
        except Exception:      # Redis gone for a moment: try again next tick, keep crawling
            logger.exception("redis worker tick failed")

    def _renew(self):
        ms = int(self.lease * 1000)
        for task_id in self.tasks:
            self.client.set(lease_key(task_id), self.name, px=ms)

    def _claim(self):
        engine, spider = self.crawler.engine, self.crawler.spider
        # a few per tick, so that workers starting together share the queue
        budget = max(1, self.max_tasks // 16)
        while len(self.tasks) < self.max_tasks and budget > 0:
            budget -= 1
            raw = self.client.lmove(QUEUE, PROCESSING, "LEFT", "RIGHT")
            if raw is None:
                return
            task = json.loads(raw)
            task["raw"] = raw
            self.client.set(lease_key(task["id"]), self.name, px=int(self.lease * 1000))
            self.tasks[task["id"]] = task
            portals = [portal_from_dict(p) for p in task["portals"]]
            for portal in portals:
                self.site_task[portal.id] = task["id"]
                spider.site_jobs[portal.id] = task["job"]
                self.known[portal.id] = task.get("known", {}).get(portal.id) or {}
            logger.info("claimed task %s (%d portals)", task["id"], len(portals))
            for out in spider.add_portals(portals):
                if isinstance(out, SiteItem):
                    self.client.rpush(items_key(task["job"]), encode_item(task["job"], out))
                else:
                    engine.crawl(out)

    def _busy(self) -> tuple[set, set]:
        """(site ids, download slots) with a request somewhere in this process's engine."""
        engine = self.crawler.engine
        sites, slots = set(), set()
        requests = list(engine.downloader.active)
        scraper_slot = engine.scraper.slot
        if scraper_slot is not None:
            requests += list(scraper_slot.active)
            requests += [entry[1] for entry in scraper_slot.queue]
        for request in requests:
            sites.add(request.meta.get("site_id"))
        queue = getattr(engine._slot.scheduler, "mqs", None)
        pqueues = getattr(queue, "pqueues", None)
        if pqueues is None:      # not a DownloaderAwarePriorityQueue: only an empty scheduler is idle
            if engine._slot.scheduler.has_pending_requests():
                return set(self.site_task), set()
        else:
            slots = {key for key, pq in pqueues.items() if len(pq)}
        return sites, slots

    def _finish_idle_tasks(self):
        if not self.tasks:
            return
        busy_sites, busy_slots = self._busy()
        spider = self.crawler.spider
        for task_id, task in list(self.tasks.items()):
            site_ids = [p["id"] for p in task["portals"]]
            busy = any(s in busy_sites or self.slots[s] & busy_slots for s in site_ids)
            if busy:
                self.idle_once.discard(task_id)
                continue
            if task_id not in self.idle_once:       # idle twice in a row: done
                self.idle_once.add(task_id)
                continue
            self.idle_once.discard(task_id)
            key = items_key(task["job"])
            for site_id in site_ids:
                for item in spider.finish_site(site_id):
                    self.client.rpush(key, encode_item(task["job"], item))
                self.site_task.pop(site_id, None)
                self.slots.pop(site_id, None)
            pipe = self.client.pipeline()
            pipe.sadd(done_key(task["job"]), task_id)
            pipe.lrem(PROCESSING, 1, task["raw"])
            pipe.delete(lease_key(task_id))
            pipe.execute()
            del self.tasks[task_id]
            logger.info("task %s done", task_id)


def release(client, tasks: dict) -> None:
    """A worker stopping cleanly hands its unfinished tasks back at once (no lease wait)."""
    for task_id, task in list(tasks.items()):
        if client.lrem(PROCESSING, 1, task["raw"]):
            client.rpush(QUEUE, task["raw"])
        client.delete(lease_key(task_id))
        tasks.pop(task_id, None)


# --- the writer ----------------------------------------------------------------------------
class Writer:
    """``xxgk crawl --redis``: queue the tasks, store every item workers send, until all are done.

    ``pipeline`` is a ``StorePipeline`` already opened on the run: items are stored by exactly
    the code a single-process crawl uses.
    """

    def __init__(self, client, pipeline, job: str | None = None, batch: int = 500):
        self.client, self.pipeline = client, pipeline
        self.job = job or uuid.uuid4().hex[:12]
        self.batch = batch
        self.stop_requested = False
        self.site_statuses: dict[str, str] = {}
        self.suspects: dict = {}
        self.task_ids: set = set()

    def submit(self, portals: list[Portal], known=None) -> int:
        tasks = make_tasks(self.job, portals, known)
        self.task_ids = {t["id"] for t in tasks}
        enqueue(self.client, tasks)
        return len(tasks)

    def drain(self) -> int:
        """Store what is waiting in Redis now; returns how many items."""
        raws = self.client.lpop(items_key(self.job), self.batch) or []
        store = self.pipeline.store
        with store.db.conn:        # one transaction per batch
            for raw in raws:
                item = decode_item(raw)
                self.pipeline.process_item(item)
                if isinstance(item, SiteItem):
                    self.site_statuses[item.site_id] = item.status
        return len(raws)

    def finished(self) -> bool:
        return self.client.scard(done_key(self.job)) >= len(self.task_ids)

    def run(self, poll: float = 0.2, on_tick=None) -> bool:
        """Store items until every task is done (True) or a stop was requested (False)."""
        last_check = 0.0
        while True:
            stored = self.drain()
            now = time.monotonic()
            if now - last_check > 2:
                last_check = now
                requeue_expired(self.client, self.suspects)
                if on_tick:
                    on_tick(self)
            if self.stop_requested:
                self.cancel()
                while self.drain():
                    pass
                return False
            if not stored:
                if self.finished() and not self.client.llen(items_key(self.job)):
                    self.cleanup()
                    return True
                time.sleep(poll)

    def cancel(self) -> None:
        """Take this job's tasks that no worker has claimed yet off the queue."""
        for raw in self.client.lrange(QUEUE, 0, -1):
            if json.loads(raw).get("job") == self.job:
                self.client.lrem(QUEUE, 1, raw)

    def cleanup(self) -> None:
        self.client.delete(done_key(self.job), items_key(self.job))

    def statuses(self) -> list[str]:
        return list(self.site_statuses.values())
