"""Bad input never crashes a crawl nor corrupts the database: it becomes a status, an error
message or a finding, and the crawl goes on (down, 5xx, redirect loop, garbage, slow, GBK,
endless calendar)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store
from _bad_servers import HTML, ROBOTS, BadServer, closed_port_url
from conftest import REPO

FAST = ("--delay", "0", "--concurrency", "8")


def _crawls(db):
    store = Store(db)
    try:
        return store.rows("runs"), store.rows("crawls")
    finally:
        store.close()


def test_unreachable_site_gives_message_failed_run_and_exit_3(tmp_path, xxgk):
    db = str(tmp_path / "x.db")
    url = closed_port_url()
    proc = xxgk("crawl", "--url", url, "--db", db, *FAST)
    assert proc.returncode == 3
    assert "无法访问" in proc.stderr and "连接被拒绝" in proc.stderr
    assert "Traceback" not in proc.stderr
    runs, crawls = _crawls(db)
    assert [r["status"] for r in runs] == ["failed"]
    assert crawls[0]["status"] == "unreachable" and "连接被拒绝" in crawls[0]["error"]


def test_homepage_answering_503_is_unreachable_after_retries(tmp_path, xxgk):
    routes = {**ROBOTS, "/": (503, HTML, b"<h1>Service Unavailable</h1>", 0)}
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", str(tmp_path / "x.db"), *FAST)
    assert proc.returncode == 3
    _, crawls = _crawls(str(tmp_path / "x.db"))
    assert crawls[0]["status"] == "unreachable" and "503" in crawls[0]["error"]


def test_redirect_loop_is_reported_not_followed_forever(tmp_path, xxgk):
    routes = {**ROBOTS, "/": (302, {"Location": "/a"}, b"", 0), "/a": (302, {"Location": "/"}, b"", 0)}
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", str(tmp_path / "x.db"), *FAST)
    assert proc.returncode == 3
    _, crawls = _crawls(str(tmp_path / "x.db"))
    assert crawls[0]["status"] == "unreachable" and "重定向" in crawls[0]["error"]


def test_garbage_pages_and_a_failing_column_do_not_stop_the_crawl(tmp_path, xxgk):
    garbage = bytes(range(256)) * 20
    home = ('<html><body><a href="/xxgk/">政府信息公开</a></body></html>').encode()
    entry = ('<html><body><ul><li><a href="/xxgk/gzdt/">工作动态</a></li>'
             '<li><a href="/xxgk/tzgg/">通知公告</a></li><li><a href="/xxgk/zcwj/">政策文件</a></li>'
             '</ul></body></html>').encode()
    news = ('<html><body><ul class="list"><li><a href="/xxgk/gzdt/1.html">通知一</a><span>2026-11-01</span></li>'
            '<li><a href="/xxgk/gzdt/2.html">通知二</a><span>2026-10-01</span></li></ul>'
            '<ul><li><a href="/xxgk/gzdt/">工作动态</a></li><li><a href="/xxgk/tzgg/">通知公告</a></li>'
            '<li><a href="/xxgk/zcwj/">政策文件</a></li></ul></body></html>').encode()
    routes = {**ROBOTS, "/": (200, HTML, home, 0), "/xxgk/": (200, HTML, entry, 0),
              "/xxgk/gzdt/": (200, HTML, news, 0),
              "/xxgk/gzdt/1.html": (200, HTML, garbage, 0),
              "/xxgk/gzdt/2.html": (200, {"Content-Type": "application/octet-stream"}, garbage, 0),
              "/xxgk/tzgg/": (500, HTML, b"error", 0),
              "/xxgk/zcwj/": (200, HTML, garbage, 0)}
    db = str(tmp_path / "x.db")
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", db, *FAST)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    runs, crawls = _crawls(db)
    assert runs[0]["status"] == "partial" and crawls[0]["status"] == "partial"
    store = Store(db)
    columns = {c["name"]: c for c in store.rows("columns")}
    assert columns["工作动态"]["item_count"] == 2
    assert columns["通知公告"]["http_status"] == 500
    assert {d["url"].rsplit("/", 1)[1] for d in store.rows("documents")} == {"1.html", "2.html"}
    store.close()


def test_slow_pages_time_out_and_become_broken_links(tmp_path):
    """Uses the Scrapy convention (`scrapy crawl portal -a url=… -s …`) to shorten the timeout."""
    home = b'<html><body><a href="/xxgk/">\xe4\xbf\xa1\xe6\x81\xaf\xe5\x85\xac\xe5\xbc\x80</a></body></html>'
    entry = '<html><body><a href="/xxgk/gzdt/">工作动态</a></body></html>'.encode()
    news = ('<html><body><ul><li><a href="/xxgk/gzdt/slow.html">慢页面</a><span>2026-11-01</span></li>'
            '<li><a href="/xxgk/gzdt/ok.html">正常页面</a><span>2026-11-02</span></li></ul></body></html>').encode()
    routes = {**ROBOTS, "/": (200, HTML, home, 0), "/xxgk/": (200, HTML, entry, 0),
              "/xxgk/gzdt/": (200, HTML, news, 0),
              "/xxgk/gzdt/slow.html": (200, HTML, b"<html>late</html>", 3),
              "/xxgk/gzdt/ok.html": (200, HTML, "<p><strong>索引号</strong>：000014348/2020-35147</p>".encode(), 0)}
    db = str(tmp_path / "x.db")
    with BadServer(routes) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={server.url}",
             "-s", f"XXGK_DB={db}", "-s", "DOWNLOAD_TIMEOUT=1", "-s", "RETRY_TIMES=0",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "LOG_LEVEL=WARNING"],
            cwd=REPO, capture_output=True, text=True, timeout=120, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    store = Store(db)
    docs = {d["url"].rsplit("/", 1)[1]: d for d in store.rows("documents")}
    assert docs["ok.html"]["index_no"] == "000014348/2020-35147"
    assert docs["slow.html"]["error"] and "超时" in docs["slow.html"]["error"]
    links = {l["url"].rsplit("/", 1)[1]: l for l in store.rows("links")}
    assert links["slow.html"]["status"] is None and links["slow.html"]["error"]
    store.close()


def test_endless_calendar_is_not_crawled_and_the_crawl_ends(tmp_path, xxgk):
    portal = build_portal("cal", "松岭区人民政府", "trs", date(2026, 11, 21), seed=3, trap=True)
    db = str(tmp_path / "x.db")
    with SimulatorServer([portal]) as server:
        proc = xxgk("crawl", "--url", server.base_url("cal"), "--db", db, *FAST)
        truth = server.truth("cal")
    assert proc.returncode == 0, proc.stderr
    store = Store(db)
    pages = store.rows("crawls")[0]["pages"]
    expected_columns = {c["url"] for c in truth["columns"]}
    assert {c["url"] for c in store.rows("columns")} == expected_columns
    assert not [l for l in store.rows("links") if "calendar" in l["url"]]
    # every page fetched is accounted for by the portal's own structure, not the calendar
    assert pages < 3 * (len(truth["documents"]) + len(truth["columns"]) + 10)
    store.close()


def test_scrapy_crawl_convention_matches_xxgk_crawl(tmp_path, xxgk):
    portal = build_portal("conv", "巢湖市人民政府", "hanweb", date(2026, 11, 21), seed=5)
    with SimulatorServer([portal]) as server:
        url = server.base_url("conv")
        a, b = str(tmp_path / "a.db"), str(tmp_path / "b.db")
        xxgk("crawl", "--url", url, "--db", a, *FAST, check=True)
        proc = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"url={url}", "-s", f"XXGK_DB={b}",
             "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"],
            cwd=REPO, capture_output=True, text=True, timeout=180)
        assert proc.returncode == 0, proc.stderr[-2000:]
    docs = []
    for path in (a, b):
        store = Store(path)
        docs.append(sorted((d["url"].split("/", 3)[3], d["index_no"], d["published"])
                           for d in store.rows("documents")))
        store.close()
    assert docs[0] and docs[0] == docs[1]


def test_live_progress_shows_pages_columns_documents_errors(tmp_path, xxgk):
    portal = build_portal("prog", "松岭区人民政府", "legacy", date(2026, 11, 21), seed=2,
                          defects=["broken_link"])
    with SimulatorServer([portal]) as server:
        proc = xxgk("crawl", "--url", server.base_url("prog"), "--db", str(tmp_path / "x.db"),
                    "--progress", *FAST, env={"COLUMNS": "120"})
        truth = server.truth("prog")
    assert proc.returncode == 0, proc.stderr
    assert "采集进度" in proc.stderr
    for header in ("页面", "栏目", "文档", "错误"):
        assert header in proc.stderr
    final = [line for line in proc.stderr.splitlines() if "127.0.0.1" in line][-1]
    numbers = [int(n) for n in final.replace("│", " ").split() if n.isdigit()]
    # pages, columns, documents, errors of the last redraw
    assert numbers[1] == len(truth["columns"])
    assert numbers[3] >= 1


def test_crawl_refuses_a_database_another_run_is_writing(tmp_path, xxgk):
    from xxgk.lock import DbLock

    db = str(tmp_path / "x.db")
    with DbLock(db):
        proc = xxgk("crawl", "--url", closed_port_url(), "--db", db, *FAST)
    assert proc.returncode == 4
    assert "错误" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.db").exists() or Store(db).rows("runs") == []


def test_default_politeness_keeps_at_most_four_requests_in_flight_per_site(tmp_path, xxgk):
    """SPEC: at most 4 concurrent requests per site by default (the delay is set to 0 so the
    limit, not the delay, is what bounds the crawl)."""
    items = "".join(f'<li><a href="/xxgk/gzdt/{i}.html">信息{i}</a><span>2026-11-01</span></li>'
                    for i in range(24))
    routes = {**ROBOTS,
              "/": (200, HTML, '<a href="/xxgk/">政府信息公开</a>'.encode(), 0),
              "/xxgk/": (200, HTML, '<ul><li><a href="/xxgk/gzdt/">工作动态</a></li></ul>'.encode(), 0),
              "/xxgk/gzdt/": (200, HTML, f"<ul>{items}</ul>".encode(), 0)}
    for i in range(24):
        routes[f"/xxgk/gzdt/{i}.html"] = (200, HTML, b"<p>x</p>", 0.2)
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", str(tmp_path / "x.db"), "--delay", "0")
        peak = server.stats["max_in_flight"]
    assert proc.returncode == 0, proc.stderr
    assert 1 <= peak <= 4
    store = Store(str(tmp_path / "x.db"))
    assert store.db["documents"].count == 24
    store.close()


def test_hanweb_list_without_a_stated_total_is_walked_group_by_group(tmp_path, xxgk):
    """A 大汉 column whose page states no total: the spider asks dataproxy.jsp for one group
    after another until a group comes back short."""
    from urllib.parse import parse_qs, urlsplit

    total = 100

    def record(i):
        return (f'<record><![CDATA[<li><a href="/art/2026/11/1/art_7_{i}.html" title="信息{i}">'
                f'信息{i}</a><b>2026-11-01</b></li>]]></record>')

    inline = "".join(record(i) for i in range(1, 46))
    column = ('<html><body><div id="45678"><script type="text/xml"><datastore><nextgroup><![CDATA['
              '<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=7'
              '&unitid=45678&webname=test&permissiontype=0"></a>]]></nextgroup><recordset>'
              f'{inline}</recordset></datastore></script></div></body></html>')

    def proxy(path, form):
        query = parse_qs(urlsplit(path).query)
        start, end = int(query["startrecord"][0]), int(query["endrecord"][0])
        assert "columnid=7" in form
        rows = "".join(record(i) for i in range(start, min(end, total) + 1))
        return f'<?xml version="1.0" encoding="UTF-8"?><datastore><recordset>{rows}</recordset></datastore>'.encode()

    routes = {**ROBOTS,
              "/": (200, HTML, '<a href="/col/col1/index.html">政府信息公开</a>'.encode(), 0),
              "/col/col1/index.html": (200, HTML, '<ul><li><a href="/col/col7/index.html">工作动态</a></li></ul>'.encode(), 0),
              "/col/col7/index.html": (200, HTML, column.encode(), 0),
              "POST /module/web/jpage/dataproxy.jsp": (200, {"Content-Type": "text/xml; charset=utf-8"}, proxy)}
    for i in range(1, total + 1):
        routes[f"/art/2026/11/1/art_7_{i}.html"] = (200, HTML, b"<p>x</p>", 0)
    db = str(tmp_path / "x.db")
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", db, *FAST)
    assert proc.returncode == 0, proc.stderr
    store = Store(db)
    columns = store.rows("columns")
    assert [(c["name"], c["item_count"], c["pages"]) for c in columns] == [("工作动态", total, 3)]
    assert store.db["documents"].count == total
    store.close()
