"""The acceptance test of the 通报: two consecutive periods through the REAL pipeline.

Simulated portals → `xxgk crawl` (subprocess) → audit → runs dated into 2026-10; the portals
rebuilt with one problem fixed, the others persisting and one new → second crawl and audit →
runs dated into 2026-11 → `xxgk bulletin --period 2026-11`. The bulletin must call each problem
new / persisting / fixed as the simulator's ground truth says, with the right counts and 合格率.

Portals (small, so the two crawls take seconds):
* ``bj-a`` 松岭区: stale 工作动态 both times (persists); a broken link in October only (fixed);
  a document without 索引号 in November only (new). 合格 (no veto).
* ``bj-b`` 东湖区: five empty columns both times (five persisting problems, veto → 不合格).
* ``bj-c`` 青川县: clean both times (合格, no problem).
"""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from _bulletin_helpers import md_section, md_table
from audits.rules import load_rules
from conftest import run_xxgk

simulator = pytest.importorskip("crawler.simulator", reason="the simulator (crawler/simulator) is missing")

AS_OF = {"2026-10": date(2026, 10, 20), "2026-11": date(2026, 11, 20)}
STARTED = {"2026-10": "2026-10-20 02:00:00", "2026-11": "2026-11-20 02:00:00"}
SMALL = [("gzdt", "工作动态", "news", 4), ("tzgg", "通知公告", "notice", 4), ("zcwj", "政策文件", "policy", 4)]
EMPTY = [("a", "机构职能"), ("b", "人事信息"), ("c", "规划计划"), ("d", "财政资金"), ("e", "政策解读")]
DEFECTS_A = {"2026-10": ["column_stale:工作动态", "broken_link::404"],
             "2026-11": ["column_stale:工作动态", "metadata_missing::index_no"]}
NAMES = {"bj-a": "松岭区人民政府", "bj-b": "东湖区人民政府", "bj-c": "青川县人民政府"}


def _portals(period: str):
    as_of = AS_OF[period]
    return [
        simulator.build_portal("bj-a", NAMES["bj-a"], "trs", as_of, seed=5, defects=DEFECTS_A[period],
                               columns=SMALL),
        simulator.build_portal("bj-b", NAMES["bj-b"], "legacy", as_of, seed=5,
                               defects=["column_empty"] * 5, columns=EMPTY),
        simulator.build_portal("bj-c", NAMES["bj-c"], "jsonapi", as_of, seed=5, columns=SMALL),
    ]


def _crawl_and_audit(tmp, db, period: str, ports: list[int]) -> dict:
    """Serve the period's portals, crawl them for real, audit, date the run into ``period``."""
    from audits.engine import audit
    from crawler.store import Store

    portals = _portals(period)
    with simulator.SimulatorServer(portals, ports=ports) as server:
        seeds = tmp / f"seeds-{period}.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        # the two crawls stand for two months, so no page counts as recently checked
        run_xxgk("crawl", "--seeds", str(seeds), "--db", str(db), "--delay", "0",
                 "--concurrency", "8", "--no-progress", "--recheck-after", "0", timeout=300, check=True)
        truth = {p.site_id: server.truth(p.site_id) for p in portals}
    store = Store(db)
    try:
        run_id = store.db.execute("select max(id) from runs").fetchone()[0]
        audit(store, AS_OF[period])
        store.db["runs"].update(run_id, {"started_at": STARTED[period]})
    finally:
        store.close()
    found = {}
    for site_id, t in truth.items():
        for f in t["defects"]:
            found[(f["check"], f["url"])] = {**f, "site": site_id}
    return found


@pytest.fixture(scope="module")
def periods(tmp_path_factory):
    from xxgk.demo import free_ports

    tmp = tmp_path_factory.mktemp("bulletin-e2e")
    db = tmp / "xxgk.db"
    ports = free_ports(3)   # the same ports both months: a problem's URL must not move
    october = _crawl_and_audit(tmp, db, "2026-10", ports)
    november = _crawl_and_audit(tmp, db, "2026-11", ports)
    out = tmp / "out"
    proc = run_xxgk("bulletin", "--period", "2026-11", "--db", str(db), "--out", str(out),
                    "--format", "md,html,docx", check=True)
    return {"db": db, "out": out, "october": october, "november": november, "stdout": proc.stdout,
            "md": (out / "bulletin-2026-11.md").read_text(encoding="utf-8")}


def _expected(periods) -> dict[str, set]:
    """The ground truth's split: keys (check, url) present in both months, only now, only before."""
    oct_keys, nov_keys = set(periods["october"]), set(periods["november"])
    return {"persisting": oct_keys & nov_keys, "new": nov_keys - oct_keys, "fixed": oct_keys - nov_keys}


