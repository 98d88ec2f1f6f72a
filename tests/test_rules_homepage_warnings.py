"""homepage_stale (19号 "监测2周，首页无信息更新的") and the 预警 thresholds (veto_warning)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from _audit_helpers import RULES, column, site
from audits.checks import homepage
from audits.engine import audit_site
from audits.verdict import judge
from crawler.homepage import level2_links, read_home

AS_OF = date(2026, 3, 15)
HOME = "http://songling.test/"


def _home(*dates, level=1, status="ok", reason=None):
    # one column read completely (no update limit), so the verdict is about the homepage alone
    s = site(columns=[column("机构职能", f"{HOME}xxgk/jgzn/", "2026-03-01")], status="ok")
    s.crawl.update(home_status=status, home_reason=reason)
    s.home_items = [{"run_id": 1, "site_id": "songling", "page_url": HOME, "level": level,
                     "url": f"{HOME}xwzx/t{n}.html", "title": f"要闻{n}", "list_date": d, "position": n}
                    for n, d in enumerate(dates)]
    return s


def _ago(days: int) -> str:
    return (AS_OF - timedelta(days=days)).isoformat()


@pytest.mark.parametrize("age,expected", [(0, []), (10, []), (11, ["veto_warning"]), (14, ["veto_warning"]),
                                          (15, ["homepage_stale"]), (60, ["homepage_stale"])])
def test_newest_dated_item_age(age, expected):
    found = homepage.check(_home(_ago(age), _ago(age + 3), None), RULES, AS_OF)
    assert [f.check for f in found] == expected
    if expected == ["homepage_stale"]:
        assert found[0].severity == "veto" and found[0].url == HOME and _ago(age) in found[0].detail
        assert judge(found, _home(), RULES).verdict == "不合格"
    if expected == ["veto_warning"]:
        assert found[0].severity == "warn" and "首页不更新" in found[0].detail
        assert judge(found, _home(), RULES).verdict == "合格"


def test_items_without_any_date_count_as_not_updated():
    found = homepage.check(_home(None, None, None), RULES, AS_OF)
    assert [(f.check, f.severity) for f in found] == [("homepage_stale", "veto")]
    assert "未标注发布日期" in found[0].detail


def test_a_future_date_is_no_update():
    found = homepage.check(_home(_ago(-30), _ago(20)), RULES, AS_OF)
    assert [f.check for f in found] == ["homepage_stale"]


def test_navigation_homepage_is_judged_by_its_level2_pages():
    found = homepage.check(_home(_ago(3), level=2, status="none"), RULES, AS_OF)
    assert found == []
    found = homepage.check(_home(_ago(30), level=2, status="none"), RULES, AS_OF)
    assert [f.check for f in found] == ["homepage_stale"] and "二级页面" in found[0].detail


@pytest.mark.parametrize("status,reason", [("script", "首页信息列表由脚本生成，未能读取"),
                                           ("none", "首页无信息列表（仅为导航入口）")])
def test_unknown_homepage_is_an_info_note_never_the_veto(status, reason):
    found = homepage.check(_home(status=status, reason=reason), RULES, AS_OF)
    assert [(f.check, f.severity) for f in found] == [("homepage_stale", "info")]
    assert reason in found[0].detail
    assert judge(found, _home(), RULES).verdict == "合格"


def test_no_homepage_data_no_judgement():
    assert homepage.check(site(), RULES, AS_OF) == []


# --- the pure reader ---------------------------------------------------------------------------

def test_read_home_every_block_and_script_and_navigation():
    html = ("<html><body><div class='yw'><ul>"
            "<li><a href='/xwzx/202603/t20260310_1.html'>要闻一</a><span>2026-03-10</span></li>"
            "<li><a href='/xwzx/202603/t20260308_2.html'>要闻二</a><span>2026-03-08</span></li></ul></div>"
            "<div class='tzgg'><ul><li><a href='/tzgg/202602/t20260201_3.html'>公告一</a>"
            "<span>2026-02-01</span></li><li><a href='/tzgg/202601/t20260105_4.html'>公告二</a>"
            "<span>2026-01-05</span></li></ul></div></body></html>")
    read = read_home(html, HOME)
    assert read.status == "ok" and [i.date for i in read.items] == ["2026-03-10", "2026-03-08",
                                                                   "2026-02-01", "2026-01-05"]
    drawn = "<html><body><ul id='news'></ul><script>$.getJSON('/api/news', function(d){})</script></body></html>"
    assert read_home(drawn, HOME).status == "script"
    nav = ("<html><body><a href='/xwzx/'>新闻中心</a><a href='/zwgk/'>政务公开</a>"
           "<a href='http://www.gov.cn/'>中国政府网</a><a href='/xwzx/202603/t20260310_1.html'>x</a></body></html>")
    assert read_home(nav, HOME).status == "none"
    assert level2_links(nav, HOME) == [HOME + "xwzx/", HOME + "zwgk/"]


# --- 预警 thresholds ---------------------------------------------------------------------------

def _columns(empty: int, stale_other: int = 0, stale_news: int = 0):
    cols = [column(f"空栏目{n}", f"{HOME}xxgk/k{n}/", None, 0) for n in range(empty)]
    cols += [column(f"人事信息{n}", f"{HOME}xxgk/rs{n}/", "2024-01-01", 3) for n in range(stale_other)]
    cols += [column(f"工作动态{n}", f"{HOME}xxgk/dt{n}/", "2026-01-01", 3) for n in range(stale_news)]
    return site(columns=cols)


def _checks():
    from audits.checks import columns
    return [("columns", columns.check)]


@pytest.mark.parametrize("empty,warned", [(2, False), (3, True), (4, True), (5, False)])
def test_empty_column_warning_threshold(empty, warned):
    findings, verdict = audit_site(_columns(empty), RULES, AS_OF, _checks())
    warnings = [f for f in findings if f.check == "veto_warning"]
    assert len(warnings) == (1 if warned else 0)
    if warned:
        assert warnings[0].severity == "warn" and "栏目空白" in warnings[0].detail
        assert f"空白栏目{empty}个" in warnings[0].detail and verdict.verdict == "合格"
    else:
        assert verdict.verdict == ("不合格" if empty >= 5 else "合格")


@pytest.mark.parametrize("stale,warned", [(5, False), (6, True), (9, True), (10, False)])
def test_stale_column_warning_threshold(stale, warned):
    findings, verdict = audit_site(_columns(0, stale_other=stale), RULES, AS_OF, _checks())
    warnings = [f for f in findings if f.check == "veto_warning"]
    assert len(warnings) == (1 if warned else 0)
    assert verdict.verdict == ("不合格" if stale >= 10 else "合格")
    if warned:
        assert "栏目更新不及时" in warnings[0].detail


def test_no_stale_warning_when_the_key_column_veto_fired():
    findings, verdict = audit_site(_columns(0, stale_other=1, stale_news=5), RULES, AS_OF, _checks())
    assert verdict.vetoes == ("column_stale",)
    assert [f for f in findings if f.check == "veto_warning"] == []


# --- a real crawl: the spider stores what the homepage (or its 二级页面) shows --------------------

def _crawl_and_audit(tmp_path, xxgk, home: bytes, extra: dict) -> tuple[dict, list[dict]]:
    import json

    from _bad_servers import HTML, ROBOTS, BadServer
    from crawler.store import Store

    entry = ('<html><body><ul><li><a href="/xxgk/gzdt/">工作动态</a></li></ul></body></html>').encode()
    news = ('<html><body><ul class="list"><li><a href="/xxgk/gzdt/202603/t20260310_1.html">通知一</a>'
            '<span>2026-03-10</span></li></ul></body></html>').encode()
    routes = {**ROBOTS, "/": (200, HTML, home, 0), "/xxgk/": (200, HTML, entry, 0),
              "/xxgk/gzdt/": (200, HTML, news, 0), **extra}
    db = str(tmp_path / "x.db")
    with BadServer(routes) as server:
        proc = xxgk("crawl", "--url", server.url, "--db", db, "--delay", "0", "--concurrency", "8")
        assert proc.returncode == 0, proc.stderr
    store = Store(db)
    try:
        crawl = store.rows("crawls")[0]
        crawl["home_items"] = store.rows("home_items")
    finally:
        store.close()
    proc = xxgk("audit", "--db", db, "--as-of", AS_OF.isoformat(), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    found = [f for f in json.loads(proc.stdout)["findings"] if f["check"] in ("homepage_stale", "veto_warning")]
    return crawl, found


def test_crawl_navigation_homepage_is_judged_by_its_level2_pages(tmp_path, xxgk):
    from _bad_servers import HTML
    home = ('<html><body><ul class="nav"><li><a href="/xwzx/">新闻中心</a></li>'
            '<li><a href="/xxgk/">政府信息公开</a></li></ul></body></html>').encode()
    level2 = ('<html><body><ul class="list">' + "".join(
        f'<li><a href="/xwzx/202602/t202602{d:02d}_{d}.html">要闻{d}</a><span>2026-02-{d:02d}</span></li>'
        for d in (3, 9, 12)) + '</ul></body></html>').encode()
    crawl, found = _crawl_and_audit(tmp_path, xxgk, home, {"/xwzx/": (200, HTML, level2, 0)})
    assert crawl["home_status"] == "none"
    assert {(i["level"], i["list_date"]) for i in crawl["home_items"]} >= {(2, "2026-02-12"), (2, "2026-02-03")}
    assert [(f["check"], f["severity"]) for f in found] == [("homepage_stale", "veto")]
    assert "二级页面" in found[0]["detail"] and "2026-02-12" in found[0]["detail"]


def test_crawl_script_drawn_homepage_is_unknown_not_stale(tmp_path, xxgk):
    home = ('<html><body><a href="/xxgk/">政府信息公开</a><ul id="yw"></ul>'
            '<script>$.getJSON("/api/yw.json", function (d) { render(d); });</script></body></html>').encode()
    crawl, found = _crawl_and_audit(tmp_path, xxgk, home, {})
    assert crawl["home_status"] == "script"
    assert [(f["check"], f["severity"]) for f in found] == [("homepage_stale", "info")]
    assert "脚本" in found[0]["detail"]


def test_year_less_homepage_dates_get_the_year_of_the_crawl():
    html = ("<html><body><ul class='yw'>"
            "<li><a href='/xwzx/202603/t20260310_1.html'>要闻一</a><span>03-10</span></li>"
            "<li><a href='/xwzx/202512/t20251228_2.html'>要闻二</a><span>[12-28]</span></li>"
            "<li><a href='/xwzx/202512/t20251220_3.html'>要闻三</a><em>12月20日</em></li></ul></body></html>")
    read = read_home(html, HOME, today=date(2026, 3, 15))
    assert [i.date for i in read.items] == ["2026-03-10", "2025-12-28", "2025-12-20"]
    assert read.shown[HOME + "xwzx/202603/t20260310_1.html"] == "03-10"
    s = _home(*[i.date for i in read.items])
    s.home_items[0]["date_shown"] = "03-10"
    found = homepage.check(s, RULES, date(2026, 3, 30))
    assert [f.check for f in found] == ["homepage_stale"] and "未标年份" in found[0].detail
