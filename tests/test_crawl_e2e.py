"""Crawl each simulated CMS family over real HTTP and compare the database with the ground truth.

One crawl of four portals (TRS, Hanweb, legacy GBK, JSON API) serves the whole module; the
assertions are the acceptance list of the crawl issue: every column with the right item count
and newest date, ≥99% of documents stored, every metadata field equal to the truth, one row
per document after a second crawl.
"""

from __future__ import annotations

from datetime import date

import pytest

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store

AS_OF = date(2026, 11, 21)
FAMILIES = [("trs", "松岭区人民政府"), ("hanweb", "巢湖市人民政府"), ("legacy", "高岳镇人民政府"),
            ("jsonapi", "合肥新站高新技术产业开发区管委会")]
DEFECTS = ["broken_link", "metadata_missing", "column_empty", "column_explained_empty",
           "metadata_invalid"]
FIELDS = ("title", "list_date", "index_no", "publisher", "published", "written", "doc_no", "topic")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, xxgk):
    portals = [build_portal(f"site-{cms}", name, cms, AS_OF, seed=7, defects=DEFECTS)
               for cms, name in FAMILIES]
    folder = tmp_path_factory.mktemp("crawl")
    with SimulatorServer(portals) as server:
        seeds = folder / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db = str(folder / "xxgk.db")
        args = ("crawl", "--seeds", str(seeds), "--db", db, "--delay", "0", "--concurrency", "8")
        first = xxgk(*args, check=True)
        truth = {p.site_id: server.truth(p.site_id) for p in portals}
        store = Store(db)
        before = store.db["documents"].count
        second = xxgk(*args, check=True)
        yield {"db": db, "truth": truth, "store": store, "first": first, "second": second,
               "documents_after_first": before, "server": server, "seeds": seeds}
        store.close()


def _latest_run(store: Store, site_id: str) -> int:
    return store.latest_crawls()[[c["site_id"] for c in store.latest_crawls()].index(site_id)]["run_id"]


@pytest.mark.parametrize("cms", [f for f, _ in FAMILIES])
def test_every_column_found_with_its_item_count_and_newest_date(crawled, cms):
    site = f"site-{cms}"
    store, truth = crawled["store"], crawled["truth"][site]
    run_id = _latest_run(store, site)
    stored = {c["url"]: c for c in store.rows("columns", "run_id = ? and site_id = ?", [run_id, site])}
    assert truth["columns"], "the simulator must publish columns"
    for column in truth["columns"]:
        assert column["url"] in stored, f"column {column['name']} ({column['url']}) not found"
        row = stored[column["url"]]
        assert row["name"] == column["name"]
        assert row["item_count"] == column["item_count"], column["name"]
        assert row["latest_date"] == column["latest_date"], column["name"]
        assert (row["empty_note"] is not None) == bool(column.get("empty_note")), column["name"]
    extra = set(stored) - {c["url"] for c in truth["columns"]}
    assert not extra, f"pages taken for columns that are not: {extra}"


@pytest.mark.parametrize("cms", [f for f, _ in FAMILIES])
def test_documents_stored_with_every_metadata_field_equal_to_truth(crawled, cms):
    site = f"site-{cms}"
    store, truth = crawled["store"], crawled["truth"][site]
    stored = {d["url"]: d for d in store.rows("documents", "site_id = ?", [site])}
    expected = truth["documents"]
    found = [d for d in expected if d["url"] in stored]
    assert len(found) >= 0.99 * len(expected), f"{len(found)}/{len(expected)} documents stored"
    mismatches = []
    for doc in found:
        row = stored[doc["url"]]
        for field in FIELDS:
            if field in doc and row[field] != doc[field]:
                mismatches.append((doc["url"], field, row[field], doc[field]))
    assert not mismatches, f"{len(mismatches)} field mismatches, first: {mismatches[:5]}"


def test_broken_listed_item_is_stored_with_its_status(crawled):
    store, truth = crawled["store"], crawled["truth"]
    for site, t in truth.items():
        broken = [d["url"] for d in t["defects"] if d["check"] == "broken_link"]
        assert broken
        for url in broken:
            links = store.rows("links", "site_id = ? and (url = ? or source_url = ?)", [site, url, url])
            assert any((l["status"] or 0) >= 400 or l["error"] for l in links), url


def test_second_crawl_leaves_one_row_per_document(crawled):
    store = crawled["store"]
    assert store.db["documents"].count == crawled["documents_after_first"]
    dupes = list(store.db.query("select site_id, url, count(*) n from documents group by 1, 2 having n > 1"))
    assert dupes == []
    runs = store.rows("runs")
    assert len(runs) == 2 and all(r["status"] in ("ok", "partial") for r in runs)
    docs = store.rows("documents")
    assert all(d["first_run_id"] == runs[0]["id"] and d["last_run_id"] == runs[1]["id"] for d in docs)


def test_legacy_gbk_site_is_decoded_and_simplified(crawled):
    store = crawled["store"]
    docs = [d for d in store.rows("documents", "site_id = 'site-legacy'") if d["publisher"]]
    assert docs and all("機" not in d["publisher"] and "\ufffd" not in (d["title"] or "") for d in docs)


def test_summary_names_every_site(crawled):
    out = crawled["first"].stdout
    for cms, _ in FAMILIES:
        assert f"site-{cms}" in out
