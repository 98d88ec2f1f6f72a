"""Repeatability: N identical crawls of unchanged simulated portals on busy servers (issue 15).

Serves Hanweb portals whose lists continue in ``POST dataproxy.jsp`` (the POST lists whole
provinces run on) from *busy* simulated servers — HTTP/1.0 with a listen backlog of 5, or
keep-alive connections closed after an idle timeout as Apache does — and crawls them N times in
a row (``--delay 0 --concurrency 8``, one child process, one crawl after the other). Each crawl
goes to its own database and is audited with a fixed as-of. It prints, per series, whether the
documents, columns and findings are identical in every run and how many documents each run
stored against the simulator's ground truth.

Yardstick in the same invocation: the same portals on an ordinary (HTTP/1.1 keep-alive) server,
and, with ``--without-fix``, the busy series with the fix of ``crawler/connections.py`` turned
off (Scrapy's stock handler, no back-off retries), which shows the loss the fix removes.

    python bench/repeatability.py -n 10 [--busy http10,keepalive] [--without-fix] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.simulator import SimulatorServer, build_portal  # noqa: E402
from crawler.store import Store  # noqa: E402

AS_OF = date(2026, 11, 21)
#: 工作动态 100 records: 45 inside the column page, the rest in two dataproxy POSTs.
COLUMNS = [("gzdt", "工作动态", "news", 100), ("tzgg", "通知公告", "notice", 60)]
DOC_FIELDS = ("url", "title", "column_url", "list_date", "index_no", "publisher", "published",
              "written", "doc_no", "topic")
STOCK = {"DOWNLOAD_HANDLERS": {}, "DOWNLOADER_MIDDLEWARES": {}, "XXGK_CONNECTION_RETRY_TIMES": 0}


def portals(count: int):
    return [build_portal(f"rep{i}", f"巢湖{i}区人民政府", "hanweb", AS_OF, seed=i, columns=COLUMNS,
                         report_years=range(0)) for i in range(count)]


# --- child: N crawls in one reactor ------------------------------------------------------------

def child(seeds: str, folder: str, n: int, stock: bool) -> None:
    """Crawl the seeds ``n`` times in a row into ``folder/run-K.db``; print per-run stats as JSON."""
    from scrapy.crawler import CrawlerRunner
    from twisted.internet import defer, reactor

    from crawler.seeds import load_seeds
    from crawler.spiders.portal import PortalSpider
    from xxgk.crawling import crawl_settings

    chosen = list(load_seeds(seeds).select([]))
    results = []

    @defer.inlineCallbacks
    def series():
        try:
            for k in range(n):
                db = str(Path(folder) / f"run-{k}.db")
                settings = crawl_settings(db, delay=0, concurrency=8)
                settings.set("XXGK_CHECK_ATTACHMENTS", False, priority="cmdline")
                if stock:
                    settings.setdict(STOCK, priority="cmdline")
                runner = CrawlerRunner(settings)
                crawler = runner.create_crawler(PortalSpider)
                started = time.perf_counter()
                yield runner.crawl(crawler, portals=chosen)
                stats = crawler.stats.get_stats()
                results.append({"db": db, "seconds": time.perf_counter() - started,
                                "connection_retries": stats.get("xxgk/connection_retry/count", 0),
                                "post_retries": stats.get("xxgk/connection_retry/POST", 0),
                                "gave_up": stats.get("retry/max_reached", 0)})
        finally:
            print(json.dumps(results))
            reactor.stop()

    reactor.callWhenRunning(series)
    reactor.run()


# --- parent: serve, crawl, compare ---------------------------------------------------------------

def fingerprint(db: str) -> dict:
    """What one crawl stored and what its audit found, as comparable sorted lists."""
    from audits.engine import audit

    store = Store(db)
    try:
        docs = sorted(tuple(str(r.get(f)) for f in DOC_FIELDS) for r in store.rows("documents"))
        cols = sorted((r["site_id"], r["url"], r["name"], r["item_count"], str(r["latest_date"]),
                       r["status"]) for r in store.rows("columns"))
        result = audit(store, AS_OF).to_json()
    finally:
        store.close()
    finds = sorted((f["site"], f["check"], str(f["url"]), str(f["column"]), str(f["year"]), f["detail"])
                   for f in result["findings"])
    verdicts = sorted((s["site"], s["verdict"]) for s in result["sites"])
    return {"documents": docs, "columns": cols, "findings": finds, "verdicts": verdicts}


def run_series(n: int, busy: str | None, *, sites: int = 2, stock: bool = False) -> dict:
    """Serve ``sites`` portals (``busy`` mode or an ordinary server), crawl them ``n`` times."""
    built = portals(sites)
    folder = tempfile.mkdtemp(prefix="xxgk-repeat-")
    with SimulatorServer(built, busy=busy) as server:
        truth = sum(len(server.truth(p.site_id)["documents"]) for p in built)
        seeds = Path(folder) / "seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, __file__, "--child", str(seeds), folder, str(n)]
                              + (["--stock"] if stock else []),
                              capture_output=True, text=True, cwd=str(ROOT), timeout=3600)
        elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"child crawl failed:\n{proc.stderr[-3000:]}")
    runs = json.loads(proc.stdout.strip().splitlines()[-1])
    prints = [fingerprint(r["db"]) for r in runs]
    first = prints[0]
    return {
        "busy": busy or "none", "fix": not stock, "runs": len(runs), "truth_documents": truth,
        "documents_per_run": [len(p["documents"]) for p in prints],
        "identical": {key: all(p[key] == first[key] for p in prints)
                      for key in ("documents", "columns", "findings", "verdicts")},
        "connection_retries": sum(r["connection_retries"] for r in runs),
        "post_retries": sum(r["post_retries"] for r in runs),
        "gave_up": sum(r["gave_up"] for r in runs),
        "seconds_per_crawl": round(sum(r["seconds"] for r in runs) / max(len(runs), 1), 2),
        "seconds": round(elapsed, 1),
    }


def describe(r: dict) -> str:
    complete = sum(d == r["truth_documents"] for d in r["documents_per_run"])
    same = "、".join(k for k, v in r["identical"].items() if v) or "无"
    return (f"{r['busy']:>9} fix={'on ' if r['fix'] else 'off'} runs={r['runs']:>2} "
            f"complete={complete}/{r['runs']} docs={min(r['documents_per_run'])}–"
            f"{max(r['documents_per_run'])}/{r['truth_documents']} identical={same} "
            f"conn-retries={r['connection_retries']} (POST {r['post_retries']}) gave-up={r['gave_up']} "
            f"{r['seconds_per_crawl']:.1f}s/crawl")


def main(argv=None) -> None:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        args = sys.argv[2:]
        return child(args[0], args[1], int(args[2]), "--stock" in args)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10, help="crawls per series")
    parser.add_argument("--busy", default="http10,keepalive", help="busy modes, comma-separated")
    parser.add_argument("--sites", type=int, default=2)
    parser.add_argument("--without-fix", action="store_true", help="also run the busy series with the fix off")
    parser.add_argument("--no-yardstick", action="store_true", help="skip the ordinary-server series")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    modes = [m for m in args.busy.split(",") if m]
    plan = [(m, False) for m in modes] + ([] if args.no_yardstick else [(None, False)])
    plan += [(m, True) for m in modes] if args.without_fix else []
    series = []
    for mode, stock in plan:             # the required series first; each printed as it ends
        series.append(run_series(args.n, mode, sites=args.sites, stock=stock))
        if not args.json:
            print(describe(series[-1]), flush=True)
    if args.json:
        print(json.dumps(series, ensure_ascii=False))
        return
    base = next((r["seconds_per_crawl"] for r in series if r["busy"] == "none"), None)
    for r in series:
        if base and r["busy"] != "none":
            print(f"time ratio {r['busy']} (fix={'on' if r['fix'] else 'off'}) / ordinary server: "
                  f"{r['seconds_per_crawl'] / base:.2f}")

if __name__ == "__main__":
    main()
