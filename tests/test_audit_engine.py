"""The audit engine and `xxgk audit`: stored crawl → findings table, JSON shape, table, idempotence."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from rich.cells import cell_len

from audits.engine import audit
from crawler.store import Store
from xxgk.cli import cli
from _audit_helpers import d

BASE = "http://songling.test"


def _populate(path) -> None:
    """Two sites crawled in run 1: songling (reached, with defects), dead (unreachable, probed)."""
    store = Store(path)
    run = store.start_run()
    store.upsert_site("songling", "松岭区人民政府", BASE + "/",
                      config={"columns": [{"name": "领导活动", "category": "news"}],
                              "annual_reports_since": 2023})
    store.upsert_crawl(run, "songling", url=BASE + "/", entry_url=BASE + "/xxgk/", status="ok")
    store.upsert_site("dead", "死站", "http://dead.test/")
    store.upsert_crawl(run, "dead", url="http://dead.test/", status="unreachable", error="DNS lookup failed")
    # A week of hourly availability probes (xxgk probe) before the as-of, every one failed:
    # the 19号 measurement that makes the failed crawl a site_unreachable veto.
    store.add_probes({"site_id": "dead", "url": "http://dead.test/", "kind": "homepage",
                      "round": f"2026-11-{day:02d} {hour:02d}:00:00",
                      "at": f"2026-11-{day:02d} {hour:02d}:00:00", "status": None, "error": "dns",
                      "elapsed_ms": 3, "ok": 0} for day in range(15, 22) for hour in range(24))
    cols = [("工作动态", "/xxgk/gzdt/", "2026-10-01", 1), ("领导活动", "/xxgk/ldhd/", "2026-10-02", 1),
            ("通知公告", "/xxgk/tzgg/", "2026-11-01", 1), ("财政预决算", "/xxgk/czyjs/", None, 0),
            ("政府信息公开年报", "/xxgk/ndbg/", "2025-01-20", 1)]
    for name, path, latest, count in cols:
        store.upsert_column(run, "songling", BASE + path, name=name, item_count=count, latest_date=latest)
    items = {"/xxgk/gzdt/": ("/xxgk/gzdt/1.html", "动态一", "2026-10-01"),
             "/xxgk/ldhd/": ("/xxgk/ldhd/1.html", "活动一", "2026-10-02"),
             "/xxgk/tzgg/": ("/xxgk/tzgg/1.html", "公告一", "2026-11-01"),
             "/xxgk/ndbg/": ("/xxgk/ndbg/2024.html", "松岭区人民政府2024年政府信息公开工作年度报告", "2025-01-20")}
    for n, (col, (url, title, day)) in enumerate(items.items()):
        store.add_column_items(run, "songling", BASE + col, [{"url": BASE + url, "title": title,
                                                              "list_date": day, "position": 0}])
        ok = col != "/xxgk/tzgg/"
        store.upsert_document(run, "songling", BASE + url, title=title, column_url=BASE + col,
                              list_date=day, published=day, written=day if ok else None,
                              index_no=f"000000000-2024-{n:05d}" if ok else None,
                              publisher="松岭区人民政府", raw={"labels": {}, "date_texts": {"written": day}})
        store.record_link(run, "songling", BASE + url, source_url=BASE + col, kind="item", status=200)
    store.record_link(run, "songling", BASE + "/files/x.pdf", source_url=BASE + "/xxgk/gzdt/1.html",
                      kind="attachment", status=404)
    store.finish_run(run, "partial")
    store.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "xxgk.db"
    _populate(path)
    return str(path)


EXPECTED = [
    ("dead", "site_unreachable", None, None, "http://dead.test/"),
    ("songling", "column_stale", "工作动态", None, BASE + "/xxgk/gzdt/"),
    ("songling", "column_stale", "领导活动", None, BASE + "/xxgk/ldhd/"),
    ("songling", "column_empty", "财政预决算", None, BASE + "/xxgk/czyjs/"),
    ("songling", "annual_report_missing", "政府信息公开年报", 2023, BASE + "/xxgk/ndbg/"),
    ("songling", "annual_report_missing", "政府信息公开年报", 2025, BASE + "/xxgk/ndbg/"),
    ("songling", "metadata_missing", "通知公告", None, BASE + "/xxgk/tzgg/1.html"),
    ("songling", "broken_link", "工作动态", None, BASE + "/files/x.pdf"),
]


def test_audit_stores_and_returns_findings_in_catalogue_order(db):
    store = Store(db)
    result = audit(store, d("2026-11-21"))
    got = [(s, f.check, f.column, f.year, f.url) for s, f in result.findings()]
    assert got == EXPECTED
    rows = store.db.execute("select site_id, \"check\", \"column\", year, url from findings "
                            "order by id").fetchall()
    assert [tuple(r) for r in rows] == EXPECTED
    verdicts = {r["site_id"]: (r["verdict"], json.loads(r["vetoes"])) for r in store.rows("verdicts")}
    # the crawl saw nothing, but a week of probes proves 站点无法访问: a veto proven
    # independently of what was unseen still makes the site 不合格 (docs/checks.md)
    assert verdicts == {"dead": ("不合格", ["site_unreachable"]), "songling": ("合格", [])}
    reasons = {r["site_id"]: r["reason"] for r in store.rows("verdicts")}
    assert reasons == {"dead": None, "songling": None}        # a reason only for 未能自动检查


def test_reaudit_same_run_replaces_findings(db):
    store = Store(db)
    first = audit(store, d("2026-11-21")).to_json()
    second = audit(store, d("2026-11-21")).to_json()
    assert first == second
    assert store.db.execute("select count(*) from findings").fetchone()[0] == len(EXPECTED)
    assert store.db.execute("select count(*) from verdicts").fetchone()[0] == 2


def test_json_shape_matches_spec(db):
    out = audit(Store(db), d("2026-11-21")).to_json()
    assert set(out) == {"as_of", "sites", "findings"} and out["as_of"] == "2026-11-21"
    dead = out["sites"][0]
    assert {k: dead[k] for k in ("site", "url", "verdict", "vetoes")} == {
        "site": "dead", "url": "http://dead.test/", "verdict": "不合格", "vetoes": ["site_unreachable"]}
    assert dead["reason"] is None and out["sites"][1]["reason"] is None
    for f in out["findings"]:
        assert list(f) == ["site", "check", "severity", "column", "url", "year", "detail"]
        assert f["severity"] in ("veto", "deduct", "info") and f["detail"]
    stale = next(f for f in out["findings"] if f["check"] == "column_stale")
    assert stale["detail"] == "栏目最新信息发布于2026-10-01，已51天未更新（限值14天）"


def test_cli_json(db):
    res = CliRunner().invoke(cli, ["audit", "--db", db, "--as-of", "2026-11-21", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert [(f["site"], f["check"], f["column"], f["year"], f["url"]) for f in out["findings"]] \
        == [tuple(e) for e in EXPECTED]


def test_cli_table_fits_80_columns(db):
    res = CliRunner().invoke(cli, ["audit", "--db", db, "--as-of", "2026-11-21", "--format", "table"])
    assert res.exit_code == 0, res.output
    assert "不合格" in res.output and "松岭区人民政府" in res.output and "栏目更新不及时2" in res.output
    assert "网站无法访问" in res.output
    assert max(cell_len(line) for line in res.output.splitlines()) <= 80


def test_cli_site_filter_and_errors(db, tmp_path):
    res = CliRunner().invoke(cli, ["audit", "--db", db, "--as-of", "2026-11-21", "--format", "json",
                                   "--site", "dead"])
    assert res.exit_code == 0 and {f["site"] for f in json.loads(res.output)["findings"]} == {"dead"}
    res = CliRunner().invoke(cli, ["audit", "--db", str(tmp_path / "none.db")])
    assert res.exit_code != 0 and "找不到数据库" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(cli, ["audit", "--db", db, "--as-of", "2026-13-01"])
    assert res.exit_code != 0 and "YYYY-MM-DD" in res.output
    empty = tmp_path / "empty.db"
    Store(empty).close()
    res = CliRunner().invoke(cli, ["audit", "--db", str(empty)])
    assert res.exit_code != 0 and "采集记录" in res.output