def test_ground_truth_has_one_fixed_one_new_and_persisting_problems(periods):
    split = _expected(periods)
    assert [c for c, _ in split["fixed"]] == ["broken_link"]
    assert [c for c, _ in split["new"]] == ["metadata_missing"]
    assert sorted(c for c, _ in split["persisting"]) == ["column_empty"] * 5 + ["column_stale"]


def test_the_audit_found_exactly_the_injected_problems_in_both_months(periods):
    conn = sqlite3.connect(periods["db"])
    rows = conn.execute("""select substr(r.started_at, 1, 7), f."check", f.url from findings f
                           join runs r on r.id = f.run_id where f.severity != 'info'""").fetchall()
    conn.close()
    for period in ("2026-10", "2026-11"):
        got = {(c, u) for p, c, u in rows if p == period}
        assert got == set(periods["october" if period == "2026-10" else "november"]), period


def test_second_bulletin_calls_each_problem_new_persisting_or_fixed(periods):
    split = _expected(periods)
    status = {"新发现": "new", "未整改": "persisting"}
    listed = md_table(periods["md"], "附件2")
    assert listed[0][:8] == ["序号", "单位", "问题类型", "栏目", "年度", "问题描述", "网址", "状态"]
    got = {"new": set(), "persisting": set()}
    names = {label: check for check, label in load_rules().labels}   # 中文名 → check id
    for row in listed[1:]:
        url = row[6].strip("<>")
        got[status[row[7]]].add((names[row[2]], url))
    assert got["new"] == split["new"]
    assert got["persisting"] == split["persisting"]
    fixed = md_table(periods["md"], "附件3")
    assert {(names[r[2]], r[6].strip("<>")) for r in fixed[1:]} == split["fixed"]
    assert all(r[7] == "已整改" for r in fixed[1:])
    # the fixed problem is the October broken link, named with its unit
    (fixed_key,) = split["fixed"]
    assert fixed[1][1] == NAMES[periods["october"][fixed_key]["site"]]


def test_second_bulletin_counts_and_qualification_rate(periods):
    md = periods["md"]
    overview = md_section(md, "一、总体情况")
    assert "本期共监测全市政府网站3个" in overview
    assert "合格的网站2个、不合格的网站1个，合格率66.7%" in overview
    assert "共发现问题7个，其中栏目更新不及时1个、栏目空白5个、元数据缺失1个。" in overview
    assert "本期新发现问题1个" in overview
    assert "已整改1个、未整改6个，整改率14.3%" in overview
    assert "东湖区人民政府（栏目空白）共1个网站存在单项否决问题" in overview
    # 监测日期 in the opening: the November run's date
    assert "于2026年11月20日对全市3个政府网站" in md


def test_second_bulletin_main_problems_by_type_vetoed_first(periods):
    body = md_section(periods["md"], "二、存在的主要问题")
    headings = [line for line in body.splitlines() if line.startswith("### ")]
    assert headings == ["### （一）栏目更新不及时", "### （二）栏目空白", "### （三）元数据缺失"]
    assert "东湖区人民政府（单项否决）：5个问题。" in body
    for (check, url) in periods["november"]:
        assert f"<{url}>" in body, f"evidence URL of {check} missing: {url}"


def test_unit_table_has_one_row_per_portal(periods):
    units = md_table(periods["md"], "附件1")
    assert units[0] == ["序号", "单位", "网站", "检查栏目数", "问题数", "连通率", "否决项", "结论"]
    rows = {r[1]: r for r in units[1:]}
    assert set(rows) == set(NAMES.values())
    assert units[1][1] == "东湖区人民政府", "a vetoed unit is listed first"
    assert rows["东湖区人民政府"][4:] == ["5", "未监测", "栏目空白", "不合格"]   # not probed
    assert rows["松岭区人民政府"][4:] == ["2", "未监测", "无", "合格"]
    assert rows["青川县人民政府"][4:] == ["0", "未监测", "无", "合格"]
    assert int(rows["东湖区人民政府"][3]) >= 5   # its five empty columns were checked


def test_all_three_formats_written_with_same_rate(periods):
    from docx import Document

    out = periods["out"]
    printed = set(periods["stdout"].split())
    for ext in ("md", "html", "docx"):
        assert str(out / f"bulletin-2026-11.{ext}") in printed
    html = (out / "bulletin-2026-11.html").read_text(encoding="utf-8")
    assert "合格率66.7%" in html and "已整改1个、未整改6个" in html
    text = "\n".join(p.text for p in Document(str(out / "bulletin-2026-11.docx")).paragraphs)
    assert "合格率66.7%" in text and "已整改1个、未整改6个" in text
