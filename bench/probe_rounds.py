"""Benchmark: one availability-probe round over 1,000 simulated portals, beside the probe interval.

Each portal has its own loopback address (127.N.x.y, one port), served by a light asyncio server
in a separate process; the prober is ``crawler.probe.probe_round`` exactly as ``xxgk probe`` runs it
(homepage + 信息公开 entry, one GET each, 15 s limit, bounded concurrency, spread 0 so the round's
own work is measured, not the deliberate spreading).

Two rounds: every portal answering, and 3% of portals hanging (accept, never answer: they hold a
slot for the full 15 s limit twice). Yardstick, in the same process: the same prober on one portal
with concurrency 1, 200 sequential GETs through one client → seconds per GET; "speed-up" = 2,000 GETs at that pace /
round time.

    python bench/probe_rounds.py [--portals 1000] [--concurrency 100] [--interval 3600]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import random
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.probe import LIMIT_SECONDS, Target, probe_round  # noqa: E402

BODY = (b"<html><head><meta charset='utf-8'><title>portal</title></head><body>"
        + b"<a href='/xxgk/'>xxgk</a>" * 60 + b"</body></html>")
RESPONSE = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nConnection: close\r\n"
            b"Content-Length: " + str(len(BODY)).encode() + b"\r\n\r\n" + BODY)


def addresses(n: int, second: int) -> list[str]:
    return [f"127.{second}.{i // 250}.{i % 250 + 1}" for i in range(n)]


def _serve(hosts: list[str], port: int, hang: set[str], ready) -> None:
    async def handle(reader, writer, host):
        try:
            await reader.readuntil(b"\r\n\r\n")
            if host in hang:
                await asyncio.sleep(3600)
            writer.write(RESPONSE)
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    async def main():
        servers = [await asyncio.start_server(lambda r, w, h=h: handle(r, w, h), h, port, backlog=512)
                   for h in hosts]
        ready.set()
        await asyncio.gather(*(s.serve_forever() for s in servers))

    asyncio.run(main())


def free_layout(n: int) -> tuple[int, int]:
    """A second octet and port free on this machine (other engineers serve on 127.x too)."""
    rng = random.Random()
    for _ in range(50):
        second, port = rng.randint(100, 250), rng.randint(20000, 60000)
        try:
            for host in (addresses(n, second)[0], addresses(n, second)[-1]):
                with socket.socket() as s:
                    s.bind((host, port))
            return second, port
        except OSError:
            continue
    raise SystemExit("no free loopback layout found")


def start_servers(n: int, hang_share: float) -> tuple[multiprocessing.Process, list[Target], set[str]]:
    second, port = free_layout(n)
    hosts = addresses(n, second)
    hang = set(random.Random(1).sample(hosts, int(n * hang_share)))
    ready = multiprocessing.Event()
    proc = multiprocessing.Process(target=_serve, args=(hosts, port, hang, ready), daemon=True)
    proc.start()
    if not ready.wait(120):
        raise SystemExit("servers did not start")
    targets = [Target.of(f"p{i:04d}", f"http://{h}:{port}/", f"http://{h}:{port}/xxgk/")
               for i, h in enumerate(hosts)]
    return proc, targets, {t.site_id for t, h in zip(targets, hosts) if h in hang}


def timed_round(targets, concurrency: int) -> tuple[float, list]:
    started = time.perf_counter()
    records = probe_round(targets, concurrency=concurrency, limit=LIMIT_SECONDS, spread=0)
    return time.perf_counter() - started, records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--interval", type=float, default=3600, help="probe interval, seconds")
    args = parser.parse_args()

    for hang_share in (0.0, 0.03):
        proc, targets, hanging = start_servers(args.portals, hang_share)
        try:
            answering = [t for t in targets if t.site_id not in hanging][:1] * 100
            per_get = timed_round(answering, 1)[0] / 200          # 200 sequential GETs, one client
            seconds, records = timed_round(targets, args.concurrency)
        finally:
            proc.terminate()
            proc.join(10)
        failed = sum(1 for r in records if not r.ok)
        gets = len(records)
        print(f"portals {args.portals}  hanging {hang_share:.0%}  GETs {gets}  failed {failed}  "
              f"concurrency {args.concurrency}")
        print(f"  round {seconds:7.1f} s   interval {args.interval:.0f} s   round/interval "
              f"{seconds / args.interval:.3f}   yardstick {per_get * 1000:.1f} ms/GET sequential   "
              f"speed-up {gets * per_get / seconds:.1f}x")
        if seconds >= args.interval:
            print("  ROUND DOES NOT FIT THE INTERVAL")


if __name__ == "__main__":
    main()
