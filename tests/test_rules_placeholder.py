"""Placeholder ≠ explanation (issue 10 item 1): a bare CMS placeholder is a 空白栏目; only a
note giving a reason exempts the column (product policy, docs/checks.md "空白栏目")."""

from __future__ import annotations

from datetime import date

import pytest

from _audit_helpers import RULES, column, site
from audits.checks import columns
from crawler.discover import explained_empty_note, note_gives_reason

PLACEHOLDERS = ["暂无信息", "暂无数据", "暂无内容", "没有找到相关信息", "本栏目暂无信息",
                "暫無信息", "暫無數據", "暫無內容", "沒有找到相關信息", "本欄目暫無信息",
                "说明：暂无信息", "說明：暫無數據", "说明：没有找到相关信息。", "提示：暂无内容"]
REASONS = ["本单位不涉及此项内容", "說明：本單位不涉及此項內容", "说明：根据本机关职能，无此类信息。",
           "本年度暂未产生相关信息", "说明：本年度未发生突发事件", "本栏目不适用于本单位",
           "說明：本年度暫未產生相關信息",
           "本栏目信息已并入财政预决算栏目（http://songling.test/xxgk/czyjs/）",
           "说明：详见区财政局网站（http://czj.songling.test/yjs/）"]


@pytest.mark.parametrize("text", PLACEHOLDERS)
def test_a_bare_placeholder_gives_no_reason(text):
    assert note_gives_reason(text) is False


@pytest.mark.parametrize("text", REASONS)
def test_a_note_with_a_reason_gives_one(text):
    assert note_gives_reason(text) is True


def test_a_pointer_without_its_link_gives_no_reason():
    assert note_gives_reason("说明：详见相关栏目") is False
    assert note_gives_reason("本栏目信息已并入其他栏目") is False
    assert note_gives_reason(None) is False and note_gives_reason("") is False


@pytest.mark.parametrize("body,note", [
    # Hanweb: <div class="default_pgEmpty">暂无信息</div>; TRS: "暂无数据"; 繁体 portals
    ("<div class='default_pgEmpty'>暂无信息</div>", "暂无信息"),
    ("<div class='no-data'><span>暫無數據</span></div>", "暂无数据"),
    ("<p>说明：没有找到相关信息</p>", "说明：没有找到相关信息"),
    ("<p>說明：本單位不涉及此項內容。</p>", "说明：本单位不涉及此项内容。"),
])
def test_the_crawler_keeps_the_note_as_shown(body, note):
    assert explained_empty_note(f"<html><body><div class='list'>{body}</div></body></html>") == note


def test_a_pointer_note_keeps_its_link_address():
    html = ("<html><body><div class='list'><p>本栏目信息已并入<a href='/xxgk/czyjs/'>财政预决算</a>"
            "栏目，详见该栏目。</p></div></body></html>")
    note = explained_empty_note(html, "http://songling.test/xxgk/czzj/")
    assert note == "本栏目信息已并入财政预决算栏目，详见该栏目。（http://songling.test/xxgk/czyjs/）"
    assert note_gives_reason(note)


def test_a_link_to_an_attachment_in_a_content_page_is_no_note():
    html = "<html><body><p>全文详见<a href='/a/fj.pdf'>附件</a></p></body></html>"
    assert explained_empty_note(html, "http://songling.test/x/") is None


AS_OF = date(2026, 11, 21)


@pytest.mark.parametrize("note,empty", [(None, True), ("暂无信息", True), ("暫無數據", True),
                                        ("说明：没有找到相关信息", True),
                                        ("说明：本单位不涉及此项内容", False),
                                        ("說明：本單位不涉及此項內容", False)])
def test_column_empty_follows_the_note(note, empty):
    col = column("行政许可", "http://songling.test/xxgk/xzxk/", None, 0, empty_note=note)
    found = columns.check(site(columns=[col]), RULES, AS_OF)
    assert [f.check for f in found] == (["column_empty"] if empty else [])
    if empty and note:
        assert f"“{note}”" in found[0].detail     # the exact text found, for a person to overrule


@pytest.mark.parametrize("body,reason", [("<div class='list'><p>暂无信息</p></div>", False),
                                         ("<div class='list'><p>说明：本单位不涉及此项内容。</p></div>", True)])
def test_inspect_says_whether_the_note_gives_a_reason(tmp_path, body, reason):
    import json

    from conftest import run_xxgk
    page = tmp_path / "column.html"
    page.write_text(f"<html><head><title>行政许可</title></head><body>{body}</body></html>", encoding="utf-8")
    out = json.loads(run_xxgk("inspect", str(page), "--base-url", "http://songling.test/xxgk/xzxk/",
                              "--format", "json", check=True).stdout)
    assert out["empty_note"] and out["empty_note_gives_reason"] is reason
    text = run_xxgk("inspect", str(page), "--base-url", "http://songling.test/xxgk/xzxk/", check=True).stdout
    assert ("不计空白栏目" if reason else "按空白栏目计") in text
