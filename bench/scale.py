"""Scale benchmark: N simulated portals (one loopback address each) at default politeness.

Runs, in this order, on this machine (the simulator serves from this process, on the same
cores as the crawlers — the output says so):

1. one `xxgk crawl --seeds` process (the yardstick): wall time, pages/min, peak RSS, share of
   the simulator's documents stored;
2. a re-crawl of the same, unchanged portals into the same database: wall time and bytes of
   detail pages sent, both as ratios to the first crawl;
3. `xxgk crawl --redis` + 1, 2, 4 `xxgk worker` processes (a fresh database each, a
   redis-server on a free 127.0.0.1 port): wall time, pages/min and the ratio to (1), peak RSS
   of every process, documents stored;
4. optionally (``--stop-after S``, run before the Redis series) one more single-process crawl
   that gets one SIGTERM after S seconds: how long the stop took and the run's status.

    python bench/scale.py --portals 100 [--workers 1,2,4] [--stop-after 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from crawler.simulator import SimulatorServer, build_portal
from crawler.store import Store

FAMILIES = ("trs", "hanweb", "legacy", "jsonapi")
AS_OF = date(2026, 11, 21)


def loopback(i: int) -> str:
    """The i-th portal's own loopback address: 127.1.0.1, 127.1.0.2, …"""
    return f"127.1.{i // 250}.{i % 250 + 1}"


