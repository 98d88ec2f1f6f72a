"""The audit records what it judged each column as (columns.category, SPEC schema)."""

from __future__ import annotations

from datetime import date

from audits.engine import audit
from crawler.store import Store


def test_audit_writes_each_columns_category_with_site_overrides(tmp_path):
    store = Store(tmp_path / "x.db")
    run = store.start_run()
    store.upsert_site("s", "松岭区人民政府", "http://s.test/",
                      config={"columns": [{"name": "部门动态", "category": "other"}]})
    store.upsert_crawl(run, "s", url="http://s.test/", status="ok")
    for name, key in [("工作动态", "gzdt"), ("通知公告", "tzgg"), ("政府信息公开年报", "nb"),
                      ("部门动态", "bmdt"), ("機構職能", "jgzn")]:
        store.upsert_column(run, "s", f"http://s.test/{key}/", name=name, item_count=1,
                            latest_date="2026-11-20")
    audit(store, date(2026, 11, 21))
    categories = {c["name"]: c["category"] for c in store.rows("columns")}
    assert categories == {"工作动态": "news", "通知公告": "notice", "政府信息公开年报": "annual_report",
                          "部门动态": "other", "機構職能": "other"}
    store.close()
