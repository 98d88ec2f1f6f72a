"""人工审核 (``xxgk review``): dismissals leave the 通报, carry over while the problem persists,
and a problem that was fixed and came back is new again.

Four monthly crawls are stored through the Store API and judged by the real audit engine
(``audits.engine.audit``), so the findings rows are deleted and re-inserted by every audit as in
production. 松岭区 has a stale 工作动态 column in August and September, none in October (a new
item appeared: fixed) and a stale one again in November. 北湖区 has a stale 政策文件 column every
month it is reached; in October its portal cannot be reached (unknown, not fixed). 西山县 has
five empty columns (veto ``column_empty``: 不合格) in every month.
"""

from __future__ import annotations

import json

import pytest

from audits.bulletin import gather
from audits.bulletin.wording import compose
from audits.review import ReviewError, decide, select
from crawler.store import Store

from _review_helpers import GZDT, ZCWJ, crawl as _crawl


def _finding(store: Store, month: str, site: str, check: str, url: str) -> dict | None:
    rows = [r for r in select(store, period=month, site=site, check=check) if r["url"] == url]
    assert len(rows) <= 1
    return rows[0] if rows else None


def _problems(data, site: str, check: str) -> list:
    return [p for p in data.problems if p.site_id == site and p.check == check]


@pytest.fixture()
def store(tmp_path):
    s = Store(tmp_path / "xxgk.db")
    yield s
    s.close()


def test_dismissal_persists_until_fixed_and_a_reappearance_is_new(store, tmp_path, xxgk):
    db = str(tmp_path / "xxgk.db")
    _crawl(store, "2026-08", gzdt_latest="2026-07-01")
    stale = _finding(store, "2026-08", "songling", "column_stale", GZDT)
    beihu = _finding(store, "2026-08", "beihu", "column_stale", ZCWJ)
    assert stale["state"] == beihu["state"] == "pending"

    proc = xxgk("review", "dismiss", str(stale["id"]), str(beihu["id"]), "--db", db,
                "--reason", "栏目已迁移至新网址，属误报", "--by", "张三")
    assert proc.returncode == 0, proc.stderr
    aug = gather(store, "2026-08")
    assert _problems(aug, "songling", "column_stale") == [] and aug.dismissed == 2

    # September: both problems persist (new findings rows, new ids) → still dismissed.
    _crawl(store, "2026-09", gzdt_latest="2026-07-01")
    sep_stale = _finding(store, "2026-09", "songling", "column_stale", GZDT)
    assert sep_stale["id"] != stale["id"]
    assert sep_stale["state"] == "dismissed" and sep_stale["reason"] == "栏目已迁移至新网址，属误报"
    assert sep_stale["reviewer"] == "张三"
    sep = gather(store, "2026-09")
    assert _problems(sep, "songling", "column_stale") == [] and sep.dismissed == 2
    overview = [b.text for b in compose(sep).sections[0].blocks]
    assert "经人工审核，驳回自动监测发现的问题2个，未纳入本通报。" in overview
    proc = xxgk("bulletin", "--period", "2026-09", "--db", db, "--out", str(tmp_path / "out"), "--format", "md")
    assert proc.returncode == 0, proc.stderr
    md = (tmp_path / "out" / "bulletin-2026-09.md").read_text(encoding="utf-8")
    assert "驳回自动监测发现的问题2个" in md
    assert GZDT not in md and ZCWJ not in md          # neither in the text nor in 附件2
    assert "西山县人民政府" in md                       # the undismissed problems are there

    # October: 工作动态 was updated (fixed); 北湖区 could not be reached (not seen ≠ fixed).
    _crawl(store, "2026-10", gzdt_latest="2026-10-15", beihu_up=False)
    assert _finding(store, "2026-10", "songling", "column_stale", GZDT) is None

    # November: 工作动态 is stale again → a new problem, 待审核, back in the 通报;
    # 北湖区's problem was never seen fixed → its dismissal still holds.
    _crawl(store, "2026-11", gzdt_latest="2026-10-15")
    back = _finding(store, "2026-11", "songling", "column_stale", GZDT)
    assert back["state"] == "pending" and back["reason"] is None
    assert _finding(store, "2026-11", "beihu", "column_stale", ZCWJ)["state"] == "dismissed"
    nov = gather(store, "2026-11")
    [again] = _problems(nov, "songling", "column_stale")
    assert again.status == "new" and again.url == GZDT
    assert _problems(nov, "beihu", "column_stale") == [] and nov.dismissed == 1

    # The older periods keep the decision they had.
    assert _finding(store, "2026-09", "songling", "column_stale", GZDT)["state"] == "dismissed"


