"""Incremental re-crawl over real HTTP: the simulator sends nginx-style validators and answers
304; a second crawl keeps unchanged rows without re-reading them, re-reads a changed page,
still sees a page that now answers 404, and ``--full`` re-reads everything.

Within the recheck window (``--recheck-after``, 20 days by default) a page checked fine and
listed unchanged gets no request at all; pages that were broken or whose list entry changed
are asked again, and the carried link rows keep the time they were really checked."""

from __future__ import annotations

from datetime import date

import pytest

from crawler.incremental import carry, recheck, unchanged, validators
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
    # carried forward unasked only when fresh *and* listed unchanged *and* fine last time
    assert carry({**known, "fresh": True}, "关于印发通知", "2026-11-01")
    assert not carry(known, "关于印发通知", "2026-11-01")                       # not fresh
    assert not carry({**known, "fresh": True}, "关于印发通知（修订）", "2026-11-01")
    assert not carry({**known, "fresh": True}, "关于印发通知", "2026-11-02")
    assert not carry({**known, "fresh": True, "http_status": 404}, "关于印发通知", "2026-11-01")
    assert not carry(None, "关于印发通知", "2026-11-01")


def test_fresh_needs_a_recent_check_and_healthy_links(tmp_path):
    from datetime import datetime, timedelta

    store = Store(str(tmp_path / "f.db"))
    try:
        run = store.start_run("crawl")
        for url in ("/a", "/b", "/c"):
            store.upsert_document(run, "s", url, title=url, list_date="2026-11-01", http_status=200)
            store.record_link(run, "s", url, source_url="/list", kind="item", status=200)
        store.record_link(run, "s", "/b.pdf", source_url="/b", kind="attachment", status=404)
        old = (datetime.now() - timedelta(days=30)).isoformat(sep=" ")
        store.db.execute("update documents set checked_at = ? where url = '/c'", [old])
        store.db.conn.commit()
        known = store.known_documents("s", fresh_days=20)
        assert {u: k["fresh"] for u, k in known.items()} == {"/a": True, "/b": False, "/c": False}
        assert not any(k["fresh"] for k in store.known_documents("s").values())   # no window
        # a later run whose check of /a failed makes it stale again
        run2 = store.start_run("crawl")
        store.record_link(run2, "s", "/a", source_url="/list", kind="item", status=None, error="timeout")
        assert not store.known_documents("s", fresh_days=20)["/a"]["fresh"]
    finally:
        store.close()


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


def _first_crawl(server, tmp_path, db: str, xxgk):
    """Write the seeds of the served portal and crawl it once: (its base URL, the seeds file)."""
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text(server.seeds_yaml(), encoding="utf-8")
    first = xxgk("crawl", "--seeds", str(seeds), "--db", db, *FAST)
    assert first.returncode == 0, first.stderr
    return server.base_url("inc").rstrip("/"), seeds


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
        base, seeds = _first_crawl(server, tmp_path, db, xxgk)
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

        second = xxgk("crawl", "--seeds", str(seeds), "--db", db, "--recheck-after", "0", *FAST)
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


def _retitle(portal, path: str, new_title: str) -> None:
    """Change a document's title everywhere the simulator shows it (its list page and itself)."""
    doc = next(d for c in portal.columns for d in c.documents if d.path == path)
    old = doc.title.encode()
    hits = [p for p, page in portal.pages.items() if old in page.body]
    assert len(hits) >= 2, hits
    for p in hits:
        page = portal.pages[p]
        portal.pages[p] = Page(page.status, page.body.replace(old, new_title.encode()), page.content_type)


@pytest.mark.network
def test_recrawl_within_the_window_asks_only_lists_changed_entries_and_broken_pages(tmp_path, xxgk):
    portal = _portal()
    details = _details(portal)
    db = str(tmp_path / "w.db")
    retitled, repaired, corrected, *unchanged_paths = sorted(details)
    saved = portal.pages.pop(repaired)                   # broken at the first crawl …
    good = portal.pages[corrected]                       # … or shown without its 索引号
    index_no = details[corrected].index_no.encode()
    portal.pages[corrected] = Page(200, good.body.replace(index_no, b""), good.content_type)
    with SimulatorServer([portal]) as server:
        base, seeds = _first_crawl(server, tmp_path, db, xxgk)
        first_requests = len(server.log["inc"])
        audit = xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat())
        assert audit.returncode in (0, 1), audit.stderr
        assert _finding_runs(db, base + corrected)           # the audit named the page …
        portal.pages[repaired] = saved                   # … both repaired (整改) before the re-crawl,
        portal.pages[corrected] = good                   # the 索引号 without touching the list entry
        _retitle(portal, retitled, "关于调整工作安排的通知（修订）")
        server.log["inc"].clear()

        second = xxgk("crawl", "--seeds", str(seeds), "--db", db, *FAST)
        assert second.returncode == 0, second.stderr
        asked = {path for method, path, status, n in server.log["inc"] if path in details}
        assert asked == {retitled, repaired, corrected}  # nothing else of the detail pages
        assert len(server.log["inc"]) == first_requests - len(unchanged_paths)

        docs, links, runs = _docs(db)
        run1, run2 = sorted(r["id"] for r in runs)[-2:]
        started2 = next(r["started_at"] for r in runs if r["id"] == run2)
        assert docs[base + retitled]["title"] == "关于调整工作安排的通知（修订）"
        assert docs[base + repaired]["http_status"] == 200 and not docs[base + repaired]["error"]
        for path in unchanged_paths:
            row = docs[base + path]
            assert row["last_run_id"] == run2 and row["index_no"] == details[path].index_no
            assert row["checked_at"] < started2 or row["checked_at"] == row["fetched_at"]
            carried = [r for r in links if r["run_id"] == run2 and r["url"] == base + path]
            assert len(carried) == 1 and carried[0]["status"] == 200
            assert carried[0]["checked_at"] <= started2   # the time of the first crawl's check
        audit = xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat())
        assert audit.returncode in (0, 1), audit.stderr
        # the audit judges each run: the first run's problems are gone in the second
        assert run1 in _finding_runs(db, base + repaired) and run2 not in _finding_runs(db, base + repaired)
        assert run1 in _finding_runs(db, base + corrected) and run2 not in _finding_runs(db, base + corrected)
        assert docs[base + corrected]["index_no"] == details[corrected].index_no


def _finding_runs(db: str, url: str) -> set[int]:
    store = Store(db)
    try:
        return {r for r, in store.db.execute("select run_id from findings where url = ?", [url])}
    finally:
        store.close()
