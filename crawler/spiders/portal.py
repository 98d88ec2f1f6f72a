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

from dataclasses import dataclass, field
from urllib.parse import urlencode

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import attachments, content, dialects, discover, homepage, incremental, listing, metadata, paging
from crawler.errors import DEFINITE_STATUSES, describe_failure
from crawler.items import ColumnItem, DocumentItem, HomeItem, LinkItem, SiteItem
from crawler.politeness import host_slot
from crawler.seeds import Portal, load_seeds, site_id_for_url
from crawler.stopping import CrawlStopped
from crawler.spiders.browser_lists import BrowserLists
from crawler.text import clean
from crawler.urls import is_attachment, same_portal

REPORT_WORDS = ("年度报告", "年报", "年度報告", "年報")
ERROR_STATUSES = list(range(400, 600))
CHECK_STATUSES = [304, *ERROR_STATUSES]     # a conditional GET answers 304 Not Modified


@dataclass
class ColumnState:
    name: str
    url: str
    parent_url: str | None
    items: dict[str, dict] = field(default_factory=dict)
    seen_pages: set = field(default_factory=set)
    pending: int = 0
    pages: int = 0
    declared_total: int | None = None
    empty_note: str | None = None
    http_status: int | None = None
    status: str = "ok"                 # ok | unreadable | incomplete (see ColumnItem)
    status_reason: str | None = None
    emitted: bool = False

    def mark(self, status: str, reason: str) -> None:
        """Record what could not be seen; ``unreadable`` outranks ``incomplete``."""
        if self.status == "unreadable" and status == "incomplete":
            return
        self.status = status
        self.status_reason = reason if not self.status_reason or self.status_reason == reason \
            else f"{self.status_reason}；{reason}"

    def add(self, items: list[listing.ListItem]) -> None:
        for item in items:
            if item.url not in self.items:
                self.items[item.url] = {"url": item.url, "title": item.title,
                                        "list_date": item.date, "position": len(self.items)}

    def check_declared_total(self) -> None:
        """A column that states more records (totalrecord, 共N条 …) than were read is incomplete."""
        if self.declared_total and len(self.items) < self.declared_total:
            self.mark("incomplete", f"栏目标明共{self.declared_total}条信息，只读取到{len(self.items)}条")

    def to_item(self, site_id: str) -> ColumnItem:
        self.emitted = True
        self.check_declared_total()
        if self.items:
            self.empty_note = None      # a note beside real items explains nothing
        item = ColumnItem(site_id=site_id, name=self.name, url=self.url, parent_url=self.parent_url,
                          items=list(self.items.values()), declared_total=self.declared_total,
                          pages=self.pages, empty_note=self.empty_note,
                          http_status=self.http_status, status=self.status,
                          status_reason=self.status_reason)
        # bounded per-site state: an emitted column keeps no item list and no page keys
        self.items, self.seen_pages = {}, set()
        return item


@dataclass
class SiteState:
    portal: Portal
    entry_url: str | None = None
    reached: bool = False
    status: str = "running"
    error: str | None = None
    name: str | None = None
    columns: dict[str, ColumnState] = field(default_factory=dict)
    directories: set = field(default_factory=set)
    not_columns: set = field(default_factory=set)      # content pages such as 指南
    documents: set = field(default_factory=set)
    errors: int = 0          # every failed fetch (broken links included)
    list_errors: int = 0     # failed list pages: the crawl of a column is incomplete
    pages: int = 0
    home_status: str | None = None    # what the homepage showed of its updates (homepage_stale)
    home_reason: str | None = None
    #: Items/attachments that failed indefinitely (5xx, timeout, refused): (request, status,
    #: error), asked again once at the end of the crawl (``on_idle``).
    retry_later: list = field(default_factory=list)
    known: dict | None = None  # stored documents by URL (incremental re-crawl), loaded lazily

    def site_item(self) -> SiteItem:
        return SiteItem(site_id=self.portal.id, name=self.name or self.portal.name,
                        url=self.portal.url, entry_url=self.entry_url, status=self.status,
                        error=self.error, config=self.portal.as_config(),
                        annual_reports_since=self.portal.annual_reports_since,
                        home_status=self.home_status, home_reason=self.home_reason,
                        counts={"pages": self.pages, "columns": len(self.columns),
                                "documents": len(self.documents), "errors": self.errors})


