"""The portal spider: homepage → 信息公开 entry → column tree → every list page → every detail.

One spider crawls one or many portals concurrently (``-a url=…`` for one ad hoc portal,
``-a seeds=FILE [-a site=a,b]`` for a registry). Every request carries the portal's id as its
``download_slot`` so Scrapy's per-domain politeness applies per portal.

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
from scrapy.http import Response, TextResponse
from twisted.python.failure import Failure

from crawler import content, discover, listing, metadata, paging
from crawler.errors import describe_failure
from crawler.items import ColumnItem, DocumentItem, LinkItem, SiteItem
from crawler.seeds import Portal, load_seeds, site_id_for_url
from crawler.spiders.browser_lists import BrowserLists
from crawler.text import clean
from crawler.urls import is_attachment, same_portal

REPORT_WORDS = ("年度报告", "年报", "年度報告", "年報")
ERROR_STATUSES = list(range(400, 600))


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

    def to_item(self, site_id: str) -> ColumnItem:
        self.emitted = True
        if self.items:
            self.empty_note = None      # a note beside real items explains nothing
        return ColumnItem(site_id=site_id, name=self.name, url=self.url, parent_url=self.parent_url,
                          items=list(self.items.values()), declared_total=self.declared_total,
                          pages=self.pages, empty_note=self.empty_note,
                          http_status=self.http_status, status=self.status,
                          status_reason=self.status_reason)


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

    def site_item(self) -> SiteItem:
        return SiteItem(site_id=self.portal.id, name=self.name or self.portal.name,
                        url=self.portal.url, entry_url=self.entry_url, status=self.status,
                        error=self.error, config=self.portal.as_config(),
                        annual_reports_since=self.portal.annual_reports_since,
                        counts={"pages": self.pages, "columns": len(self.columns),
                                "documents": len(self.documents), "errors": self.errors})


class PortalSpider(BrowserLists, scrapy.Spider):
    name = "portal"

    def __init__(self, url: str | None = None, name: str | None = None, seeds: str | None = None,
                 site: str | None = None, entry: str | None = None,
                 portals: list[Portal] | None = None, **kwargs):
        super().__init__(**kwargs)
        if not portals and seeds:
            portals = load_seeds(seeds).select([s for s in (site or "").split(",") if s])
        elif not portals and url:
            portals = (Portal(id=site_id_for_url(url), url=url, name=name, entry=entry),)
        elif not portals:
            raise ValueError("需要 -a url=网址 或 -a seeds=种子文件")
        self.sites: dict[str, SiteState] = {p.id: SiteState(portal=p) for p in portals}

    # --- settings ------------------------------------------------------------------------
    def _setting(self, name: str, default: int) -> int:
        return self.settings.getint(name, default) if hasattr(self, "settings") else default

    # --- start -----------------------------------------------------------------------------
    async def start(self):
        for item in self.start_requests():
            yield item

    def start_requests(self):
        for state in self.sites.values():
            portal = state.portal
            yield state.site_item()
            yield self._request(portal.url, portal.id, self.parse_home, kind="home",
                                errback=self.on_site_error, handle_all=True)

    def _request(self, url: str, site_id: str, callback, *, kind: str, errback=None,
                 handle_all: bool = False, method: str = "GET", body: str | None = None,
                 headers: dict | None = None, **meta) -> scrapy.Request:
        meta.update({"site_id": site_id, "kind": kind, "download_slot": site_id})
        if handle_all:
            # Error statuses reach the callback (they are findings); 3xx still redirect.
            meta["handle_httpstatus_list"] = ERROR_STATUSES
        # Entry and list pages are deduplicated here (per column, with their POST bodies), so
        # the pending-page counters stay exact; Scrapy's dupefilter only sees details.
        return scrapy.Request(url, callback=callback, errback=errback or self.on_error,
                              method=method, body=body, headers=headers, meta=meta,
                              dont_filter=kind in ("home", "entry", "column", "html", "json",
                                                   "dataproxy", "render", "api"))

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

    # --- list pages ----------------------------------------------------------------------
    def parse_list(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        column = state.columns[response.meta["column_url"]]
        kind = response.meta["kind"]
        try:
            state.pages += 1
            if response.status >= 400 or not isinstance(response, TextResponse):
                column.http_status = response.status
                state.errors += 1
                state.list_errors += 1
                return
            column.pages += 1
            if kind == "dataproxy":
                items, total = paging.parse_dataproxy(response.text, response.url)
                # when the column page stated no total, walk group after group until one is short
                more = paging.dataproxy_followup(response.meta["page_request"], len(items), total)
                pages = paging.Paging(next_pages=more, page_count=None, total_records=total)
            elif kind == "json":
                items, pages = paging.parse_json_list(response.text, response.url)
            else:
                html = response.text
                items = listing.extract_items(html, response.url)
                pages = paging.find_paging(html, response.url)
                if kind == "column" and not items:
                    column.empty_note = discover.explained_empty_note(html)
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
            method = "HEAD" if kind == "attachment_item" else "GET"
            yield self._request(item.url, state.portal.id, self.parse_detail, kind=kind,
                                method=method, handle_all=True, errback=self.on_detail_error,
                                column_url=column.url, list_item=item, list_url=list_url)

    # --- details -----------------------------------------------------------------------
    def parse_detail(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        state.pages += 1
        item: listing.ListItem = response.meta["list_item"]
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=response.meta["list_url"],
                       kind="item", status=response.status)
        doc = DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=response.meta["column_url"], list_date=item.date,
                           http_status=response.status)
        if response.status >= 400:
            state.errors += 1
            doc.error = f"HTTP {response.status}"
            yield doc
            return
        if response.meta["kind"] == "attachment_item" or not isinstance(response, TextResponse):
            yield doc          # a listed file: reachable, no page metadata to read
            return
        html = response.text
        meta = metadata.extract_metadata(html, response.url)
        doc.metadata = meta
        doc.title = item.title or meta.get("title")
        if any(word in (doc.title or "") for word in REPORT_WORDS):
            doc.text = content.main_text(html)
        if self._setting("XXGK_CHECK_ATTACHMENTS", 1):
            doc.attachments = _attachments(response, state)
            for url in doc.attachments:
                yield self._request(url, state.portal.id, self.parse_attachment, kind="attachment",
                                    method="HEAD", handle_all=True, errback=self.on_attachment_error,
                                    source_url=item.url)
        yield doc

    def parse_attachment(self, response: Response):
        state = self.sites[response.meta["site_id"]]
        if response.status in (405, 501) and response.request.method == "HEAD":
            # Some servers refuse HEAD: ask again with GET before calling the link broken.
            yield response.request.replace(method="GET", dont_filter=True)
            return
        if response.status >= 400:
            state.errors += 1
        yield LinkItem(site_id=state.portal.id, url=response.url, source_url=response.meta["source_url"],
                       kind="attachment", status=response.status)

    # --- failures ----------------------------------------------------------------------
    def on_site_error(self, failure: Failure):
        state = self.sites[failure.request.meta["site_id"]]
        where = "首页" if failure.request.meta["kind"] == "home" else "信息公开入口"
        yield from self._unreachable(state, f"{where}无法访问：{describe_failure(failure)}")

    def on_list_error(self, failure: Failure):
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
        self.logger.warning("%s: list page failed: %s (%s)", state.portal.id, failure.request.url,
                            describe_failure(failure))
        if column.pending <= 0 and not column.emitted:
            yield column.to_item(state.portal.id)

    def on_detail_error(self, failure: Failure):
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        state.errors += 1
        item: listing.ListItem = meta["list_item"]
        error = describe_failure(failure)
        yield LinkItem(site_id=state.portal.id, url=item.url, source_url=meta["list_url"],
                       kind="item", status=None, error=error)
        yield DocumentItem(site_id=state.portal.id, url=item.url, title=item.title,
                           column_url=meta["column_url"], list_date=item.date, error=error)

    def on_attachment_error(self, failure: Failure):
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        state.errors += 1
        yield LinkItem(site_id=state.portal.id, url=failure.request.url, source_url=meta["source_url"],
                       kind="attachment", status=None, error=describe_failure(failure))

    def on_error(self, failure: Failure):
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
            for column in list(state.columns.values()):
                if not column.emitted:
                    if column.pending > 0:     # pages (or a browser render) still outstanding
                        column.mark("incomplete", "采集结束时栏目列表尚未读完")
                    yield column.to_item(state.portal.id)
            if state.status == "running":
                # broken documents are findings, not crawl failures; lost list pages are
                state.status = "ok" if state.list_errors == 0 else "partial"
            yield state.site_item()


def _page_title(response: TextResponse) -> str | None:
    title = clean(response.xpath("normalize-space(//title)").get())
    if not title:
        return None
    for sep in ("_", "-", "|", "－", "—"):
        title = title.split(sep)[0].strip() or title
    return title


def _attachments(response: TextResponse, state: SiteState) -> list[str]:
    urls = []
    for href in response.xpath("//a/@href").getall():
        url = response.urljoin(href.strip())
        if is_attachment(url) and url not in urls and same_portal(url, state.portal, state.entry_url):
            urls.append(url)
    return urls

