"""Crawl the four platform dialects' simulated portals over real HTTP (issue 9 item 4).

gkmlpt (column tree only in ``window._CONFIG.TREE``, two paging behaviours), jpaas (parameters
from ``queryData``, paging only inside ``paramJson``), 大汉 xxgk (``POST search.jsp``, "共N页")
and the Fujian platform (``POST /fjdzapp/search``, half-static and script-only columns, index_box
details) must be crawled with 100% of their documents and every metadata field exact.
"""

from __future__ import annotations

from datetime import date

import pytest

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store

pytestmark = pytest.mark.network

AS_OF = date(2026, 11, 21)
FIELDS = ("title", "list_date", "index_no", "publisher", "published", "written", "doc_no", "topic")
#: More than one gkmlpt page (100) in a "page 0 = page 1" column and in a one-page column;
#: more than one jpaas / 大汉 / fjdzapp page everywhere else.
COLUMNS = [("gzdt", "工作动态", "news", 230), ("tzgg", "通知公告", "notice", 130),
           ("zcwj", "政策文件", "policy", 47), ("rsxx", "人事信息", "personnel", 12),
           ("ghjh", "规划计划", "planning", 31), ("czyjs", "财政预决算", "other", 0)]
PORTALS = [("gkmlpt", "韶岭市人民政府"), ("jpaas", "清溪县人民政府"), ("dahan", "余杭区人民政府"),
           ("fjdzapp", "平潭综合实验区管委会")]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, xxgk):
    portals = [build_portal(f"d-{cms}", name, cms, AS_OF, seed=3, columns=COLUMNS,
                            defects=["metadata_missing", "broken_link"])
               for cms, name in PORTALS]
    portals.append(_portal_with_a_refused_list())
    folder = tmp_path_factory.mktemp("dialects")
    with SimulatorServer(portals) as server:
        seeds = folder / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db = str(folder / "xxgk.db")
        xxgk("crawl", "--seeds", str(seeds), "--db", db, "--delay", "0", "--concurrency", "8",
             check=True, timeout=600)
        truth = {p.site_id: server.truth(p.site_id) for p in portals}
        store = Store(db)
        yield {"store": store, "truth": truth, "portals": {p.site_id: p for p in portals}}
        store.close()


def _portal_with_a_refused_list():
    """A Fujian portal whose script-only column asks for a channel the API does not know: the
    platform answers ``{"error": true, …}`` — a list the tool could not read, not an empty one."""
    portal = build_portal("d-refused", "平潭综合实验区管委会", "fjdzapp", AS_OF, seed=5,
                          columns=[("gzdt", "工作动态", "news", 20), ("tzgg", "通知公告", "notice", 12)])
    col = portal.column("tzgg")
    assert col.paging == "jsonly"
    page = portal.pages[col.path]
    page.body = page.body.replace(f"chnlid={col.number}".encode(), b"chnlid=1")
    return portal


def test_a_refused_platform_list_is_unreadable_with_its_reason_never_empty(crawled):
    rows = {c["name"]: c for c in crawled["store"].rows("columns", "site_id = 'd-refused'")}
    refused = rows["通知公告"]
    assert refused["status"] == "unreadable" and refused["item_count"] == 0
    assert "/fjdzapp/search" in refused["status_reason"]
    assert rows["工作动态"]["status"] == "ok" and rows["工作动态"]["item_count"] == 20


@pytest.mark.parametrize("cms", [c for c, _ in PORTALS])
def test_every_column_is_read_completely(crawled, cms):
    site = f"d-{cms}"
    store, truth = crawled["store"], crawled["truth"][site]
    stored = {c["url"]: c for c in store.rows("columns", "site_id = ?", [site])}
    assert {c["url"] for c in truth["columns"]} == set(stored)
    for column in truth["columns"]:
        row = stored[column["url"]]
        assert row["name"] == column["name"]
        assert row["item_count"] == column["item_count"], column["name"]
        assert row["latest_date"] == column["latest_date"], column["name"]
        assert row["status"] == "ok", (column["name"], row["status"], row["status_reason"])


@pytest.mark.parametrize("cms", [c for c, _ in PORTALS])
def test_every_document_is_stored_with_exact_metadata(crawled, cms):
    site = f"d-{cms}"
    store, truth = crawled["store"], crawled["truth"][site]
    stored = {d["url"]: d for d in store.rows("documents", "site_id = ?", [site])}
    expected = truth["documents"]
    missing = [d["url"] for d in expected if d["url"] not in stored]
    assert not missing, f"{len(missing)}/{len(expected)} documents not stored, first {missing[:3]}"
    mismatches = [(d["url"], f, stored[d["url"]][f], d[f]) for d in expected for f in FIELDS
                  if stored[d["url"]][f] != d[f]]
    assert not mismatches, f"{len(mismatches)} mismatches, first: {mismatches[:5]}"


def test_gkmlpt_paging_behaviours_both_occur_and_are_read(crawled):
    portal = crawled["portals"]["d-gkmlpt"]
    big = {c.name: c for c in portal.columns if len(c.documents) > 100}
    assert {c.paging for c in big.values()} == {"same01", "onepage"}   # both site behaviours served
    store = crawled["store"]
    for column in big.values():
        row = store.rows("columns", "site_id = 'd-gkmlpt' and name = ?", [column.name])[0]
        assert row["item_count"] == len(column.documents)


def test_crawl_run_is_partial_only_because_of_the_refused_list(crawled):
    runs = crawled["store"].rows("runs")
    assert runs and runs[-1]["status"] == "partial"
    crawls = {c["site_id"]: c for c in crawled["store"].latest_crawls()}
    assert {site for site, c in crawls.items() if c["status"] != "ok"} == {"d-refused"}
