"""Crawl throughput against a yardstick measured in the same run: `scrapy bench`.

Both run on this machine one after the other, so the ratio (our pages/min ÷ scrapy bench
pages/min) says how much of Scrapy's raw speed the portal spider keeps with its extraction,
bookkeeping and SQLite writes — independent of how fast the machine is today.

    python bench/crawl_throughput.py [--portals 8] [--bench-seconds 10]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store

FAMILIES = ("trs", "hanweb", "legacy", "jsonapi")


def scrapy_bench(seconds: int) -> float:
    """pages/min of `scrapy bench` (its own local server, no extraction, no storage)."""
    proc = subprocess.run([sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
                           "-s", "LOGSTATS_INTERVAL=1"], capture_output=True, text=True, cwd=tempfile.gettempdir())
    rates = [int(r) for r in re.findall(r"at (\d+) pages/min", proc.stderr)]
    rates = [r for r in rates if r > 0]
    if not rates:
        raise SystemExit(f"scrapy bench printed no rate:\n{proc.stderr[-2000:]}")
    return sum(rates) / len(rates)


def xxgk_crawl(portals: int) -> tuple[float, int]:
    """pages/min of `xxgk crawl --delay 0 --concurrency 8` over simulated portals."""
    built = [build_portal(f"b{i}", f"测试{i}区人民政府", FAMILIES[i % 4], date(2026, 11, 21), seed=i)
             for i in range(portals)]
    with tempfile.TemporaryDirectory() as tmp, SimulatorServer(built) as server:
        seeds = Path(tmp, "seeds.yaml")
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db = str(Path(tmp, "bench.db"))
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "xxgk", "crawl", "--seeds", str(seeds), "--db", db,
                        "--delay", "0", "--concurrency", "8", "--no-progress"],
                       check=True, capture_output=True)
        elapsed = time.perf_counter() - start
        store = Store(db)
        pages = store.db.execute("select sum(pages) from crawls").fetchone()[0] or 0
        store.close()
    return pages / elapsed * 60, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=8)
    parser.add_argument("--bench-seconds", type=int, default=10)
    args = parser.parse_args()
    yardstick = scrapy_bench(args.bench_seconds)
    ours, pages = xxgk_crawl(args.portals)
    print(f"scrapy bench (yardstick): {yardstick:10.0f} pages/min")
    print(f"xxgk crawl ({args.portals} portals, {pages} pages): {ours:10.0f} pages/min")
    print(f"ratio xxgk / scrapy bench: {ours / yardstick:.2f}")


if __name__ == "__main__":
    main()
