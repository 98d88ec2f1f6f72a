"""broken_link definiteness (SPEC): 404/403/410 from the portal's own hosts are definite; a 5xx,
timeout or refused connection is asked again once at the end of the crawl and, still failing,
reported as 疑似; external links are no findings. A real crawl over 127.0.0.1, then the audit."""

from __future__ import annotations

import json

from _audit_helpers import RULES, column, d, item, link, site
from _bad_servers import HTML, ROBOTS, BadServer, closed_port_url
from audits.checks import links
from crawler.settings import RETRY_TIMES
from crawler.store import Store

FAST = ("--delay", "0", "--concurrency", "8")
AS_OF = "2026-11-21"
IMMEDIATE = 1 + RETRY_TIMES          # Scrapy's own retries inside the crawl


def _detail(n: int) -> bytes:
    return (f"<html><body><h1>文件{n}</h1><table><tr><td>索引号：11441700007280420Y/2026-{n:05d}</td>"
            f"<td>发布机构：松岭区人民政府办公室</td></tr><tr><td>发布日期：2026-11-0{n}</td></tr></table>"
            f"<div id='zoom'><p>正文。</p></div></body></html>").encode()


def test_404_vs_503_then_200_vs_503_twice_vs_external(tmp_path, xxgk):
    dead = closed_port_url()
    with BadServer({"/x/9.html": (404, HTML, b"gone", 0)}) as other:
        external = other.url + "x/9.html"
        rows = "".join(f'<li><a href="{href}">文件{n}</a><span>2026-11-0{n}</span></li>'
                       for n, href in ((1, "/xxgk/gzdt/1.html"), (2, "/xxgk/gzdt/2.html"),
                                       (3, "/xxgk/gzdt/3.html"), (4, "/xxgk/gzdt/4.html"),
                                       (5, external), (6, dead + "xxgk/6.html")))
        flaky = lambda path, hits: 503 if hits <= IMMEDIATE else 200   # noqa: E731
        routes = {**ROBOTS,
                  "/": (200, HTML, '<html><body><a href="/xxgk/">政府信息公开</a></body></html>'.encode(), 0),
                  "/xxgk/": (200, HTML, ('<html><body><ul><li><a href="/xxgk/gzdt/">工作动态</a></li>'
                                         '</ul></body></html>').encode(), 0),
                  "/xxgk/gzdt/": (200, HTML, f'<html><body><ul class="list">{rows}</ul></body></html>'.encode(), 0),
                  "/xxgk/gzdt/1.html": (404, HTML, b"not found", 0),
                  "/xxgk/gzdt/2.html": (flaky, HTML, _detail(2), 0),
                  "/xxgk/gzdt/3.html": (503, HTML, b"busy", 0),
                  "/xxgk/gzdt/4.html": (200, HTML, _detail(4), 0)}
        db = str(tmp_path / "x.db")
        with BadServer(routes) as server:
            proc = xxgk("crawl", "--url", server.url, "--db", db, *FAST)
            hits = dict(server.stats["hits"])
        assert proc.returncode == 0, proc.stderr
        assert other.stats.get("hits", {}) == {}          # the external link is not even asked
    base = server.url.rstrip("/")
    assert hits["/xxgk/gzdt/1.html"] == 1                 # a 404 is definite: asked once
    assert hits["/xxgk/gzdt/2.html"] == IMMEDIATE + 1     # recovered at the end-of-crawl retry
    assert hits["/xxgk/gzdt/3.html"] == IMMEDIATE + 1     # asked again once, then reported
    store = Store(db)
    try:
        link_rows = {r["url"]: r for r in store.rows("links")}
        doc = store.rows("documents", "url = ?", [base + "/xxgk/gzdt/2.html"])[0]
    finally:
        store.close()
    assert link_rows[base + "/xxgk/gzdt/2.html"]["status"] == 200
    assert link_rows[base + "/xxgk/gzdt/2.html"]["retried"] == 1
    assert doc["http_status"] == 200 and doc["index_no"] == "11441700007280420Y/2026-00002"
    assert link_rows[base + "/xxgk/gzdt/3.html"]["retried"] == 1
    proc = xxgk("audit", "--db", db, "--as-of", AS_OF, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    broken = {f["url"]: f["detail"] for f in json.loads(proc.stdout)["findings"] if f["check"] == "broken_link"}
    assert sorted(broken) == [base + "/xxgk/gzdt/1.html", base + "/xxgk/gzdt/3.html"]
    assert "HTTP 404" in broken[base + "/xxgk/gzdt/1.html"] and "疑似" not in broken[base + "/xxgk/gzdt/1.html"]
    assert "疑似" in broken[base + "/xxgk/gzdt/3.html"] and "HTTP 503" in broken[base + "/xxgk/gzdt/3.html"]
    assert "重试仍失败" in broken[base + "/xxgk/gzdt/3.html"]


ZC = "http://songling.test/xxgk/zcwj/"


def test_definite_suspected_and_external_rows():
    s = site(columns=[column("政策文件", ZC, "2026-03-01", 3)],
             items=[item(ZC, ZC + f"{n}.html", f"文件{n}", "2026-03-01") for n in range(5)],
             links=[link(ZC + "0.html", 404, source_url=ZC), link(ZC + "1.html", 403, source_url=ZC),
                    link(ZC + "2.html", 410, source_url=ZC),
                    dict(link(ZC + "3.html", 502, source_url=ZC), retried=1),
                    dict(link(ZC + "4.html", None, source_url=ZC, error="连接超时"), retried=1),
                    link("http://www.gov.cn/zhengce/1.html", 404, source_url=ZC),
                    link("http://czj.songling.test/files/a.pdf", 404, kind="attachment",
                         source_url=ZC + "0.html")])
    found = {f.url: f.detail for f in links.check(s, RULES, d(AS_OF))}
    assert "http://www.gov.cn/zhengce/1.html" not in found            # another unit's site
    assert "http://czj.songling.test/files/a.pdf" in found            # same registered domain
    for n in (0, 1, 2):
        assert "疑似" not in found[ZC + f"{n}.html"]
    for n in (3, 4):
        assert found[ZC + f"{n}.html"].startswith("栏目列出的信息无法打开（疑似：")
        assert "重试仍失败" in found[ZC + f"{n}.html"]
