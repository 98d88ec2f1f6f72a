"""`xxgk run`, `xxgk schedule`, `xxgk demo`, `xxgk serve`: the monthly job and its helpers.

The commands parse and print; the work is in ``xxgk.jobs``, ``xxgk.schedule`` and ``xxgk.demo``.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path

import click

from crawler.seeds import SeedsError, load_seeds
from xxgk.lock import LockHeld
from xxgk.options import as_of_option, db_option


def _formats(value: str) -> list[str]:
    formats = [f.strip().lower() for f in (value or "").split(",") if f.strip()]
    bad = [f for f in formats if f not in ("md", "html", "docx")]
    if bad or not formats:
        raise click.BadParameter(f"格式应为 md、html、docx 的组合，如 md,html,docx：{value}")
    return formats


def _raise_sigterm_as_exit() -> None:
    """SIGTERM (systemd stop, the scheduler stopping) → SystemExit, so the run row is closed."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _print_result(result, fmt: str) -> None:
    if fmt == "json":
        click.echo(result.to_json())
        return
    click.echo(f"运行 #{result.run_id}：{result.status}（基准日期 {result.as_of}，"
               f"站点 {result.sites}，可访问 {result.reached}）")
    if result.findings is not None:
        click.echo(f"发现问题：{result.findings} 条")
    if result.unreachable:
        click.echo(f"无法访问：{', '.join(result.unreachable)}")
    for path in result.bulletins:
        click.echo(f"通报：{path}")
    if result.message and result.status == "failed":
        click.echo(f"失败原因：{result.message}", err=True)
    click.echo(f"数据库：{result.db}")


@click.command()
@click.option("--seeds", required=True, type=click.Path(dir_okay=False), help="种子文件（YAML）")
@click.option("--site", "sites", multiple=True, metavar="ID", help="只运行种子文件中的这些站点（可重复）")
@as_of_option
@click.option("--out", "out", default="bulletins", show_default=True, type=click.Path(file_okay=False),
              help="通报输出目录")
@click.option("--format", "bulletin_formats", default="md,html,docx", show_default=True,
              help="通报格式")
@db_option
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="每站请求间隔秒数")
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=None, help="每站并发请求数")
@click.option("--json", "as_json", is_flag=True, help="以一行 JSON 输出运行结果（供脚本与调度器读取）")
def run(seeds, sites, as_of, out, bulletin_formats, db, delay, concurrency, as_json):
    """月度运行：采集全部站点 → 检查 → 写本期通报，并记录运行。

    退出状态：0 完成（含部分站点无法访问）；1 输入错误；3 所有站点均无法访问；
    4 数据库正被另一运行占用；5 运行失败（采集进程崩溃或检查/通报出错）。
    """
    from xxgk.jobs import EXIT_ERROR, EXIT_LOCKED, run_job

    formats = _formats(bulletin_formats)
    _raise_sigterm_as_exit()
    log = (lambda m: click.echo(m, err=True))
    try:
        result = run_job(seeds, db, as_of=as_of, out_dir=out, sites=sites, delay=delay,
                         concurrency=concurrency, formats=formats, log=log)
    except SeedsError as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_ERROR)
    except LockHeld as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_LOCKED)
    _print_result(result, "json" if as_json else "text")
    sys.exit(result.exit_code)


@click.command()
@click.option("--seeds", type=click.Path(dir_okay=False), help="种子文件（YAML）")
@click.option("--cron", default=None, metavar="EXPR",
              help='cron 表达式（分 时 日 月 周），默认 "0 2 1 * *"：每月1日02:00')
@click.option("--out", "out", default="bulletins", show_default=True, type=click.Path(file_okay=False),
              help="通报输出目录")
@db_option
@click.option("--jobstore", type=click.Path(dir_okay=False), default=None,
              help="任务库 SQLite 文件（默认 <数据库>.schedule.sqlite）")
@click.option("--grace-hours", type=click.FloatRange(min=0), default=None,
              help="错过运行时间后仍补跑的小时数（默认 12）")
