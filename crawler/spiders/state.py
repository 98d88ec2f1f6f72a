"""What the portal spider remembers while it crawls: per site and per column, bounded.

A column's state holds its listed items and the list pages still pending, so a column is
emitted, complete, as soon as its last list page has answered; an emitted column keeps no item
list and no page keys. A site's state holds the URLs it has queued and the links deferred to
the end of the crawl.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler import listing
from crawler.items import ColumnItem, SiteItem
from crawler.seeds import Portal


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
