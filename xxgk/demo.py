"""`xxgk demo`: the bundled demo portals served on 127.0.0.1, and the monthly job run on them.

A new user's first command. It needs no network and no configuration: the simulator
(``crawler.simulator``) generates five demo units' portals with known defects, the job crawls,
audits and writes the 通报 exactly as a real monthly run does, and the printout says where the
bulletin and the database are and how to browse them.

Layout of the output folder (default ``xxgk-demo/``)::

    xxgk-demo/xxgk.db            the database (runs, columns, documents, findings…)
    xxgk-demo/demo-seeds.yaml    the seeds file of the served portals (their real ports)
    xxgk-demo/bulletins/         the 通报 in Markdown, HTML and Word

The portals listen on 127.0.0.1:18701..18705 like ``seeds/demo.yaml``; when one of those ports
is taken, free ports are used instead, and the seeds file written says which.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from crawler.simulator.demo import demo_ports
from xxgk.jobs import RunResult, run_job

DEMO_PORTS = tuple(demo_ports())      # 18701..18705, as in seeds/demo.yaml
DEFAULT_OUT = "xxgk-demo"


@dataclass
class DemoResult:
    run: RunResult
    out_dir: Path
    db: Path
    seeds: Path

    def instructions(self) -> list[str]:
        """What to print after the demo: the files and how to look at them."""
        lines = [f"演示完成：运行 #{self.run.run_id}，状态 {self.run.status}，"
                 f"{self.run.sites} 个演示站点，发现问题 {self.run.findings} 条。"]
        if self.run.bulletins:
            lines.append("通报：")
            lines += [f"  {p}" for p in self.run.bulletins]
        if self.run.status == "failed" and self.run.message:
            lines.append(f"失败原因：{self.run.message}")
        lines += [
            f"数据库：{self.db}",
            f"种子文件：{self.seeds}",
            "浏览数据库：",
            f"  xxgk serve --db {self.db}        （网页工作台，打开 http://127.0.0.1:8001/）",
            f"  xxgk review --db {self.db}       （通报前人工审核问题）",
            f"  xxgk audit --db {self.db} --as-of {self.run.as_of}   （在终端查看问题）",
        ]
        return lines


def port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """``count`` ports the OS says are free right now (sockets held open together: distinct)."""
    socks = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((host, 0))
            socks.append(sock)
        return [s.getsockname()[1] for s in socks]
    finally:
        for sock in socks:
            sock.close()


def choose_ports(count: int, preferred=DEMO_PORTS) -> list[int]:
    """The demo's usual ports when all are free, else fresh free ports."""
    wanted = list(preferred)[:count]
    if len(wanted) == count and all(port_free(p) for p in wanted):
        return wanted
    return free_ports(count)


def run_demo(out_dir: str | Path = DEFAULT_OUT, *, db: str | Path | None = None,
             as_of: date | None = None,
             log: Callable[[str], None] | None = None, delay: float = 0,
             concurrency: int = 8) -> DemoResult:
    """Serve the demo portals, run the job on them, stop the portals; returns the result."""
    from crawler.simulator import SimulatorServer, demo_portals

    log = log or (lambda message: None)
    as_of = as_of or date.today()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    portals = demo_portals(as_of)
    server = SimulatorServer(portals, ports=choose_ports(len(portals)))
    server.start()
    try:
        seeds = out / "demo-seeds.yaml"
        seeds.write_text(server.seeds_yaml(), encoding="utf-8")
        log(f"演示门户已在 127.0.0.1 上启动（{len(portals)} 个站点），开始运行…")
        db = Path(db) if db else out / "xxgk.db"
        result = run_job(seeds, db, as_of=as_of, out_dir=out / "bulletins", delay=delay,
                         concurrency=concurrency, log=log)
    finally:
        server.stop()
    return DemoResult(run=result, out_dir=out, db=db, seeds=seeds)


def serve_command(db: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
                  review: bool = False) -> list[str]:
    """The Datasette command line for the web workbench on ``db`` (``xxgk serve``)."""
    from xxgk.web.serve import prepare, serve_command as web_command

    prepare(db)
    return web_command(db, host=host, port=port, review=review)
