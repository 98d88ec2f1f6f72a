"""`xxgk audit`: judge the latest crawl of every site, store the findings, print them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from xxgk.options import as_of_option, db_option


@click.command()
@db_option
@as_of_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="输出格式：table（中文表格）或 json（SPEC 格式）")
@click.option("--site", "sites", multiple=True, metavar="ID", help="只检查这些站点（可重复）")
@click.option("--run-id", type=int, default=None, help="检查指定运行的采集结果（默认每个站点最近一次采集）")
def audit(db, as_of, fmt, sites, run_id):
    """按国家指标检查最近一次采集的信息公开栏目，保存并输出问题和合格/不合格/未能自动检查结论。"""
    from audits.engine import audit as run_audit
    from crawler.store import Store

    if db != ":memory:" and not Path(db).exists():
        raise click.ClickException(f"找不到数据库：{db}（请先运行 xxgk crawl）")
    try:
        store = Store(db)
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"无法打开数据库 {db}：{exc}") from None
    try:
        if not store.latest_crawls(run_id):
            what = f"运行 {run_id} 没有采集记录" if run_id is not None else "数据库中还没有采集记录"
            raise click.ClickException(f"{what}（请先运行 xxgk crawl）")
        result = run_audit(store, as_of, run_id=run_id, site_ids=list(sites) or None)
        if sites and not result.sites:
            raise click.ClickException(f"数据库中没有这些站点的采集记录：{', '.join(sites)}")
    finally:
        store.close()
    if fmt == "json":
        click.echo(result.json_text())
    else:
        click.echo(result.render_table(width=80), nl=False)


COMMANDS = [audit]
