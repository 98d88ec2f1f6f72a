"""Unknown is not empty, over real HTTP: list pages lost for good, through crawl → audit → 通报.

Two Hanweb portals on *busy* simulated servers (HTTP/1.0, backlog 5), crawled by `xxgk crawl`
in two periods. October: everything answers. November (the same portals, same ports):

* ``un-a`` 巢湖市: the dataproxy POST with the 工作动态 records 46… answers 503 for good (the
  column page declares 80 records, 45 are shipped inside it) → the column is ``incomplete``; the
  通知公告 column page answers 503 for good → ``unreadable``. 工作动态 is stale in both months
  (simulator defect ``column_stale:工作动态``), so without the rule it would be a persisting
  ``column_stale`` in November, and with a naive comparison its absence would be "已整改".
  Two of its four columns are unseen: exactly half, still judged.
* ``un-b`` 东湖区: three of its four column pages answer 503 for good → 未能自动检查.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from _bulletin_helpers import md_section, md_table
from conftest import run_xxgk

# two crawls of two portals in the first test's setup: generous on a loaded machine
pytestmark = pytest.mark.timeout(1500)

simulator = pytest.importorskip("crawler.simulator", reason="the simulator (crawler/simulator) is missing")

AS_OF = {"2026-10": date(2026, 10, 20), "2026-11": date(2026, 11, 20)}
STARTED = {"2026-10": "2026-10-20 02:00:00", "2026-11": "2026-11-20 02:00:00"}
COLUMNS = [("gzdt", "工作动态", "news", 80), ("tzgg", "通知公告", "notice", 6), ("zcwj", "政策文件", "policy", 6)]
PROXY = "/module/web/jpage/dataproxy.jsp"


def _portals(period: str):
    as_of = AS_OF[period]
    a = simulator.build_portal("un-a", "巢湖市人民政府", "hanweb", as_of, seed=3, columns=COLUMNS,
                               defects=["column_stale:工作动态"])
    b = simulator.build_portal("un-b", "东湖区人民政府", "hanweb", as_of, seed=3, columns=COLUMNS)
    if period == "2026-11":
        news, notice = a.column("工作动态"), a.column("通知公告")

        def fail_a(method, path, query, form):
            lost_page = (method == "POST" and path == PROXY and query.get("startrecord") == ["46"]
                         and form.get("columnid") == [str(news.number)])
            return lost_page or path == notice.path

        lost_b = {b.column(name).path for name in ("通知公告", "政策文件")} | {b.annual_column.path}
        a.fail_when = fail_a
        b.fail_when = lambda method, path, query, form: path in lost_b
    return [a, b]


def _crawl_and_audit(tmp, db, period: str, ports: list[int]) -> dict:
    from audits.engine import audit
    from crawler.store import Store

    portals = _portals(period)
    with simulator.SimulatorServer(portals, ports=ports, busy="http10") as server:
        seeds = tmp / f"seeds-{period}.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        crawl = run_xxgk("crawl", "--seeds", str(seeds), "--db", str(db), "--delay", "0",
                         "--concurrency", "8", "--no-progress", timeout=400, check=True)
        urls = {p.site_id: server.base_url(p.site_id).rstrip("/") for p in portals}
        paths = {p.site_id: {c.name: c.path for c in p.columns} for p in portals}
    store = Store(db)
    try:
        run_id = store.db.execute("select max(id) from runs").fetchone()[0]
        result = audit(store, AS_OF[period]).to_json()
        store.db["runs"].update(run_id, {"started_at": STARTED[period]})
    finally:
        store.close()
    audit_json = run_xxgk("audit", "--db", str(db), "--as-of", AS_OF[period].isoformat(),
                          "--format", "json", check=True).stdout
    assert json.loads(audit_json)["sites"] == result["sites"]
    return {"run_id": run_id, "crawl": crawl, "audit": result, "base": urls, "paths": paths}


@pytest.fixture(scope="module")
def periods(tmp_path_factory):
    from xxgk.demo import free_ports

    tmp = tmp_path_factory.mktemp("unseen-e2e")
    db = tmp / "xxgk.db"
    ports = free_ports(2)
    october = _crawl_and_audit(tmp, db, "2026-10", ports)
    november = _crawl_and_audit(tmp, db, "2026-11", ports)
    out = tmp / "out"
    run_xxgk("bulletin", "--period", "2026-11", "--db", str(db), "--out", str(out),
             "--format", "md,html,docx", check=True)
    return {"db": db, "out": out, "october": october, "november": november,
            "md": (out / "bulletin-2026-11.md").read_text(encoding="utf-8"),
            "html": (out / "bulletin-2026-11.html").read_text(encoding="utf-8")}


def _columns(db, run_id: int, site: str) -> dict[str, dict]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    rows = conn.execute("select * from columns where run_id = ? and site_id = ?", [run_id, site]).fetchall()
    conn.close()
    return {r["name"]: dict(r) for r in rows}


def _findings(period: dict, site: str) -> list[dict]:
    return [f for f in period["audit"]["findings"] if f["site"] == site]


def _verdict(period: dict, site: str) -> dict:
    return next(s for s in period["audit"]["sites"] if s["site"] == site)


def test_october_sees_everything_and_finds_the_stale_column(periods):
    oct_ = periods["october"]
    cols = _columns(periods["db"], oct_["run_id"], "un-a")
    assert {c["status"] for c in cols.values()} == {"ok"}
    assert cols["工作动态"]["item_count"] == 80 == cols["工作动态"]["declared_total"]
    stale = [f for f in _findings(oct_, "un-a") if f["check"] == "column_stale"]
    assert [f["column"] for f in stale] == ["工作动态"]
    assert _verdict(oct_, "un-a")["verdict"] == "合格" and _verdict(oct_, "un-b")["verdict"] == "合格"


def test_a_list_page_lost_for_good_makes_the_column_incomplete(periods):
    nov = periods["november"]
    cols = _columns(periods["db"], nov["run_id"], "un-a")
    news = cols["工作动态"]
    assert news["status"] == "incomplete" and news["item_count"] == 45
    assert "共80条" in news["status_reason"] and "只读取到45条" in news["status_reason"]
    assert "dataproxy.jsp" in news["status_reason"] and "HTTP 503" in news["status_reason"]
    notice = cols["通知公告"]
    assert notice["status"] == "unreadable" and "HTTP 503" in notice["status_reason"]
    assert cols["政策文件"]["status"] == "ok"
    conn = sqlite3.connect(periods["db"])
    crawl_status = conn.execute("select status from crawls where run_id = ? and site_id = 'un-a'",
                                [nov["run_id"]]).fetchone()[0]
    conn.close()
    assert crawl_status == "partial"


def test_the_crawl_summary_names_the_unseen_columns(periods):
    out = periods["november"]["crawl"].stdout + periods["november"]["crawl"].stderr
    base = periods["november"]["base"]["un-a"]
    paths = periods["november"]["paths"]["un-a"]
    assert "未完整读取的栏目 5 个" in out
    news_line = next(line for line in out.splitlines() if "“工作动态”" in line)
    assert "un-a" in news_line and "未完整读取" in news_line and "只读取到45条" in news_line
    assert base + paths["工作动态"] in news_line
    notice_line = next(line for line in out.splitlines() if "un-a “通知公告”" in line)
    assert "未能读取" in notice_line and "HTTP 503" in notice_line
    assert "未完整读取的栏目" not in periods["october"]["crawl"].stdout


def test_no_empty_or_stale_for_what_was_not_seen_only_notes(periods):
    nov = periods["november"]
    found = _findings(nov, "un-a")
    judged = {(f["check"], f["column"]) for f in found}
    assert ("column_stale", "工作动态") not in judged
    assert not {c for c, col in judged if col == "通知公告"} - {"column_unreadable"}
    notes = {(f["check"], f["column"]): f for f in found if f["severity"] == "info"}
    assert set(notes) == {("column_incomplete", "工作动态"), ("column_unreadable", "通知公告")}
    base, paths = nov["base"]["un-a"], nov["paths"]["un-a"]
    assert notes[("column_unreadable", "通知公告")]["url"] == base + paths["通知公告"]
    assert "HTTP 503" in notes[("column_unreadable", "通知公告")]["detail"]
    # two of four columns unseen: exactly half, still judged, and nothing seen is wrong
    assert _verdict(nov, "un-a") == {"site": "un-a", "url": base + "/", "verdict": "合格",
                                     "vetoes": [], "reason": None}


def test_a_site_mostly_unseen_gets_no_verdict(periods):
    nov = periods["november"]
    site = _verdict(nov, "un-b")
    assert site["verdict"] == "未能自动检查" and site["vetoes"] == []
    assert "4个栏目中有3个未能完整读取" in site["reason"]
    checks = {f["check"] for f in _findings(nov, "un-b")}
    assert not checks & {"column_empty", "column_stale", "annual_report_missing"}
    assert sum(f["check"] == "column_unreadable" for f in _findings(nov, "un-b")) == 3


def test_the_bulletin_calls_nothing_on_the_unseen_column_fixed(periods):
    md = periods["md"]
    base, paths = periods["november"]["base"]["un-a"], periods["november"]["paths"]["un-a"]
    news_url = base + paths["工作动态"]
    rows = md_table(md, "附件3")
    assert rows, "the October stale problem must be accounted for in 附件3"
    by_url = {r[6].strip("<>"): r for r in rows[1:]}
    assert by_url[news_url][7] == "无法核实" and by_url[news_url][2] == "栏目更新不及时"
    assert all(r[7] != "已整改" for r in rows[1:])
    overview = md_section(md, "一、总体情况")
    assert "已整改0个" in overview and "另有1个因本期相关栏目或网站未能完整读取而无法核实" in overview


def test_the_bulletin_explains_the_unchecked_site_and_the_columns_to_check(periods):
    md = periods["md"]
    overview = md_section(md, "一、总体情况")
    assert "合格的网站1个、不合格的网站0个，另有1个网站未能自动检查" in overview
    assert "合格率按已检查的1个网站计算，为100%" in overview
    notes = md_section(md, "四、说明")
    assert "东湖区人民政府：4个栏目中有3个未能完整读取" in notes
    assert "巢湖市人民政府：2个栏目" in notes and "“工作动态”栏目未完整读取" in notes
    base_b, paths_b = periods["november"]["base"]["un-b"], periods["november"]["paths"]["un-b"]
    assert f"<{base_b + paths_b['通知公告']}>" in notes
    table = md_table(md, "附件1")
    conclusion = next(i for i, h in enumerate(table[0]) if "结论" in h)
    units = {r[1]: r for r in table[1:]}
    assert units["东湖区人民政府"][conclusion] == "未能自动检查"
    assert "未能自动检查" in periods["html"] and "四、说明" in periods["html"]


def test_the_word_bulletin_has_the_notes_too(periods):
    docx = pytest.importorskip("docx")
    doc = docx.Document(str(periods["out"] / "bulletin-2026-11.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "四、说明" in text and "东湖区人民政府：4个栏目中有3个未能完整读取" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "未能自动检查" in cells and "无法核实" in cells
