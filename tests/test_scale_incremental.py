"""Incremental re-crawl over real HTTP: the simulator sends nginx-style validators and answers
304; a second crawl keeps unchanged rows without re-reading them, re-reads a changed page,
still sees a page that now answers 404, and ``--full`` re-reads everything."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.incremental import recheck, unchanged, validators
from crawler.simulator import SimulatorServer, build_portal
from crawler.simulator.model import Page
from crawler.store import Store

AS_OF = date(2026, 11, 21)
FAST = ("--delay", "0", "--concurrency", "4", "--no-progress")


def test_recheck_rules():
    known = {"title": "关于印发通知", "list_date": "2026-11-01", "http_status": 200, "error": None,
             "etag": '"6a1b-1f0"', "last_modified": "Sat, 21 Nov 2026 08:00:00 GMT", "attachments": '["/a.pdf"]'}
    check = recheck(known, "关于印发通知", "2026-11-01")
    assert check.method == "GET" and check.headers["If-None-Match"] == '"6a1b-1f0"'
    assert check.attachments == ["/a.pdf"]
    assert recheck({**known, "etag": None, "last_modified": None}, "关于印发通知", "2026-11-01").method == "HEAD"
    assert recheck(known, "关于印发通知（修订）", "2026-11-01") is None      # list entry changed
    assert recheck(known, "关于印发通知", "2026-11-02") is None
    assert recheck({**known, "http_status": 404, "error": "HTTP 404"}, "关于印发通知", "2026-11-01") is None
    assert recheck(None, "x", None) is None
    assert unchanged("GET", 304) and unchanged("HEAD", 200)
    assert not unchanged("GET", 200) and not unchanged("HEAD", 404)
    assert validators({"ETag": b'"a-1"', "Last-Modified": b""}) == ('"a-1"', None)


def _portal():
    return build_portal("inc", "松岭区人民政府", "trs", AS_OF, seed=11,
                        columns=[("gzdt", "工作动态", "news", 8), ("tzgg", "通知公告", "notice", 6)])


def _details(portal) -> dict[str, object]:
    return {d.path: d for c in portal.columns for d in c.documents if d.status == 200}


def _bodies(log, paths) -> dict[str, int]:
    """Detail paths answered with a body (200 to a GET) → bytes sent."""
    out: dict[str, int] = {}
    for method, path, status, nbytes in log:
        if path in paths and method == "GET" and status == 200:
            out[path] = out.get(path, 0) + nbytes
    return out


def _docs(db):
    store = Store(db)
    try:
        return {r["url"]: r for r in store.rows("documents")}, store.rows("links"), store.rows("runs")
    finally:
        store.close()


@pytest.mark.network
def test_second_crawl_keeps_unchanged_rows_rereads_changed_and_sees_404(tmp_path, xxgk):
    portal = _portal()
    details = _details(portal)
    db = str(tmp_path / "x.db")
    with SimulatorServer([portal]) as server:
        base = server.base_url("inc").rstrip("/")
        seeds = tmp_path / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        first = xxgk("crawl", "--seeds", str(seeds), "--db", db, *FAST)
        assert first.returncode == 0, first.stderr
        first_bodies = _bodies(server.log["inc"], details)
        assert set(first_bodies) == set(details)           # the first crawl reads every page
        docs, _, _ = _docs(db)
        assert all(docs[base + p]["etag"] for p in details)

        changed, gone, *_ = sorted(details)
        old = details[changed].index_no
        page = portal.pages[changed]
        assert old and old.encode() in page.body
        portal.pages[changed] = Page(200, page.body.replace(old.encode(), b"XG-2026-CHANGED"))
        del portal.pages[gone]                              # now answers 404
        server.log["inc"].clear()

        second = xxgk("crawl", "--seeds", str(seeds), "--db", db, *FAST)
        assert second.returncode == 0, second.stderr
        second_bodies = _bodies(server.log["inc"], details)
        assert set(second_bodies) == {changed}
        assert sum(second_bodies.values()) <= 0.2 * sum(first_bodies.values())
        conditional = [e for e in server.log["inc"] if e[1] in details and e[2] == 304]
        assert len(conditional) == len(details) - 2

        docs, links, runs = _docs(db)
        run2 = max(r["id"] for r in runs)
        assert docs[base + changed]["index_no"] == "XG-2026-CHANGED"
        assert docs[base + gone]["http_status"] == 404 and docs[base + gone]["error"] == "HTTP 404"
        assert {r["status"] for r in links if r["run_id"] == run2 and r["url"] == base + gone} == {404}
        kept = [p for p in details if p not in (changed, gone)]
        for path in kept:
            row = docs[base + path]
            assert row["last_run_id"] == run2 and row["first_run_id"] < run2
            assert row["index_no"] == details[path].index_no     # the stored row is kept as it was
        # the audit still reports the page that broke
        audit = xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat())
        assert audit.returncode in (0, 1), audit.stderr
        store = Store(db)
        try:
            broken = [f["url"] for f in store.rows("findings", '"check" = ? and run_id = ?', ['broken_link', run2])]
        finally:
            store.close()
        assert base + gone in broken

        server.log["inc"].clear()
        full = xxgk("crawl", "--seeds", str(seeds), "--db", db, "--full", *FAST)
        assert full.returncode == 0, full.stderr
        assert set(_bodies(server.log["inc"], details)) == set(details) - {gone}
