"""The portal spider: homepage → 信息公开 entry → column tree → every list page → every detail.

One spider crawls one or many portals concurrently (``-a url=…`` for one ad hoc portal,
``-a seeds=FILE [-a site=a,b]`` for a registry). Every request carries its host as its
``download_slot`` (``crawler.politeness``) so Scrapy's per-domain politeness applies per server,
shared by all seeds entries on that host.

The spider only walks and extracts; what a page *means* is decided by the pure functions in
``crawler.discover``, ``crawler.listing``, ``crawler.paging``, ``crawler.metadata`` and
``crawler.content``. Bookkeeping per column (which list pages are still pending, which items
were listed) lives in small state objects here so a column is emitted, complete, as soon as its
last list page has answered; anything still pending when the crawl stops is flushed by the
pipeline at close, marked partial.

Bounds (settings ``XXGK_MAX_*``) keep the crawl finite on endless calendars and runaway paging:
directory depth, columns per site, pages per column, documents per site; the spider only
follows links the extractors classify (entry, columns, paging, items), never arbitrary links.
"""

from __future__ import annotations

from urllib.parse import urlencode

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import dialects, discover, homepage, listing, paging
from crawler.errors import describe_failure
from crawler.items import HomeItem
from crawler.politeness import host_slot
from crawler.seeds import Portal, load_seeds, site_id_for_url
from crawler.stopping import CrawlStopped
from crawler.spiders.browser_lists import BrowserLists
from crawler.spiders.details import DetailPages
from crawler.spiders.link_retry import EndOfCrawlRetry
from crawler.spiders.state import ColumnState, SiteState
from crawler.text import clean
from crawler.urls import same_portal

ERROR_STATUSES = list(range(400, 600))
CHECK_STATUSES = [304, *ERROR_STATUSES]     # a conditional GET answers 304 Not Modified


