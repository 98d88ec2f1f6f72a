"""``python -m crawler.simulator --demo [--port-base 18700] [--as-of YYYY-MM-DD]``: serve the
demo portals on 127.0.0.1 until Ctrl-C and print their URLs."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from datetime import date

from .demo import PORT_BASE, demo_portals, demo_ports
from .server import SimulatorServer


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.simulator", description="模拟政府网站（演示用）")
    parser.add_argument("--demo", action="store_true", help="serve the five demo portals")
    parser.add_argument("--port-base", type=int, default=PORT_BASE, help="ports are BASE+1 … BASE+5")
    parser.add_argument("--as-of", default=None, help="date the portals are generated for (default today)")
    args = parser.parse_args(argv)
    if not args.demo:
        parser.print_help()
        return 2
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        print(f"日期格式应为 YYYY-MM-DD：{args.as_of}", file=sys.stderr)
        return 2
    portals = demo_portals(as_of)
    try:
        server = SimulatorServer(portals, demo_ports(args.port_base)).start()
    except OSError as exc:
        print(f"无法监听端口（{exc}）；可用 --port-base 换一组端口。", file=sys.stderr)
        return 1
    for p in portals:
        truth = server.truth(p.site_id)
        print(f"{p.site_id:14} {server.base_url(p.site_id)}  {p.name}（{p.cms}，{truth['verdict']}）", flush=True)
    print("按 Ctrl-C 停止。", flush=True)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("已停止。", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
