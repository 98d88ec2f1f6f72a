"""broken_link: listed items and attachments that fail; evidence URL per SPEC."""

from __future__ import annotations

from audits.checks import links
from _audit_helpers import RULES, column, d, document, item, link, site

ZC = "http://songling.test/xxgk/zcwj/"
AS_OF = d("2026-11-21")


def test_broken_item_and_attachment():
    s = site(columns=[column("政策文件", ZC, "2026-03-01", 3)],
             items=[item(ZC, ZC + "a.html", "a", "2026-03-01"), item(ZC, ZC + "b.html", "b", "2026-03-01")],
             documents=[document(ZC + "b.html")],
             links=[link(ZC + "a.html", 404, source_url=ZC),
                    link(ZC + "b.html", 200, source_url=ZC),
                    link(ZC + "files/b.pdf", 500, kind="attachment", source_url=ZC + "b.html"),
                    link(ZC + "files/c.doc", None, kind="attachment", source_url=ZC + "b.html",
                         error="ConnectionRefusedError")])
    found = links.check(s, RULES, AS_OF)
    got = sorted((f.url, f.column, f.detail) for f in found)
    assert [(u, c) for u, c, _ in got] == [(ZC + "a.html", "政策文件"), (ZC + "files/b.pdf", "政策文件"),
                                           (ZC + "files/c.doc", "政策文件")]
    assert "HTTP 404" in got[0][2]
    assert "HTTP 500" in got[1][2] and ZC + "b.html" in got[1][2]
    assert "ConnectionRefusedError" in got[2][2]


def test_failed_document_without_link_row_is_broken_once():
    s = site(columns=[column("政策文件", ZC, "2026-03-01", 1)],
             items=[item(ZC, ZC + "a.html", "a", "2026-03-01")],
             documents=[document(ZC + "a.html", http_status=503)],
             links=[link(ZC + "a.html", 503, source_url=ZC)])
    found = links.check(s, RULES, AS_OF)
    assert [(f.check, f.url) for f in found] == [("broken_link", ZC + "a.html")]


def test_working_links_give_nothing():
    s = site(links=[link(ZC + "a.html", 200), link(ZC + "x.pdf", 301, kind="attachment", source_url=ZC + "a.html")])
    assert links.check(s, RULES, AS_OF) == []