class Peak:
    """Peak RSS (VmHWM) of a running process, polled from /proc until it exits."""

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.kb = proc, 0
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self):
        path = f"/proc/{self.proc.pid}/status"
        while self.proc.poll() is None:
            try:
                for line in Path(path).read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.kb = max(self.kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            time.sleep(0.5)

    @property
    def mb(self) -> float:
        self.thread.join(timeout=2)
        return self.kb / 1024


def xxgk(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "xxgk", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def stored(db: str) -> tuple[int, int, str]:
    store = Store(db)
    try:
        pages = store.db.execute("select coalesce(sum(pages),0) from crawls where run_id = "
                                 "(select max(id) from runs)").fetchone()[0]
        docs = store.db.execute("select count(*) from documents where http_status = 200").fetchone()[0]
        status = store.db.execute("select status from runs order by id desc limit 1").fetchone()[0]
    finally:
        store.close()
    return pages, docs, status


def detail_bytes(server: SimulatorServer, details: dict[str, set]) -> int:
    return sum(n for site, log in server.log.items() for method, path, status, n in log
               if path in details[site] and method == "GET")


def clear_logs(server: SimulatorServer) -> None:
    for log in server.log.values():
        log.clear()


def single(seeds: Path, db: str, *extra: str) -> dict:
    start = time.perf_counter()
    proc = xxgk("crawl", "--seeds", str(seeds), "--db", db, "--no-progress", *extra)
    peak = Peak(proc)
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 3):
        raise SystemExit(f"xxgk crawl failed ({proc.returncode}):\n{err.decode()[-2000:]}")
    pages, docs, status = stored(db)
    return {"wall": wall, "pages": pages, "docs": docs, "rss": peak.mb, "status": status}


def redis_run(seeds: Path, db: str, url: str, workers: int) -> dict:
    start = time.perf_counter()
    writer = xxgk("crawl", "--seeds", str(seeds), "--db", db, "--redis", url)
    procs = [xxgk("worker", "--redis", url, "--burst") for _ in range(workers)]
    peaks = [Peak(writer)] + [Peak(p) for p in procs]
    _, err = writer.communicate()
    wall = time.perf_counter() - start
    for p in procs:
        p.wait(timeout=120)
    if writer.returncode != 0:
        raise SystemExit(f"xxgk crawl --redis failed:\n{err.decode()[-2000:]}")
    pages, docs, status = stored(db)
    return {"wall": wall, "pages": pages, "docs": docs, "status": status,
            "rss_writer": peaks[0].mb, "rss_workers": [p.mb for p in peaks[1:]]}


def start_redis(tmp: str) -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([shutil.which("redis-server"), "--bind", "127.0.0.1", "--port", str(port),
                             "--save", "", "--appendonly", "no", "--dir", tmp],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.ConnectionError:
            time.sleep(0.1)
    raise SystemExit("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=50)
    parser.add_argument("--workers", default="1,2,4", help="Redis worker counts to run ('' = none)")
    parser.add_argument("--stop-after", type=float, default=0, help="seconds before the SIGTERM run's signal")
    args = parser.parse_args()
    n = args.portals
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; the simulator serves "
          f"{n} portals from the benchmark process on the same cores")
    portals = [build_portal(f"s{i}", f"测试{i}区人民政府", FAMILIES[i % 4], AS_OF, seed=i) for i in range(n)]
    details = {p.site_id: {d.path for c in p.columns for d in c.documents} for p in portals}
    with tempfile.TemporaryDirectory() as tmp, \
            SimulatorServer(portals, hosts=[loopback(i) for i in range(n)], poll_interval=1.0) as server:
        truth_docs = sum(len(server.truth(p.site_id)["documents"]) for p in portals)
        seeds = Path(tmp, "seeds.yaml")
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        db = str(Path(tmp, "single.db"))

        first = single(seeds, db)
        first_bytes = detail_bytes(server, details)
        rate = first["pages"] / first["wall"] * 60
        print(f"single process:  {first['wall']:8.1f} s  {first['pages']:7d} pages  {rate:8.0f} pages/min  "
              f"peak RSS {first['rss']:6.0f} MB  documents {first['docs']}/{truth_docs} "
              f"({first['docs'] / max(truth_docs, 1):.1%})  run {first['status']}")
        clear_logs(server)
        again = single(seeds, db)
        again_bytes = detail_bytes(server, details)
        print(f"re-crawl:        {again['wall']:8.1f} s  {again['pages']:7d} pages  "
              f"time {again['wall'] / first['wall']:.1%} of the first  detail bytes "
              f"{again_bytes / max(first_bytes, 1):.2%} of the first ({again_bytes} / {first_bytes})  "
              f"peak RSS {again['rss']:6.0f} MB")

        if args.stop_after:
            stop_db = str(Path(tmp, "stop.db"))
            proc = xxgk("crawl", "--seeds", str(seeds), "--db", stop_db, "--no-progress", "--full")
            time.sleep(args.stop_after)
            proc.send_signal(signal.SIGTERM)
            sent = time.perf_counter()
            proc.communicate()
            took = time.perf_counter() - sent
            pages, docs, status = stored(stop_db)
            print(f"one SIGTERM after {args.stop_after:.0f} s: stopped in {took:.1f} s, "
                  f"{docs} documents stored, run {status}")

        counts = [int(c) for c in args.workers.split(",") if c.strip()]
        if counts and shutil.which("redis-server"):
            redis_proc, url = start_redis(tmp)
            try:
                for w in counts:
                    result = redis_run(seeds, str(Path(tmp, f"redis{w}.db")), url, w)
                    wrate = result["pages"] / result["wall"] * 60
                    workers_rss = " ".join(f"{m:.0f}" for m in result["rss_workers"])
                    print(f"redis {w} worker(s): {result['wall']:6.1f} s  {wrate:8.0f} pages/min  "
                          f"ratio to single {wrate / rate:.2f}x  peak RSS writer {result['rss_writer']:.0f} MB, "
                          f"workers {workers_rss} MB  documents {result['docs']}/{truth_docs} "
                          f"({result['docs'] / max(truth_docs, 1):.1%})  run {result['status']}")
            finally:
                redis_proc.terminate()
                redis_proc.wait(timeout=10)
        elif counts:
            print("redis: skipped (redis-server not installed)")


if __name__ == "__main__":
    main()