class PortalSpider(BrowserLists, scrapy.Spider):
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

    def _follow_items(self, state: SiteState, column: ColumnState, items, list_url: str):
        limit = self._setting("XXGK_MAX_DOCUMENTS_PER_SITE", 50000)
        for item in items:
            if item.url in state.documents or not same_portal(item.url, state.portal, state.entry_url):
                continue
            if len(state.documents) >= limit:
                break
            state.documents.add(item.url)
            kind = "attachment_item" if is_attachment(item.url) else "detail"
            method = "HEAD" if kind == "attachment_item" and not _report_file(item.url, item.title) else "GET"
            known = self._known(state).get(item.url) if kind == "detail" else None
            if incremental.carry(known, item.title, item.date):
                # checked fine within the window and listed unchanged: no request at all
                yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                                   column_url=column.url, list_date=item.date, kept=True, carried=True)
                continue
            check = incremental.recheck(known, item.title, item.date)
            if check is not None:
                yield self._request(item.url, state.portal.id, self.parse_detail, kind="detail_check",
                                    method=check.method, headers=check.headers, handle_all=True,
                                    errback=self.on_detail_error, column_url=column.url,
                                    list_item=item, list_url=list_url,
                                    known_attachments=check.attachments)
                continue
            yield self._request(item.url, state.portal.id, self.parse_detail, kind=kind,
                                method=method, handle_all=True, errback=self.on_detail_error,
                                column_url=column.url, list_item=item, list_url=list_url)

    def _known(self, state: SiteState) -> dict:
        """The site's stored documents (empty on a first or a ``--full`` crawl)."""
        if state.known is None:
            previous = getattr(self, "previous_documents", None)
            state.known = previous(state.portal.id) if previous else {}
        return state.known

    # --- details -----------------------------------------------------------------------
    def parse_detail(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        state.pages += 1
        item: listing.ListItem = response.meta["list_item"]
        if self._defer(state, response.request, response.status, None):
            return
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=response.meta["list_url"],
                       kind="item", status=response.status, retried=_retried(response.request))
        doc = DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=response.meta["column_url"], list_date=item.date,
                           http_status=response.status)
        if response.status >= 400:
            state.errors += 1
            doc.error = f"HTTP {response.status}"
            yield doc
            return
        if response.meta["kind"] == "detail_check":
            if incremental.unchanged(response.request.method, response.status):
                doc.kept = True
                yield doc
                yield from self._recheck_attachments(state, response.meta["known_attachments"], item.url)
                return
            if response.request.method == "HEAD":
                # a HEAD that says nothing useful (405, odd status): read the page after all
                yield response.request.replace(method="GET", headers={}, dont_filter=True,
                                               meta={**response.meta, "kind": "detail"})
                return
        doc.etag, doc.last_modified = incremental.validators(response.headers)
        if response.meta["kind"] == "attachment_item" or not isinstance(response, TextResponse):
            if response.request.method == "GET" and _report_file(item.url, item.title):
                _read_report_file(doc, response)   # a 年报 listed as a PDF/DOC(X) file
            yield doc          # a listed file: reachable, no page metadata to read
            return
        html = response.text
        meta = metadata.extract_metadata(html, response.url)
        doc.metadata = meta
        doc.title = item.title or meta.get("title")
        if any(word in (doc.title or "") for word in REPORT_WORDS):
            doc.text = content.main_text(html)
        report_file = _report_attachment(doc, response, state)
        if report_file:
            # The 年报 is the attachment ("附件下载"): read it before the document is stored.
            # never dropped as a duplicate: the document is only stored by its callback
            yield self._request(report_file, state.portal.id, self.parse_report_file, kind="attachment",
                                handle_all=True, errback=self.on_report_file_error, source_url=item.url,
                                doc=doc, download_maxsize=attachments.MAX_BYTES).replace(dont_filter=True)
        if self._setting("XXGK_CHECK_ATTACHMENTS", 1):
            doc.attachments = _attachments(response, state)
            for url in doc.attachments:
                if url == report_file:
                    continue
                yield self._request(url, state.portal.id, self.parse_attachment, kind="attachment",
                                    method="HEAD", handle_all=True, errback=self.on_attachment_error,
                                    source_url=item.url)
        if not report_file:
            yield doc

    def parse_report_file(self, response: Response):
        """The 年报 attachment of a report page: its text becomes the document's text."""
        state = self.sites[response.meta["site_id"]]
        doc: DocumentItem = response.meta["doc"]
        if response.status >= 400:
            state.errors += 1
        else:
            _read_report_file(doc, response)
        yield LinkItem(site_id=state.portal.id, url=response.url, source_url=response.meta["source_url"],
                       kind="attachment", status=response.status)
        yield doc

    def _recheck_attachments(self, state: SiteState, urls: list[str], source_url: str):
        """A kept document's attachments are still checked (broken links are per crawl)."""
        if not self._setting("XXGK_CHECK_ATTACHMENTS", 1):
            return
        for url in urls:
            if same_portal(url, state.portal, state.entry_url):
                yield self._request(url, state.portal.id, self.parse_attachment, kind="attachment",
                                    method="HEAD", handle_all=True, errback=self.on_attachment_error,
                                    source_url=source_url)

    def on_report_file_error(self, failure: Failure):
        meta = failure.request.meta
        yield from self.on_attachment_error(failure)
        yield meta["doc"]

    def parse_attachment(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        if response.status in (405, 501) and response.request.method == "HEAD":
            # Some servers refuse HEAD: ask again with GET before calling the link broken.
            yield response.request.replace(method="GET", dont_filter=True)
            return
        if self._defer(state, response.request, response.status, None):
            return
        if response.status >= 400:
            state.errors += 1
        yield LinkItem(site_id=state.portal.id, url=response.url, source_url=response.meta["source_url"],
                       kind="attachment", status=response.status, retried=_retried(response.request))

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

    def on_detail_error(self, failure: Failure):
        if self._not_seen(failure):
            return
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        error = describe_failure(failure)
        if self._defer(state, failure.request, None, error):
            return
        state.errors += 1
        item: listing.ListItem = meta["list_item"]
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=meta["list_url"],
                       kind="item", status=None, error=error, retried=_retried(failure.request))
        yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=meta["column_url"], list_date=item.date, error=error)

    def on_attachment_error(self, failure: Failure):
        if self._not_seen(failure):
            return
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        error = describe_failure(failure)
        if self._defer(state, failure.request, None, error):
            return
        state.errors += 1
        yield LinkItem(site_id=state.portal.id, url=failure.request.url, source_url=meta["source_url"],
                       kind="attachment", status=None, error=error, retried=_retried(failure.request))

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

    # --- end-of-crawl retry of indefinite link failures ---------------------------------
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


