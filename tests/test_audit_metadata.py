"""metadata_missing / metadata_invalid / index_no_duplicate on hand-built document rows."""

from __future__ import annotations

import pytest

from audits.checks import metadata
from _audit_helpers import RULES, checks_of, column, d, document, site

ZC = "http://songling.test/xxgk/zcwj/"
COLS = [column("政策文件", ZC, "2026-03-01", 3)]
AS_OF = d("2026-11-21")


@pytest.mark.parametrize("index_no", [
    "11441700007280420Y/2021-00050", "0142768-8/2022-00185", "11341702486344515H/202110-00013",
    "01527918X-2020-153077", "000000000-2019-03726", "１１４４１７００００７２８０４２０Ｙ/2021-00050",
])
def test_valid_index_no_variants_from_spec(index_no):
    s = site(columns=COLS, documents=[document(ZC + "a.html", index_no=index_no)])
    assert metadata.check(s, RULES, AS_OF) == []


@pytest.mark.parametrize("index_no", ["2021-00050", "ABC123", "11441700007280420Y/21-00050",
                                      "11441700007280420Y/2021", "松岭区/2021-001"])
def test_malformed_index_no(index_no):
    s = site(columns=COLS, documents=[document(ZC + "a.html", index_no=index_no)])
    found = metadata.check(s, RULES, AS_OF)
    assert [(f.check, f.url, f.column) for f in found] == [("metadata_invalid", ZC + "a.html", "政策文件")]
    assert index_no in found[0].detail


def test_missing_fields_listed_in_one_finding():
    doc = document(ZC + "a.html", index_no=None, publisher=None, published="2026-03-01",
                   written=None, labels={})           # published is only the list date
    found = metadata.check(site(columns=COLS, documents=[doc]), RULES, AS_OF)
    assert checks_of(found) == ["metadata_missing"]
    assert "索引号、发布机构、日期" in found[0].detail


def test_a_date_on_the_page_is_enough():
    doc = document(ZC + "a.html", written=None, labels={"索引号": "x", "发布日期": "2026-03-01"})
    assert metadata.check(site(columns=COLS, documents=[doc]), RULES, AS_OF) == []


def test_unparseable_and_future_dates_in_one_invalid_finding():
    doc = document(ZC + "a.html", written=None, published="2026-12-01",
                   date_texts={"written": "2019-13-45"})
    found = metadata.check(site(columns=COLS, documents=[doc]), RULES, AS_OF)
    assert checks_of(found) == ["metadata_invalid"]
    assert "2019-13-45" in found[0].detail and "2026-12-01" in found[0].detail


def test_date_on_as_of_is_not_future():
    doc = document(ZC + "a.html", published="2026-11-21", list_date="2026-11-21")
    assert metadata.check(site(columns=COLS, documents=[doc]), RULES, AS_OF) == []


def test_failed_page_is_not_judged_for_metadata():
    docs = [document(ZC + "a.html", index_no=None, publisher=None, http_status=404, labels={}),
            document(ZC + "b.html", index_no=None, publisher=None, http_status=None,
                     error="TimeoutError", labels={})]
    assert metadata.check(site(columns=COLS, documents=docs), RULES, AS_OF) == []


def test_duplicate_index_no_flags_every_document_sharing_it():
    docs = [document(ZC + "a.html", index_no="000000000-2019-03726", published="2019-05-01"),
            document(ZC + "b.html", index_no="000000000-2019-03726", published="2019-06-01"),
            document(ZC + "c.html", index_no="000000000-2019-03727", published="2019-04-01")]
    found = metadata.check(site(columns=COLS, documents=docs), RULES, AS_OF)
    assert [(f.check, f.url) for f in found] == [("index_no_duplicate", ZC + "a.html"),
                                                  ("index_no_duplicate", ZC + "b.html")]
    assert ZC + "b.html" in found[0].detail and ZC + "a.html" in found[1].detail


def test_unique_index_nos_are_not_duplicates():
    docs = [document(ZC + "a.html", index_no="000000000-2019-03726"),
            document(ZC + "b.html", index_no="000000000-2019-03727")]
    assert metadata.check(site(columns=COLS, documents=docs), RULES, AS_OF) == []


def test_crawler_date_texts_valid_and_invalid():
    ok = document(ZC + "a.html", written=None, published="2026-03-01", labels={"发布日期": "2026年03月01日"},
                  date_texts={"published": "2026年03月01日"})
    bad = document(ZC + "b.html", index_no="11441700007280420Y/2026-00002", written=None, published="2026-03-01", labels={"成文日期": "2026年13月45日"},
                   date_texts={"written": "2026年13月45日"})
    found = metadata.check(site(columns=COLS, documents=[ok, bad]), RULES, AS_OF)
    assert [(f.check, f.url) for f in found] == [("metadata_invalid", ZC + "b.html")]


def test_date_only_in_page_head_counts_as_missing():
    doc = document(ZC + "a.html", written=None, published="2026-03-01",
                   labels={"索引号": "x", "meta:pubdate": "2026-03-01"}, date_texts={"published": "2026-03-01"})
    found = metadata.check(site(columns=COLS, documents=[doc]), RULES, AS_OF)
    assert checks_of(found) == ["metadata_missing"] and "日期" in found[0].detail
