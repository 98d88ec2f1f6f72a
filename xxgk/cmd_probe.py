"""`xxgk probe`: availability probes of every portal (long-running, or one round with --once)."""

from __future__ import annotations

import json
import logging
import sys

import click

from crawler.seeds import SeedsError, load_seeds
from xxgk.lock import DbLock, LockHeld
from xxgk.options import db_option

EXIT_LOCKED = 4


@click.command()
@click.option("--seeds", required=True, type=click.Path(dir_okay=False), help="种子文件（YAML）")
@click.option("--every", default=None, metavar="DURATION",
              help="两轮监测的间隔，如 60m、1h、90s（默认取种子文件 probe.every，否则 60m：每天24次）")
@click.option("--spread", default=None, metavar="DURATION",
              help="一轮内各站点的起始时间分散在这段时间内（默认间隔的一半；--once 默认 0）")
@click.option("--concurrency", type=click.IntRange(1, 2000), default=None,
              help="同时进行的请求数（所有站点合计；每个站点同一时间只有一个请求）")
@click.option("--timeout", "timeout", type=click.FloatRange(min=0.1), default=None,
              help="每次访问的时限秒数（默认 15：国办秘函〔2019〕19号）")
@click.option("--once", is_flag=True, help="只监测一轮就退出（供 cron 使用）")
@click.option("--json", "as_json", is_flag=True, help="--once 时以一行 JSON 输出结果")
@click.option("--jobstore", type=click.Path(dir_okay=False), default=None,
              help="任务库 SQLite 文件（默认 <数据库>.probe.sqlite）")
@db_option
def probe(seeds, every, spread, concurrency, timeout, once, as_json, jobstore, db):
    """可用性监测（常驻）：定时访问各站点首页和信息公开专栏入口，记录每次结果，用于计算连通率。

    退出状态：0 正常；1 输入错误；4 该数据库已有另一个监测器在运行。
    """
    from xxgk import probe as prober

    try:
        seeds_probe = load_seeds(seeds).probe
        config = prober.ProbeConfig.from_mapping(seeds_probe, every=every, spread=spread,
                                                 concurrency=concurrency, timeout=timeout)
    except (SeedsError, prober.ProbeConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        if once:
            with DbLock(db, "probe"):
                summary = prober.run_round(seeds, db, limit=config.timeout,
                                           concurrency=config.concurrency,
                                           spread=config.spread or 0.0)
            if as_json:
                click.echo(json.dumps(summary, ensure_ascii=False))
            else:
                click.echo(f"可用性监测一轮：站点 {summary['sites']}，请求 {summary['probes']}，"
                           f"失败 {summary['failed']}，用时 {summary['seconds']} 秒")
                for line in summary["failures"]:
                    click.echo(f"  无法打开：{line}")
            return
        prober.serve(seeds, db, config, jobstore=jobstore)
    except LockHeld as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_LOCKED)


COMMANDS = [probe]
