"""Live progress on a terminal: pages, columns, documents, errors, per site.

A Scrapy extension (enabled by ``XXGK_PROGRESS``, which the CLI sets only when stdout is a
TTY) that listens to signals and redraws a rich table twice a second. It raises
NotConfigured when off, as Scrapy's own optional extensions do.
"""

from __future__ import annotations

from collections import Counter

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.items import ColumnItem, DocumentItem, LinkItem, SiteItem


class LiveProgress:
    def __init__(self, crawler):
        from rich.console import Console
        from rich.live import Live

        self.crawler = crawler
        self.pages: Counter = Counter()
        self.columns: Counter = Counter()
        self.documents: Counter = Counter()
        self.errors: Counter = Counter()
        self.status: dict[str, str] = {}
        self.console = Console(stderr=True)
        self.live = Live(console=self.console, refresh_per_second=4, transient=False)
        self.loop = task.LoopingCall(self.refresh)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("XXGK_PROGRESS"):
            raise NotConfigured
        ext = cls(crawler)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response, signal=signals.response_received)
        crawler.signals.connect(ext.item, signal=signals.item_scraped)
        return ext

    def opened(self, spider):
        self.live.start()
        self.loop.start(0.5, now=True)

    def closed(self, spider, reason):
        if self.loop.running:
            self.loop.stop()
        self.refresh()
        self.live.stop()

    def response(self, response, request, spider):
        site = request.meta.get("site_id")
        if site:
            self.pages[site] += 1

    def item(self, item, response, spider):
        if isinstance(item, DocumentItem):
            self.documents[item.site_id] += 1
            if item.error:
                self.errors[item.site_id] += 1
        elif isinstance(item, ColumnItem):
            self.columns[item.site_id] += 1
        elif isinstance(item, LinkItem) and (item.error or (item.status or 0) >= 400):
            self.errors[item.site_id] += 1
        elif isinstance(item, SiteItem):
            self.status[item.site_id] = item.status

    def refresh(self):
        from rich.table import Table

        labels = {"running": "采集中", "ok": "完成", "partial": "部分完成", "unreachable": "无法访问"}
        table = Table(title="采集进度", expand=False)
        for header in ("站点", "状态", "页面", "栏目", "文档", "错误"):
            table.add_column(header, justify="right" if header not in ("站点", "状态") else "left")
        for site in sorted(set(self.status) | set(self.pages)):
            table.add_row(site, labels.get(self.status.get(site, ""), self.status.get(site, "")),
                          str(self.pages[site]), str(self.columns[site]),
                          str(self.documents[site]), str(self.errors[site]))
        table.add_row("合计", "", str(sum(self.pages.values())), str(sum(self.columns.values())),
                      str(sum(self.documents.values())), str(sum(self.errors.values())))
        self.live.update(table)