@click.option("--delay", type=click.FloatRange(min=0), default=None, help="每站请求间隔秒数")
@click.option("--concurrency", type=click.IntRange(min=1, max=64), default=None, help="每站并发请求数")
@click.option("--list", "list_only", is_flag=True, help="只列出已保存的任务和下次运行时间")
def schedule(seeds, cron, out, db, jobstore, grace_hours, delay, concurrency, list_only):
    """定时运行（常驻）：按 cron 定期执行 xxgk run；任务保存在 SQLite，重启不丢失。"""
    from xxgk import schedule as sched

    jobstore = jobstore or sched.jobstore_path(db)
    if list_only:
        jobs = sched.list_jobs(jobstore)
        if not jobs:
            click.echo(f"没有已保存的定时任务（任务库 {jobstore}）")
        from datetime import datetime
        for job in jobs:
            times = "、".join(t.strftime("%Y-%m-%d %H:%M:%S %Z")
                             + ("（已错过，调度器启动后在宽限期内补跑）" if t < datetime.now(t.tzinfo) else "")
                             for t in job["next_run_times"])
            click.echo(f"{job['id']}  {job['trigger']}  下次运行：{times or '（已暂停）'}")
            click.echo(f"  种子 {job['kwargs'].get('seeds')}  数据库 {job['kwargs'].get('db')}")
        return
    if not seeds:
        raise click.UsageError("请指定 --seeds 种子文件（或用 --list 查看任务）")
    from xxgk.probe import ProbeConfig, ProbeConfigError
    try:
        ProbeConfig.from_mapping(load_seeds(seeds).probe)     # probes inside the schedule
        sched.parse_cron(cron or sched.DEFAULT_CRON)
    except (SeedsError, sched.ScheduleError, ProbeConfigError) as exc:
        raise click.ClickException(str(exc)) from None
    extra = sched.run_args(delay, concurrency)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    try:
        sched.serve(seeds, db, cron=cron or sched.DEFAULT_CRON, out=out, jobstore=jobstore,
                    grace_hours=sched.DEFAULT_GRACE_HOURS if grace_hours is None else grace_hours,
                    extra_args=extra)
    except LockHeld as exc:
        from xxgk.jobs import EXIT_LOCKED
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_LOCKED)


@click.command()
@click.option("--out", "out", default="xxgk-demo", show_default=True, type=click.Path(file_okay=False),
              help="演示输出目录（数据库 xxgk.db、通报 bulletins/）")
@click.option("--db", "db", default=None, metavar="PATH",
              help="演示数据库路径（默认 输出目录/xxgk.db；不读取 $XXGK_DB，以免写入正式数据库）")
@as_of_option
def demo(out, db, as_of):
    """演示：在 127.0.0.1 上启动内置的演示门户，对它们运行月度任务并生成通报。"""
    from xxgk.demo import run_demo
    from xxgk.jobs import EXIT_LOCKED

    _raise_sigterm_as_exit()
    try:
        result = run_demo(out, db=db, as_of=as_of, log=lambda m: click.echo(m, err=True))
    except LockHeld as exc:
        click.echo(f"错误：{exc}", err=True)
        sys.exit(EXIT_LOCKED)
    except OSError as exc:
        raise click.ClickException(f"无法启动演示门户：{exc}") from None
    for line in result.instructions():
        click.echo(line)
    sys.exit(result.run.exit_code)


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="端口")
@click.option("--review", is_flag=True, help="允许在网页上确认/驳回问题（默认只读）")
def serve(db, host, port, review):
    """网页工作台（Datasette）：浏览、筛选、审核结果，查看图表；默认只读，仅监听 127.0.0.1。"""
    from xxgk.demo import serve_command

    if db != ":memory:" and not Path(db).exists():
        raise click.ClickException(f"数据库不存在：{db}（先运行 xxgk run 或 xxgk demo）")
    command = serve_command(db, host=host, port=port, review=review)
    mode = "可审核" if review else "只读"
    click.echo(f"Datasette：http://{host}:{port}/   （{mode}；问题审核 /-/review，图表 /-/dashboards；Ctrl+C 停止）")
    sys.stdout.flush()
    sys.stderr.flush()
    # Become Datasette (exec): Ctrl+C and SIGTERM then reach it directly, no orphan is left.
    os.execv(command[0], command)


COMMANDS = [run, schedule, demo, serve]
