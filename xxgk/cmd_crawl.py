"""`xxgk crawl`: ad hoc crawl of one portal (--url) or of the portals in a seeds file."""

from __future__ import annotations

import sys

import click

from crawler.seeds import Portal, SeedsError, load_seeds, site_id_for_url
from xxgk.lock import DbLock, LockHeld
from xxgk.options import db_option
from xxgk.summary import print_crawl_summary

EXIT_UNREACHABLE = 3
EXIT_LOCKED = 4


@click.command()
@click.option("--url", help="门户网站首页或信息公开入口网址（临时采集，无需配置）")
@click.option("--name", help="单位名称（配合 --url）")
@click.option("--entry", help="信息公开入口网址（配合 --url；默认从首页自动发现）")
@click.option("--seeds", type=click.Path(dir_okay=False), help="种子文件（YAML）")
@click.option("--site", "sites", multiple=True, metavar="ID", help="只采集种子文件中的这些站点（可重复）")
@db_option
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="每站请求间隔秒数（默认 0.5，开启自动限速）")
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=None, help="每站并发请求数（默认 4）")
@click.option("--run-id", type=int, default=None, hidden=True, help="写入已有的运行记录（供 xxgk run 使用）")
@click.option("--progress/--no-progress", default=None, help="实时进度（默认在终端上开启）")
@click.option("--full", is_flag=True, default=False,
              help="完整采集：重新读取每个详情页（默认：列表条目未变、近期检查正常的已知页面不再请求，其余已知页面做条件请求）")
@click.option("--recheck-after", type=click.FloatRange(min=0), default=None, metavar="DAYS",
              help="已知页面距上次检查超过这么多天才重新请求（默认 20；0 表示每次都做条件请求）")
@click.option("--redis", "redis_url", metavar="URL", default=None,
              help="分布式采集：把任务放入 Redis（如 redis://127.0.0.1:6379/0），由 xxgk worker 进程采集，本进程写数据库")
def crawl(url, name, entry, seeds, sites, db, delay, concurrency, run_id, progress, full, recheck_after,
          redis_url):
    """采集门户网站的信息公开栏目、列表页和详情页，存入数据库。

    退出状态：0 完成（含部分站点无法访问）；1 输入错误；3 站点均无法访问；
    4 数据库正被另一个运行占用。
    """
    from xxgk.crawling import crawl as run_crawl

    if bool(url) == bool(seeds):
        raise click.UsageError("请指定 --url 网址 或 --seeds 种子文件（二选一）")
    try:
        if url:
            portal = Portal(id=site_id_for_url(url), url=_checked_url(url), name=name,
                            entry=_checked_url(entry) if entry else None)
            portals = [portal]
        else:
            portals = list(load_seeds(seeds).select(sites))
    except SeedsError as exc:
        raise click.ClickException(str(exc)) from None
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        with DbLock(db):     # never two writers on one database (a run, a schedule, a crawl)
            if redis_url:
                from xxgk.crawling import crawl_redis

                summary = crawl_redis(portals, db, redis_url, full=full, run_id=run_id,
                                      recheck_after=recheck_after,
                                      echo=lambda line: click.echo(line, err=True))
            else:
                summary = run_crawl(portals, db, delay=delay, concurrency=concurrency, run_id=run_id,
                                    progress=progress, log_level="INFO", full=full,
                                    recheck_after=recheck_after)
    except LockHeld as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except (RuntimeError, OSError) as exc:      # Redis not reachable, redis-py missing
        if not redis_url:
            raise
        click.echo(f"错误：无法使用 Redis（{redis_url}）：{exc}", err=True)
        sys.exit(1)
    print_crawl_summary(summary, db)
    if summary.all_unreachable or not summary.sites:
        sys.exit(EXIT_UNREACHABLE)


def _checked_url(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter(f"网址应以 http:// 或 https:// 开头：{url}")
    return url


COMMANDS = [crawl]
