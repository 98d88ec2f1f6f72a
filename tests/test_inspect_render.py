"""`xxgk inspect`: signs that a list is drawn by script, and `--render`: what the browser saw."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crawler.render import engine
from crawler.simulator import SimulatorServer, build_portal

NO_BROWSER = engine.unavailable_reason()


def test_inspect_says_the_fujian_jsonly_list_is_drawn_by_script(realpages, xxgk):
    page = realpages / "more" / "fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html"
    out = xxgk("inspect", str(page), "--base-url", "https://www.pingtan.gov.cn/zwgk/zfxxgk/gwhwj/cxjshgldzd/",
               "--format", "json", check=True)
    result = json.loads(out.stdout)
    assert result["items"] == []
    assert "avalon template (ms-repeat)" in result["script_signs"]
    text = xxgk("inspect", str(page), check=True).stdout
    assert "列表由脚本绘制" in text and "--render" in text


@pytest.mark.network
@pytest.mark.skipif(NO_BROWSER is not None, reason=f"no browser engine here: {NO_BROWSER}")
def test_inspect_render_shows_the_captured_post_and_how_page_two_is_asked_for(xxgk):
    portal = build_portal("insp", "平川县人民政府", "jspost", date(2026, 11, 21), seed=4)
    col = max(portal.columns, key=lambda c: len(c.documents))
    with SimulatorServer([portal]) as server:
        url = server.base_url("insp").rstrip("/") + col.path
        result = json.loads(xxgk("inspect", url, "--render", "--format", "json", check=True).stdout)
    render = result["render"]
    posts = [r for r in render["requests"] if r["method"] == "POST"]
    assert len(posts) == 1 and posts[0]["url"].endswith("/api/gk/search") and posts[0]["items"] == 12
    assert json.loads(posts[0]["body"]) == {"channelId": col.number, "pageNo": 1, "pageSize": 12,
                                            "sortField": "-pubdate"}
    assert render["list_from"] == f"POST {posts[0]['url']}"
    assert "json.pageNo" in render["paging"]
    assert '"pageNo":2' in render["next_requests"][0]
    assert [i["url"].split(":", 2)[2].split("/", 1)[1] for i in render["items"]] == \
        [d.path.lstrip("/") for d in col.documents[:12]]


def test_inspect_render_without_a_browser_says_why(xxgk, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<html><body><ul id='list'></ul></body></html>", encoding="utf-8")
    out = xxgk("inspect", str(page), "--render", env={"XXGK_BROWSER": "0"})
    assert out.returncode == 1
    assert "无法用浏览器引擎打开" in out.stderr and "XXGK_BROWSER=0" in out.stderr
    assert "Traceback" not in out.stderr