class PortalSpider(DetailPages, EndOfCrawlRetry, BrowserLists, scrapy.Spider):
    name = "portal"

    def __init__(self, url: str | None = None, name: str | None = None, seeds: str | None = None,
                 site: str | None = None, entry: str | None = None,
                 portals: list[Portal] | None = None, worker: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.worker = worker
        if worker:         # `xxgk worker`: portals arrive from the Redis queue (add_portals)
            portals = list(portals or [])
        elif not portals and seeds:
            portals = load_seeds(seeds).select([s for s in (site or "").split(",") if s])
        elif not portals and url:
            portals = (Portal(id=site_id_for_url(url), url=url, name=name, entry=entry),)
        elif not portals:
            raise ValueError("需要 -a url=网址 或 -a seeds=种子文件")
        self.sites: dict[str, SiteState] = {p.id: SiteState(portal=p) for p in portals}

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider

    # --- settings ------------------------------------------------------------------------
    def _setting(self, name: str, default: int) -> int:
        return self.settings.getint(name, default) if hasattr(self, "settings") else default

    # --- start -----------------------------------------------------------------------------
    async def start(self):
        for item in self.start_requests():
            yield item

    def start_requests(self):
        if self.worker:     # a worker's portals are started by crawler.distributed.RedisWorker
            return
        for state in self.sites.values():
            portal = state.portal
            yield state.site_item()
            yield self._request(portal.url, portal.id, self.parse_home, kind="home",
                                errback=self.on_site_error, handle_all=True)

    def add_portals(self, portals: list[Portal]) -> list:
        """Start crawling more portals in a running crawl (a Redis worker's claimed task):
        their first SiteItems and homepage requests, for the caller to hand to the engine."""
        out = []
        for portal in portals:
            self.sites[portal.id] = state = SiteState(portal=portal)
            out.append(state.site_item())
            out.append(self._request(portal.url, portal.id, self.parse_home, kind="home",
                                     errback=self.on_site_error, handle_all=True))
        return out

    def _request(self, url: str, site_id: str, callback, *, kind: str, errback=None,
                 handle_all: bool = False, method: str = "GET", body: str | None = None,
                 headers: dict | None = None, **meta) -> scrapy.Request:
        meta.update({"site_id": site_id, "kind": kind, "download_slot": host_slot(url)})
        if handle_all:
            # Error statuses reach the callback (they are findings); 3xx still redirect.
            meta["handle_httpstatus_list"] = ERROR_STATUSES if kind != "detail_check" else CHECK_STATUSES
        # Entry and list pages are deduplicated here (per column, with their POST bodies), so
        # the pending-page counters stay exact; Scrapy's dupefilter only sees details.
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error,
                              method=method, body=body, headers=headers, meta=meta,
                              dont_filter=kind in ("home", "home2", "entry", "column", "html",
                                                   "json", "dataproxy", "render", "api", *dialects.KINDS))

    # --- homepage and directories -------------------------------------------------------
    def parse_home(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        if response.status >= 400 or not isinstance(response, TextResponse):
            yield from self._unreachable(state, self._status_error(response, "首页"))
            return
        state.reached = True
        state.pages += 1
        html = response.text
        state.name = state.name or state.portal.name or _page_title(response)
        yield from self._read_home(state, response)
        entry = state.portal.entry or discover.find_entry(html, response.url)
        if entry and entry.rstrip("/") != response.url.rstrip("/"):
            state.entry_url = entry
            yield state.site_item()
            yield self._request(entry, state.portal.id, self.parse_entry, kind="entry",
                                errback=self.on_site_error, handle_all=True)
            return
        state.entry_url = response.url
        yield state.site_item()
        yield from self.parse_directory(response, depth=1)

    # --- homepage updates (homepage_stale) ----------------------------------------------
    def _read_home(self, state: SiteState, response: TextResponse):
        """Store the homepage's list items; a navigation-only homepage: read its 二级页面."""
        read = homepage.read_home(response.text, response.url)
        state.home_status, state.home_reason = read.status, read.reason
        yield HomeItem(site_id=state.portal.id, page_url=response.url, level=1,
                       items=_home_rows(read.items, read.shown))
        if read.status == "none":
            for url in homepage.level2_links(response.text, response.url):
                yield self._request(url, state.portal.id, self.parse_home2, kind="home2",
                                    handle_all=True, errback=self.on_error)

    def parse_home2(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        state.pages += 1
        if response.status >= 400 or not isinstance(response, TextResponse):
            return
        read = homepage.read_home(response.text, response.url)
        if read.items:
            yield HomeItem(site_id=state.portal.id, page_url=response.url, level=2,
                           items=_home_rows(read.items, read.shown))

    def parse_entry(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        if response.status >= 400 or not isinstance(response, TextResponse):
            yield from self._unreachable(state, self._status_error(response, "信息公开入口"))
            return
        state.pages += 1
        yield from self.parse_directory(response, depth=1)

    def parse_directory(self, response: TextResponse, depth: int, parent_url: str | None = None):
        """Queue every column linked from a directory page (the 信息公开 home or a column group)."""
        state = self.sites[response.meta["site_id"]]
        state.directories.add(response.url)
        tree = dialects.read_page(response.text, response.url)
        if tree is not None and tree.kind == "directory" and tree.columns:
            yield from self._dialect_columns(state, tree.columns, parent_url or response.url)
            return
        for link in discover.find_columns(response.text, response.url):
            if link.url in state.columns or link.url in state.directories or link.url in state.not_columns:
                continue
            if not same_portal(link.url, state.portal, state.entry_url):
                continue
            if len(state.columns) >= self._setting("XXGK_MAX_COLUMNS_PER_SITE", 300):
                self.logger.warning("%s: column limit reached, %s not crawled", state.portal.id, link.url)
                break
            column = ColumnState(name=link.name, url=link.url, parent_url=parent_url or response.url)
            state.columns[link.url] = column
            column.pending += 1
            column.seen_pages.add(("GET", link.url, ()))
            yield self._request(link.url, state.portal.id, self.parse_list, kind="column",
                                column_url=link.url, depth_dir=depth, handle_all=True,
                                errback=self.on_list_error)

    def _dialect_columns(self, state: SiteState, columns: list[dialects.DialectColumn], parent_url: str):
        """Queue the columns of a platform's own column tree (gkmlpt ``_CONFIG.TREE``): each is
        fetched through its list request when it has one, else as an ordinary column page."""
        for link in columns:
            if link.url in state.columns or not same_portal(link.url, state.portal, state.entry_url):
                continue
            if len(state.columns) >= self._setting("XXGK_MAX_COLUMNS_PER_SITE", 300):
                break
            column = ColumnState(name=link.name, url=link.url, parent_url=parent_url)
            state.columns[link.url] = column
            if link.request is None:
                column.pending += 1
                column.seen_pages.add(("GET", link.url, ()))
                yield self._request(link.url, state.portal.id, self.parse_list, kind="column",
                                    column_url=link.url, depth_dir=1, handle_all=True,
                                    errback=self.on_list_error)
            else:
                column.declared_total = link.post_count
                yield from self._follow_pages(state, column, [link.request])

    # --- list pages ----------------------------------------------------------------------
    def parse_list(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        column = state.columns[response.meta["column_url"]]
        kind = response.meta["kind"]
        try:
            state.pages += 1
            if dialects.handles(kind) and dialects.ends_list(kind, response.status, response.meta["page_request"]):
                return                      # past the last page: the list is complete
            if response.status >= 400 or not isinstance(response, TextResponse):
                column.http_status = response.status
                state.errors += 1
                state.list_errors += 1
                self._list_page_lost(column, response.request, kind, self._status_error(response, "列表页"))
                return
            column.pages += 1
            if kind == "dataproxy":
                items, total = paging.parse_dataproxy(response.text, response.url)
                # when the column page stated no total, walk group after group until one is short
                more = paging.dataproxy_followup(response.meta["page_request"], len(items), total)
                pages = paging.Paging(next_pages=more, page_count=None, total_records=total)
            elif kind == "json":
                items, pages = paging.parse_json_list(response.text, response.url)
            elif dialects.handles(kind):
                items, pages = dialects.read_answer(kind, response.text, response.meta["page_request"],
                                                    response.status, known=set(column.items))
                problem = dialects.answer_problem(kind, response.text, response.status)
                if problem:
                    state.list_errors += 1
                    column.mark("incomplete" if column.items else "unreadable", f"{problem}（{response.url}）")
            else:
                html = response.text
                items, pages = self._read_list_page(html, response.url)
                if kind == "column" and not items:
                    column.empty_note = discover.explained_empty_note(html, response.url)
                    if not pages.next_pages:
                        yield from self._column_without_items(state, column, response)
                        return
            column.add(items)
            if pages.total_records and not column.declared_total:
                column.declared_total = pages.total_records
            yield from self._follow_pages(state, column, pages.next_pages)
            yield from self._follow_items(state, column, items, response.url)
        finally:
            column.pending -= 1
            if column.pending <= 0 and not column.emitted and column.url in state.columns:
                yield column.to_item(state.portal.id)

    @staticmethod
    def _read_list_page(html: str, url: str) -> tuple[list, paging.Paging]:
        """Items and further pages of a list page: a CMS dialect first (its API requests), then
        the generic readers. (A browser step, when there is one, comes after both found nothing.)"""
        found = dialects.read_page(html, url)
        if found is not None and found.kind == "list" and (found.items or found.paging.next_pages):
            return found.items, found.paging
        return listing.extract_items(html, url), paging.find_paging(html, url)

    def _column_without_items(self, state: SiteState, column: ColumnState, response: TextResponse):
        """A column page with no items: an empty column, a column group, or a content page."""
        html = response.text
        depth = response.meta.get("depth_dir", 1)
        note = column.empty_note
        kind = discover.classify_page(html, response.url)
        if note is None and kind == "directory" and depth < self._setting("XXGK_MAX_DIRECTORY_DEPTH", 3):
            known = set(state.columns) | state.directories | state.not_columns
            children = [c for c in discover.find_columns(html, response.url) if c.url not in known]
            if children:
                del state.columns[column.url]
                yield from self.parse_directory(response, depth + 1, parent_url=column.url)
                return
        if note is None:
            # A list drawn by script: the browser engine (or "需要浏览器引擎"), see browser_lists.
            handled = self.script_drawn_list(state, column, response)
            if handled is not False:
                yield from handled
                return
        if note is None and kind == "detail":
            # A single content page such as 政府信息公开指南: not a list column.
            del state.columns[column.url]
            state.not_columns.add(column.url)
            return

    def _follow_pages(self, state: SiteState, column: ColumnState, requests: list[paging.PageRequest]):
        limit = self._setting("XXGK_MAX_PAGES_PER_COLUMN", 500)
        for page in requests:
            key = (page.method, page.url, tuple(page.formdata))
            if key in column.seen_pages or not same_portal(page.url, state.portal, state.entry_url):
                continue
            if len(column.seen_pages) >= limit:
                self.logger.warning("%s: page limit %d reached in %s", state.portal.id, limit, column.url)
                column.mark("incomplete", f"列表页超过{limit}页的上限，其余未读取")
                break
            column.seen_pages.add(key)
            column.pending += 1
            body, headers = None, None
            if page.method == "POST":
                body = urlencode(list(page.formdata))
                headers = {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"}
            yield self._request(page.url, state.portal.id, self.parse_list, kind=page.kind,
                                column_url=column.url, method=page.method, body=body,
                                headers=headers, handle_all=True, errback=self.on_list_error,
                                page_request=page)

    # --- failures ----------------------------------------------------------------------
    stopping = False     # set by crawler.stopping.CleanStop on the first SIGTERM / Ctrl-C

    def _not_seen(self, failure: Failure) -> bool:
        """A request cancelled by a stop (or failing while the crawl stops) saw nothing:
        it must not become a broken link or an unreachable site."""
        return self.stopping or bool(failure.check(CrawlStopped))

    def on_site_error(self, failure: Failure):
        if self._not_seen(failure):
            return
        state = self.sites[failure.request.meta["site_id"]]
        where = "首页" if failure.request.meta["kind"] == "home" else "信息公开入口"
        yield from self._unreachable(state, f"{where}无法访问：{describe_failure(failure)}")

    def on_list_error(self, failure: Failure):
        if self._not_seen(failure):
            return
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        state.errors += 1
        state.list_errors += 1
        column = state.columns.get(meta["column_url"])
        if column is None:
            return
        column.pending -= 1
        if meta["kind"] == "column":
            column.http_status = column.http_status or 0
        self._list_page_lost(column, failure.request, meta["kind"],
                             f"无法访问（重试后仍失败）：{describe_failure(failure)}")
        self.logger.warning("%s: list page failed: %s (%s)", state.portal.id, failure.request.url,
                            describe_failure(failure))
        if column.pending <= 0 and not column.emitted:
            yield column.to_item(state.portal.id)

    @staticmethod
    def _list_page_lost(column: ColumnState, request, kind: str, why: str) -> None:
        """The column's own page lost → unreadable; a later list page lost → incomplete."""
        if kind == "column":
            column.mark("unreadable", f"栏目页{why.removeprefix('列表页')}")
        else:
            page = request.url if request.method == "GET" else f"{request.method} {request.url}"
            column.mark("incomplete", f"列表分页{why.removeprefix('列表页')}：{page}")

    def on_error(self, failure: Failure):
        if self._not_seen(failure):
            return
        meta = failure.request.meta
        self.sites[meta["site_id"]].errors += 1
        self.logger.warning("request failed: %s (%s)", failure.request.url, describe_failure(failure))

    def _unreachable(self, state: SiteState, error: str):
        state.status, state.error = "unreachable", error
        self.logger.error("%s: %s", state.portal.id, error)
        yield state.site_item()

    @staticmethod
    def _status_error(response: Response, where: str) -> str:
        if response.status >= 400:
            return f"{where}返回 HTTP {response.status}"
        return f"{where}不是网页（{response.headers.get('Content-Type', b'').decode('latin-1')}）"

    # --- end of crawl ------------------------------------------------------------------
    def final_items(self):
        """Columns still pending and every site's final status; the pipeline stores them at close."""
        for state in self.sites.values():
            yield from self._final_site_items(state)

    def finish_site(self, site_id: str) -> list:
        """A site whose crawl is over (a worker saw it idle): its final items; its state is freed."""
        state = self.sites.pop(site_id, None)
        return list(self._final_site_items(state)) if state else []

    def _final_site_items(self, state: SiteState):
        yield from self._unretried(state)
        for column in list(state.columns.values()):
            if not column.emitted:
                if column.pending > 0:
                    column.mark("incomplete", "采集被中止，栏目列表未读完" if self.stopping
                                else "采集结束时栏目列表尚未读完")
                yield column.to_item(state.portal.id)
        if state.status == "running" and self.stopping:
            state.status = "partial"     # the crawl was stopped before this site was done
        elif state.status == "running":
            # broken documents are findings, not crawl failures; lost list pages and
            # columns not seen completely are
            complete = state.list_errors == 0 and all(c.status == "ok" for c in state.columns.values())
            state.status = "ok" if complete else "partial"
        yield state.site_item()


def _page_title(response: TextResponse) -> str | None:
    title = clean(response.xpath("normalize-space(//title)").get())
    if not title:
        return None
    for sep in ("_", "-", "|", "－", "—"):
        title = title.split(sep)[0].strip() or title
    return title


def _home_rows(items, shown: dict | None = None) -> list[dict]:
    """``home_items`` rows; ``date_shown`` keeps a year-less date text whose year was inferred."""
    shown = shown or {}
    return [{"url": i.url, "title": i.title, "list_date": i.date, "position": n,
             "date_shown": shown.get(i.url)} for n, i in enumerate(items)]
