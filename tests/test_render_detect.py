"""The static detector "this page draws its list by script" on real markup (pure)."""

from __future__ import annotations

from crawler.render.detect import draws_list_by_script, script_list_signs
from crawler.simulator import build_portal
from crawler.simulator.server import respond
from datetime import date


def test_fujian_avalon_list_that_exists_only_through_the_api(realpages):
    # the list is <dl ms-repeat="list" …><a ms-attr-href="el.chnldocurl"> filled by
    # require(["tools", "jquery", "list2.trsapi"], …): no document link in the markup
    html = (realpages / "more" / "fujian-pingtan-trs-avalon-list-jsonly-gwhwj-cxjshgldzd.html").read_text("utf-8")
    signs = script_list_signs(html).signs
    assert "avalon template (ms-repeat)" in signs
    assert "inline script calls require(list module)" in signs
    assert draws_list_by_script(html)


def test_jiangxi_handlebars_list_filled_by_loadpagedata(realpages):
    # <script id="div380055" type="text/x-handlebars-template"> … loadPageData(params, '380055')
    html = (realpages / "jiangxi-sthjt-col-list-embedded-json-handlebars.html").read_text("utf-8")
    signs = script_list_signs(html).signs
    assert any("text/x-handlebars-template" in s for s in signs)
    assert any("loadPageData" in s for s in signs)


def test_static_trs_lists_are_not_script_drawn(realpages):
    # Handan's list rows are in the markup; its createPageHTML/countPage script only writes the pager
    for name in ("hebei-handan-trs-list-countPage.html", "neimenggu-ordos-egb-trs-annual-report-list.html",
                 "hebei-handan-trs-detail.html"):
        html = (realpages / name).read_text("utf-8")
        assert not draws_list_by_script(html), name


def test_an_empty_static_column_is_not_mistaken_for_a_script_list():
    # a TRS column with no documents: an empty <ul class="list"> beside page.js — a real empty column
    portal = build_portal("s", "松岭区人民政府", "trs", date(2026, 11, 21), seed=3, defects=["column_empty"])
    empty = next(c for c in portal.columns if not c.documents and not c.empty_note)
    html = respond(portal, "GET", empty.path).body.decode("utf-8")
    assert "page.js" in html and not draws_list_by_script(html)


def test_an_empty_hanweb_datastore_is_a_static_empty_list():
    # <script type="text/xml"><datastore><totalrecord>0</totalrecord>… laid out by $('#id').jpage(…)
    portal = build_portal("h", "巢湖市人民政府", "hanweb", date(2026, 11, 21), seed=3, defects=["column_empty"])
    empty = next(c for c in portal.columns if not c.documents and not c.empty_note)
    html = respond(portal, "GET", empty.path).body.decode("utf-8")
    assert "<totalrecord>0</totalrecord>" in html and ".jpage(" in html
    assert not draws_list_by_script(html)


def test_bad_input_gives_no_signs():
    assert not script_list_signs("")
    assert not script_list_signs("\x00\x01 not html")