def test_dismissing_a_veto_finding_changes_the_verdict_and_confirmed_only(store, tmp_path, xxgk):
    db = str(tmp_path / "xxgk.db")
    _crawl(store, "2026-11", gzdt_latest="2026-11-18")
    data = gather(store, "2026-11")
    xishan = next(s for s in data.sites if s.site_id == "xishan")
    assert xishan.verdict == "不合格" and xishan.vetoes == ["column_empty"]
    empty = select(store, period="2026-11", site="xishan", check="column_empty")
    assert len(empty) == 5

    proc = xxgk("review", "dismiss", str(empty[0]["id"]), "--db", db, "--reason", "该栏目为外链，非空白")
    assert proc.returncode == 0, proc.stderr
    data = gather(store, "2026-11")
    xishan = next(s for s in data.sites if s.site_id == "xishan")
    assert xishan.verdict == "合格" and xishan.vetoes == []     # 4 empty columns: no veto
    verdict = store.db.execute("select verdict, reviewed_verdict from verdicts where site_id = 'xishan'").fetchone()
    assert tuple(verdict) == ("不合格", "合格")

    # --confirmed-only: nothing confirmed yet → no problem at all, every pending one left out.
    only = gather(store, "2026-11", confirmed_only=True)
    assert only.problems == [] and only.unconfirmed == len(select(store, period="2026-11")) - 1
    assert all(s.verdict == "合格" for s in only.sites)
    proc = xxgk("review", "confirm", "--db", db, "--site", "xishan", "--check", "column_empty")
    assert proc.returncode == 0, proc.stderr
    assert "已将 4 条问题标记为已确认" in proc.stdout    # bulk: pending ones only, the dismissal stands
    only = gather(store, "2026-11", confirmed_only=True)
    assert len(_problems(only, "xishan", "column_empty")) == 4


def test_bulk_dismiss_by_check_and_listing_counts(store, tmp_path, xxgk):
    db = str(tmp_path / "xxgk.db")
    _crawl(store, "2026-11", gzdt_latest="2026-09-01")
    before = json.loads(xxgk("review", "--db", db, "--format", "json", check=True).stdout)
    assert before["period"] == "2026-11"
    assert before["counts"]["pending"] == len(before["findings"]) > 0
    proc = xxgk("review", "dismiss", "--db", db, "--check", "column_stale", "--reason", "省级统一平台栏目")
    assert proc.returncode == 0, proc.stderr
    after = json.loads(xxgk("review", "--db", db, "--format", "json", "--state", "dismissed", check=True).stdout)
    assert {f["check"] for f in after["findings"]} == {"column_stale"}
    assert {f["url"] for f in after["findings"]} == {GZDT, ZCWJ}
    assert all(f["reason"] == "省级统一平台栏目" for f in after["findings"])


def test_dismissal_without_reason_is_refused_in_one_line(store, tmp_path, xxgk):
    db = str(tmp_path / "xxgk.db")
    _crawl(store, "2026-11", gzdt_latest="2026-09-01")
    some = select(store, period="2026-11")[0]
    proc = xxgk("review", "dismiss", str(some["id"]), "--db", db)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == ["Error: 驳回必须写明理由（--reason）"]
    assert "Traceback" not in proc.stderr
    blank = xxgk("review", "dismiss", str(some["id"]), "--db", db, "--reason", "   ")
    assert blank.returncode == 1 and "驳回必须写明理由" in blank.stderr
    assert store.db["reviews"].count == 0
    assert select(store, ids=[some["id"]])[0]["state"] == "pending"
    with pytest.raises(ReviewError):
        decide(store, [some["id"]], "dismissed", reason="")
    unknown = xxgk("review", "confirm", "999999", "--db", db)
    assert unknown.returncode == 1 and "999999" in unknown.stderr and "Traceback" not in unknown.stderr
    nothing = xxgk("review", "confirm", "--db", db)
    assert nothing.returncode == 1 and "--site" in nothing.stderr
