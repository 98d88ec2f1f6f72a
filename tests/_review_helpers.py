"""Four monthly crawls of three units, judged by the real audit engine (see tests/test_review.py).

松岭区: stale 工作动态 in August and September, updated in October (fixed), stale again in November.
北湖区: stale 政策文件 whenever reached; unreachable in October. 西山县: five empty columns (veto).
"""

from __future__ import annotations

from datetime import date

from audits.engine import audit
from crawler.store import Store

SL, BH, XS = "http://www.songling.gov.cn", "http://www.beihu.gov.cn", "http://www.xishan.gov.cn"
GZDT, ZCWJ = f"{SL}/xxgk/gzdt/", f"{BH}/xxgk/zcwj/"
MONTHS = {"2026-08": date(2026, 8, 20), "2026-09": date(2026, 9, 20), "2026-10": date(2026, 10, 20),
          "2026-11": date(2026, 11, 20)}


def crawl(store: Store, month: str, *, gzdt_latest: str, beihu_up: bool = True) -> int:
    as_of = MONTHS[month]
    run = store.start_run("crawl")
    store.db["runs"].update(run, {"started_at": f"{as_of.isoformat()} 02:00:00"})
    store.upsert_site("songling", "松岭区人民政府", f"{SL}/")
    store.upsert_site("beihu", "北湖区人民政府", f"{BH}/")
    store.upsert_site("xishan", "西山县人民政府", f"{XS}/")
    store.upsert_crawl(run, "songling", status="ok", url=f"{SL}/")
    store.upsert_column(run, "songling", GZDT, name="工作动态", item_count=20, latest_date=gzdt_latest,
                        status="ok")
    if beihu_up:
        store.upsert_crawl(run, "beihu", status="ok", url=f"{BH}/")
        store.upsert_column(run, "beihu", ZCWJ, name="政策文件", item_count=3, latest_date="2025-01-10",
                            status="ok")
    else:
        store.upsert_crawl(run, "beihu", status="unreachable", url=f"{BH}/", error="连接超时")
    store.upsert_crawl(run, "xishan", status="ok", url=f"{XS}/")
    for i, name in enumerate(["机构职能", "人事信息", "规划计划", "财政资金", "政策解读"]):
        store.upsert_column(run, "xishan", f"{XS}/xxgk/c{i}/", name=name, item_count=0, status="ok")
    store.finish_run(run, "ok")
    audit(store, as_of, run_id=run)
    return run
