"""What the portal spider yields. Plain dataclasses: the pipeline maps them to store rows."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SiteItem:
    """A portal was reached (or not): the ``sites`` row and this run's ``crawls`` row."""

    site_id: str
    name: str | None
    url: str
    entry_url: str | None = None
    status: str = "running"          # running | ok | partial | unreachable
    error: str | None = None
    config: dict = field(default_factory=dict)
    annual_reports_since: int | None = None
    counts: dict = field(default_factory=dict)
    # What the homepage showed of its updates (crawler/homepage.py): ok | script | none, and why.
    home_status: str | None = None
    home_reason: str | None = None


@dataclass
class ColumnItem:
    """One list column with every item it listed in this crawl."""

    site_id: str
    name: str
    url: str
    parent_url: str | None
    items: list[dict]                # {url, title, list_date, position}
    declared_total: int | None = None
    pages: int = 0
    empty_note: str | None = None
    http_status: int | None = None
    # What the crawler could see of this column (docs/ARCHITECTURE.md, "column status"):
    # ``ok`` (read completely), ``unreadable`` (its list could not be read at all: script-drawn
    # list without a browser, list request failed) or ``incomplete`` (some list pages or
    # records could not be read). ``status_reason`` says why, in Chinese, for a person.
    status: str = "ok"
    status_reason: str | None = None

    @property
    def latest_date(self) -> str | None:
        dates = [i["list_date"] for i in self.items if i.get("list_date")]
        return max(dates) if dates else None


@dataclass
class DocumentItem:
    """A listed document and the metadata of its detail page (or why it could not be read)."""

    site_id: str
    url: str
    title: str | None
    column_url: str | None
    list_date: str | None
    metadata: dict = field(default_factory=dict)
    http_status: int | None = None
    error: str | None = None
    text: str | None = None
    attachments: list[str] = field(default_factory=list)
    # Incremental re-crawl: the page's HTTP validators, and ``kept`` when a conditional GET
    # (304) or a HEAD showed the stored row still holds (the row is kept, not re-read).
    etag: str | None = None
    last_modified: str | None = None
    kept: bool = False
    # ``carried``: kept without any request (list entry unchanged, checked fine recently).
    carried: bool = False


@dataclass
class HomeItem:
    """The list items a homepage (level 1) or one of its 二级页面 (level 2) showed (homepage_stale)."""

    site_id: str
    page_url: str
    level: int
    items: list[dict]                # {url, title, list_date, position}


@dataclass
class LinkItem:
    """The outcome of fetching a listed item or an attachment (for broken_link)."""

    site_id: str
    url: str
    source_url: str | None
    kind: str                       # item | attachment
    status: int | None
    error: str | None = None
    retried: int = 0                # 1: the answer of the end-of-crawl retry of an earlier failure
