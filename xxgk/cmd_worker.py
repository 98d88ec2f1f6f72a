"""`xxgk worker`: a Redis crawl worker (any number, on any machine) for `xxgk crawl --redis`."""

from __future__ import annotations

import sys

import click

from xxgk.options import db_option


@click.command()
@click.option("--redis", "redis_url", required=True, metavar="URL", help="Redis 地址，如 redis://127.0.0.1:6379/0")
@click.option("--burst", is_flag=True, default=False, help="队列中没有任务（也没有正在采集的任务）时退出")
@click.option("--lease", type=click.FloatRange(min=1), default=30, show_default=True,
              help="任务租约秒数：进程失联这么久后，任务交还队列由其他进程重新采集")
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="每站请求间隔秒数（默认 0.5，开启自动限速）")
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=None, help="每站并发请求数（默认 4）")
@db_option
def worker(redis_url, burst, lease, delay, concurrency, db):
    """从 Redis 队列领取采集任务（按域名分组的站点），把结果送回写数据库的 xxgk crawl --redis 进程。

    被 kill -9 的进程领取的任务在租约到期后自动交还队列；一次 SIGTERM/Ctrl-C 立即交还。
    worker 不写数据库（由 xxgk crawl --redis 写）；--db 只决定采集日志的位置（<db>.crawl.log）。
    """
    from crawler.distributed import connect
    from xxgk.crawling import log_path, work

    try:
        connect(redis_url).ping()
    except Exception as exc:     # redis-py missing, server down, bad URL
        click.echo(f"错误：无法连接 Redis（{redis_url}）：{exc}", err=True)
        sys.exit(1)
    work(redis_url, burst=burst, lease=lease, delay=delay, concurrency=concurrency, log_file=log_path(db))


COMMANDS = [worker]
