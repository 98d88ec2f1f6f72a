"""The 通报's 连通率 (issue 12): per site for the period in 总体情况 and 附件1, the measurement
sentence, and the availability chart for sites below 100% in md, html and docx."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta

from audits.bulletin import write_bulletin
from _bulletin_helpers import CONFIG, md_section, md_table, two_periods


def _probes(store, site: str, url: str, failed_hours: set[int], days=range(1, 31)) -> None:
    """Hourly probes on every day of November 2026; the hours in ``failed_hours`` of day 10 fail."""
    rows = []
    for day in days:
        for hour in range(24):
            at = datetime(2026, 11, day, hour, 7)
            ok = not (day == 10 and hour in failed_hours)
            rows.append({"site_id": site, "url": url, "kind": "homepage", "round": at.isoformat(),
                         "at": at.isoformat(sep=" "), "status": 200 if ok else 503, "error": None,
                         "elapsed_ms": 40, "ok": int(ok)})
    rows.append({"site_id": site, "url": url, "kind": "homepage", "round": "october",
                 "at": (datetime(2026, 11, 1) - timedelta(minutes=1)).isoformat(sep=" "),
                 "status": 503, "error": None, "elapsed_ms": 40, "ok": 0})   # previous period
    store.add_probes(rows)


def test_bulletin_states_availability_and_draws_the_chart(tmp_path):
    store = two_periods(tmp_path / "xxgk.db")
    # songling: 720 rounds in November, 18 failed on 11-10 → 97.5%; beihu: 720 of 720 → 100%;
    # xishan: not probed → 未监测.
    _probes(store, "songling", "http://www.songling.gov.cn/", set(range(18)))
    _probes(store, "beihu", "http://www.beihu.gov.cn/", set())
    try:
        paths = write_bulletin(store, "2026-11", tmp_path / "out", ("md", "html", "docx"), CONFIG)
    finally:
        store.close()
    by_name = {p.name: p for p in paths}
    md = by_name["bulletin-2026-11.md"].read_text(encoding="utf-8")
    overview = md_section(md, "一、总体情况")
    assert "按国办秘函〔2019〕19号，监测1周、每天20次以上" in overview
    assert "本期对2个网站开展可用性监测共1440次，总体连通率98.8%" in overview
    assert "连通率低于100%的网站：松岭区人民政府（97.5%）" in overview
    assert "北湖区人民政府（" not in overview and "另有1个网站未开展可用性监测" in overview
    units = {r[1]: r for r in md_table(md, "附件1")[1:]}
    column = md_table(md, "附件1")[0].index("连通率")
    assert (units["松岭区人民政府"][column], units["北湖区人民政府"][column],
            units["西山县人民政府"][column]) == ("97.5%", "100%", "未监测")
    chart = by_name["bulletin-2026-11-availability.png"]
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and chart.name in md
    html = by_name["bulletin-2026-11.html"].read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 2 and "图2 连通率低于100%的网站每日连通率" in html
    with zipfile.ZipFile(by_name["bulletin-2026-11.docx"]) as z:
        assert len([n for n in z.namelist() if n.startswith("word/media/")]) == 2


def test_no_chart_when_every_probed_site_is_at_100_percent(tmp_path):
    store = two_periods(tmp_path / "xxgk.db")
    _probes(store, "beihu", "http://www.beihu.gov.cn/", set())
    try:
        paths = write_bulletin(store, "2026-11", tmp_path / "out", ("md", "html"), CONFIG)
    finally:
        store.close()
    md = next(p for p in paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "各网站连通率均为100%" in md_section(md, "一、总体情况")
    assert not any("availability" in p.name for p in paths)
    html = next(p for p in paths if p.suffix == ".html").read_text(encoding="utf-8")
    assert html.count("data:image/png;base64,") == 1


def test_unprobed_period_says_so(tmp_path):
    store = two_periods(tmp_path / "xxgk.db")
    try:
        paths = write_bulletin(store, "2026-11", tmp_path / "out", ("md",), CONFIG)
    finally:
        store.close()
    md = next(p for p in paths if p.suffix == ".md").read_text(encoding="utf-8")
    assert "本期未开展可用性监测" in md_section(md, "一、总体情况")