def _retried(request) -> int:
    """1 when this answer is the end-of-crawl retry of an earlier failure."""
    return 1 if request.meta.get("end_retry") else 0


def _home_rows(items, shown: dict | None = None) -> list[dict]:
    """``home_items`` rows; ``date_shown`` keeps a year-less date text whose year was inferred."""
    shown = shown or {}
    return [{"url": i.url, "title": i.title, "list_date": i.date, "position": n,
             "date_shown": shown.get(i.url)} for n, i in enumerate(items)]


def _attachments(response: TextResponse, state: SiteState) -> list[str]:
    urls = []
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        if is_attachment(url) and url not in urls and same_portal(url, state.portal, state.entry_url):
            urls.append(url)
    return urls



def _report_file(url: str, title: str | None) -> bool:
    """A listed 年报 that is itself a readable file (PDF/DOC/DOCX)."""
    return attachments.is_readable(url) and any(word in (title or "") for word in REPORT_WORDS)


def _report_attachment(doc: DocumentItem, response: TextResponse, state: SiteState) -> str | None:
    """The attachment to read for a 年报 page whose body does not hold the report itself (no
    applications table, little text) but links a PDF/DOC/DOCX: the first such link."""
    if not doc.text and not any(word in (doc.title or "") for word in REPORT_WORDS):
        return None
    if doc.text and ("本年新收" in doc.text or len(doc.text) > 1500):
        return None
    return next((url for url in _attachments(response, state) if attachments.is_readable(url)), None)


def _read_report_file(doc: DocumentItem, response: Response) -> None:
    """Put an attached 年报's text into the document (its tables as " | " rows); a scan or an
    unreadable file leaves the text as it was and says why in the metadata."""
    name = response.url.rsplit("/", 1)[-1]
    ctype = response.headers.get("Content-Type", b"").decode("latin-1")
    extracted = attachments.extract(response.body, name, ctype)
    if extracted.text:
        doc.text = "\n".join(t for t in (doc.text, extracted.text) if t)
    doc.metadata = {**(doc.metadata or {}), "report_file": response.url, "report_file_status": extracted.status,
                    **({"report_file_note": extracted.note} if extracted.note else {})}
