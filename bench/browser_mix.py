"""A crawl mixing static and browser-rendered portals, beside `scrapy bench` in the same run.

Three crawls of simulated portals (``scrapy crawl portal`` with ``--delay 0``-like settings:
no delay, no AutoThrottle, 8 requests per portal), each timed:

1. static portals (TRS, Hanweb, legacy, JSON API) with Scrapy's own HTTP handler only;
2. the same static portals with browser support installed (the rendering download handler,
   which passes every non-render request to Scrapy's handler) — its ratio to (1) shows whether
   static throughput drops because browser support exists;
3. the static portals plus portals whose lists only a browser sees (``jsfetch``: list URL
   computed in JS; ``jspost``: POSTed JSON body built by an external script) — with the pages
   the browser rendered per portal (target: a few per portal, not one per column).

    python bench/browser_mix.py [--static 4] [--scripted 2] [--bench-seconds 10] [--repeat 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import json
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from crawler.render import engine
from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from crawl_throughput import scrapy_bench  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
STATIC = ("trs", "hanweb", "legacy", "jsonapi")
SCRIPTED = ("jsfetch", "jspost")
PLAIN_HANDLERS = json.dumps({"http": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler",
                             "https": "scrapy.core.downloader.handlers.http11.HTTP11DownloadHandler"})


def crawl(portals, *, browser_handler: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp, SimulatorServer(portals) as server:
        seeds = Path(tmp, "seeds.yaml")
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db, log = str(Path(tmp, "bench.db")), Path(tmp, "crawl.log")
        args = [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"seeds={seeds}", "-s", f"XXGK_DB={db}",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                "-s", f"LOG_FILE={log}", "-s", "LOG_LEVEL=INFO"]
        if not browser_handler:
            args += ["-s", f"DOWNLOAD_HANDLERS={PLAIN_HANDLERS}", "-s", "XXGK_BROWSER=0"]
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True, cwd=str(REPO))
        elapsed = time.perf_counter() - start
        store = Store(db)
        pages = store.db.execute("select sum(pages) from crawls").fetchone()[0] or 0
        docs = store.db.execute("select count(*) from documents").fetchone()[0]
        store.close()
        text = log.read_text("utf-8")
        if os.environ.get("KEEP_LOG"):
            shutil.copy(log, os.environ["KEEP_LOG"])
    rendered = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
                re.finditer(r"browser: (\S+) rendered (\d+) page\(s\) for (\d+) script-drawn column", text)}
    return {"pages": pages, "documents": docs, "seconds": elapsed, "rate": pages / elapsed * 60,
            "rendered": rendered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--static", type=int, default=4)
    parser.add_argument("--scripted", type=int, default=2)
    parser.add_argument("--bench-seconds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=2, help="static crawls per variant, ABBA order (best kept)")
    args = parser.parse_args()
    why = engine.unavailable_reason()
    if why:
        raise SystemExit(f"no browser engine: {why}")
    as_of = date(2026, 11, 21)
    static = [build_portal(f"s{i}", f"静态{i}区人民政府", STATIC[i % 4], as_of, seed=i) for i in range(args.static)]
    scripted = [build_portal(f"j{i}", f"脚本{i}县人民政府", SCRIPTED[i % 2], as_of, seed=i)
                for i in range(args.scripted)]
    yardstick = scrapy_bench(args.bench_seconds)
    runs = {False: [], True: []}
    for i in range(max(1, args.repeat)):        # ABBA order, best of each kept: the machine is shared
        for handler in ((False, True) if i % 2 == 0 else (True, False)):
            runs[handler].append(crawl(static, browser_handler=handler))
    plain, with_support = (max(runs[h], key=lambda r: r["rate"]) for h in (False, True))
    mixed = crawl(static + scripted, browser_handler=True)
    print(f"scrapy bench (yardstick):                         {yardstick:8.0f} pages/min")
    for label, r in (("static portals, no browser support", plain),
                     ("static portals, browser support installed", with_support),
                     ("static + script-drawn portals (browser)", mixed)):
        print(f"{label:<46} {r['rate']:8.0f} pages/min  ({r['pages']} pages, {r['documents']} documents, "
              f"{r['seconds']:.1f} s)  ratio to scrapy bench {r['rate'] / yardstick:.2f}")
    print(f"static throughput with / without browser support: {with_support['rate'] / plain['rate']:.2f}")
    for site, (rendered, columns) in sorted(mixed["rendered"].items()):
        print(f"  {site}: browser rendered {rendered} page(s) for {columns} script-drawn column(s)")


if __name__ == "__main__":
    main()
