"""The web view's canned queries and facets on a four-month database, in-process through
Datasette's own test client (the same metadata, view and plugin ``xxgk serve`` uses)."""

from __future__ import annotations

import asyncio

import pytest

from audits.review import counts, decide, select
from crawler.store import Store
from xxgk.web.metadata import build_metadata
from xxgk.web.serve import HERE, prepare

from _review_helpers import GZDT, ZCWJ, crawl

datasette_app = pytest.importorskip("datasette.app")


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "xxgk.db"
    store = Store(path)
    crawl(store, "2026-08", gzdt_latest="2026-07-01")
    crawl(store, "2026-09", gzdt_latest="2026-07-01")
    crawl(store, "2026-10", gzdt_latest="2026-10-15", beihu_up=False)
    crawl(store, "2026-11", gzdt_latest="2026-10-15")
    aug = [r["id"] for r in select(store, period="2026-08", site="beihu", check="column_stale")]
    decide(store, aug, "dismissed", reason="省级平台栏目", reviewer="张三")
    store.close()
    prepare(path)
    return path


def _get(db, review: bool, *paths: str) -> list:
    ds = datasette_app.Datasette([str(db)], metadata=build_metadata(db, review=review),
                                 plugins_dir=str(HERE / "plugins"), template_dir=str(HERE / "templates"))

    async def fetch():
        out = []
        for path in paths:
            response = await ds.client.get(path)
            assert response.status_code == 200, (path, response.text[:500])
            out.append(response.json() if ".json" in path else response.text)
        return out
    return asyncio.run(fetch())


def test_canned_queries_agree_with_the_command_line(db):
    store = Store(db)
    try:
        cli = {p: counts(select(store, period=p)) for p in ("2026-08", "2026-11")}
        sep_rows = select(store, period="2026-09", site="beihu")
    finally:
        store.close()
    pending, problems, history, tracking, unqualified = _get(
        db, False, "/xxgk/pending.json?_shape=array&period=2026-11",
        "/xxgk/problems.json?_shape=array&period=2026-08",
        "/xxgk/site_history.json?_shape=array&site=beihu",
        "/xxgk/tracking.json?_shape=array&period=2026-11",
        "/xxgk/unqualified.json?_shape=array")
    assert len(pending) == cli["2026-11"]["pending"]
    assert len(problems) == cli["2026-08"]["pending"] + cli["2026-08"]["confirmed"]
    assert all(p["网址"] != ZCWJ for p in problems)           # the dismissed one is not listed
    assert [s["state"] for s in sep_rows if s["url"] == ZCWJ] == ["dismissed"]

    # 某单位历次监测结论: one row per period, newest first, the dismissal counted per period.
    assert [h["监测期"] for h in history] == ["2026-11", "2026-10", "2026-09", "2026-08"]
    assert {h["监测期"]: h["驳回数"] for h in history} == {"2026-11": 1, "2026-10": 0, "2026-09": 1, "2026-08": 1}

    # 整改跟踪 for November: 松岭区's 工作动态 was fixed in October and is back → 新发现;
    # 西山县's empty columns were there in October too → 未整改.
    status = {(t["站点"], t["网址"]): t["整改状态"] for t in tracking}
    assert status[("songling", GZDT)] == "新发现"
    xishan = [v for (site, _), v in status.items() if site == "xishan"]
    assert xishan == ["未整改"] * 5
    first = {t["网址"]: t["首次发现"] for t in tracking}
    assert first[GZDT] == "2026-08"

    # 本期不合格单位及否决项 (latest period): 西山县, veto in Chinese.
    assert [(u["站点"], u["否决项"]) for u in unqualified] == [("xishan", "栏目空白")]


def test_problem_view_facets_and_links(db):
    [facets] = _get(db, False, "/xxgk/problem_review.json?_facet=单位&_facet=问题类型&_facet=严重程度"
                               "&_facet=审核状态&监测期=2026-11&本期通报=1")
    results = facets["facet_results"]
    results = results.get("results", results)
    states = {f["value"]: f["count"] for f in results["审核状态"]["results"]}
    assert states["已驳回"] == 1
    assert {f["value"] for f in results["单位"]["results"]} == {"松岭区人民政府", "北湖区人民政府", "西山县人民政府"}
    [html] = _get(db, False, "/xxgk/problem_review?监测期=2026-11&本期通报=1")
    assert f'<a href="{GZDT}"' in html                       # evidence link
    assert 'href="/xxgk/sites/songling"' in html             # site link
    assert "<h1" in html and "问题审核" in html and "全部问题及其审核状态" in html   # Chinese title, description


def test_database_page_lists_tables_and_queries_in_chinese(db):
    [home, database] = _get(db, False, "/", "/xxgk")
    assert "政府网站信息公开专栏监测工作台" in home
    for text in ("监测数据库", "问题审核", "监测结论", "审核记录", "本期不合格单位及否决项", "整改跟踪（新发现/未整改/已整改）",
                 "某单位历次监测结论", "待审核问题", 'href="/-/dashboards/xxgk-overview"'):
        assert text in database, text
