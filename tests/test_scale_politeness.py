"""Per-host politeness: seeds entries on one host share that host's limits (requests in flight
are measured at the server), and robots.txt is fetched once per host."""

from __future__ import annotations

import threading

import yaml

from crawler.politeness import host_slot
from crawler.store import Store
from _bad_servers import HTML, BadServer


def test_host_slot_is_host_and_port():
    assert host_slot("http://www.hd.gov.cn/gszbm/auto123/") == "www.hd.gov.cn"
    assert host_slot("http://WWW.HD.gov.cn:80/a") == "www.hd.gov.cn"
    assert host_slot("https://www.hd.gov.cn:443/a") == "www.hd.gov.cn"
    assert host_slot("http://127.0.0.1:8081/x") == "127.0.0.1:8081"
    assert host_slot("http://127.0.0.1:8081/x") != host_slot("http://127.0.0.1:8082/x")


def _subsite(prefix: str, n: int) -> dict:
    """A department sub-site under one city domain: /gszbm/<dept>/ → 信息公开 → one column."""
    items = "".join(f'<li><a href="{prefix}xxgk/gzdt/{i}.html">{prefix}信息{i}</a><span>2026-11-01</span></li>'
                    for i in range(n))
    routes = {prefix: (200, HTML, f'<a href="{prefix}xxgk/">政府信息公开</a>'.encode(), 0),
              f"{prefix}xxgk/": (200, HTML, f'<ul><li><a href="{prefix}xxgk/gzdt/">工作动态</a></li></ul>'.encode(), 0),
              f"{prefix}xxgk/gzdt/": (200, HTML, f"<ul>{items}</ul>".encode(), 0)}
    for i in range(n):
        routes[f"{prefix}xxgk/gzdt/{i}.html"] = (200, HTML, b"<p>x</p>", 0.2)
    return routes


def test_two_seeds_entries_on_one_host_share_its_four_requests(tmp_path, xxgk):
    robots_hits = []
    lock = threading.Lock()

    def robots(path):
        with lock:
            robots_hits.append(path)
        return b"User-agent: *\nAllow: /\n"

    routes = {"/robots.txt": (200, {"Content-Type": "text/plain"}, robots, 0),
              **_subsite("/gszbm/auto1/", 16), **_subsite("/gszbm/auto2/", 16)}
    with BadServer(routes) as server:
        seeds = tmp_path / "seeds.yaml"
        seeds.write_text(yaml.safe_dump({"portals": [
            {"id": "dept1", "name": "甲局", "url": server.url + "gszbm/auto1/"},
            {"id": "dept2", "name": "乙局", "url": server.url + "gszbm/auto2/"}]}, allow_unicode=True),
            encoding="utf-8")
        proc = xxgk("crawl", "--seeds", str(seeds), "--db", str(tmp_path / "x.db"), "--delay", "0",
                    "--no-progress")
        peak = server.stats["max_in_flight"]
    assert proc.returncode == 0, proc.stderr
    # each entry alone would be allowed 4; together they are one server and get 4
    assert 1 <= peak <= 4, peak
    assert len(robots_hits) == 1
    store = Store(str(tmp_path / "x.db"))
    try:
        counts = dict(store.db.execute("select site_id, count(*) from documents group by site_id").fetchall())
    finally:
        store.close()
    assert counts == {"dept1": 16, "dept2": 16}


def test_project_settings_wire_host_slots_and_the_connection_fix_together():
    """Both downloader middlewares and the HTTP/1.0-aware handler are in force at once.

    (A settings module that assigns DOWNLOADER_MIDDLEWARES or DOWNLOAD_HANDLERS twice keeps only
    the last; this once silently dropped the host slots of robots.txt and redirects and the
    HTTP/1.0 connection fix.)"""
    from scrapy.core.downloader.handlers import DownloadHandlers
    from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
    from scrapy.settings import Settings
    from scrapy.utils.test import get_crawler

    from crawler import settings as project
    from crawler.connections import ConnectionRetryMiddleware, HTTPDownloadHandler, _HonestPersistenceFactory
    from crawler.politeness import HostSlotMiddleware
    from crawler.spiders.portal import PortalSpider

    settings = Settings()
    settings.setmodule(project, priority="project")
    crawler = get_crawler(PortalSpider, settings_dict=settings.copy_to_dict())
    chain = DownloaderMiddlewareManager.from_crawler(crawler).middlewares
    kinds = [type(mw) for mw in chain]
    assert HostSlotMiddleware in kinds and ConnectionRetryMiddleware in kinds
    assert kinds.index(HostSlotMiddleware) < kinds.index(ConnectionRetryMiddleware)
    handler = DownloadHandlers(crawler)._get_handler("http")
    assert isinstance(handler, HTTPDownloadHandler)
    assert handler._pool._factory is _HonestPersistenceFactory
