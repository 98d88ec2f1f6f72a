"""The one-screen summary printed after a crawl."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

STATUS = {"ok": "完成", "partial": "部分完成", "unreachable": "无法访问", "running": "未完成",
          "failed": "失败"}


def print_crawl_summary(summary, db: str) -> None:
    console = Console(width=max(80, Console().width))
    # Under `xxgk run` the run row stays open until audit and bulletin are done.
    status = "采集完成" if summary.status == "running" else STATUS.get(summary.status, summary.status)
    table = Table(title=f"采集结果（运行 #{summary.run_id}，{status}）")
    for header in ("站点", "状态", "栏目", "文档", "页面", "错误", "说明"):
        table.add_column(header, overflow="fold")
    for site in summary.sites:
        table.add_row(site["site_id"], STATUS.get(site["status"], site["status"] or ""),
                      str(site.get("columns") or 0), str(site.get("documents") or 0),
                      str(site.get("pages") or 0), str(site.get("errors") or 0),
                      site.get("error") or "")
    console.print(table)
    from xxgk.crawling import log_path

    click.echo(f"数据库：{db}    采集日志：{log_path(db)}")
    for site in summary.sites:
        if site["status"] == "unreachable":
            click.echo(f"无法访问：{site['site_id']}（{site['url']}）：{site.get('error') or ''}", err=True)
    print_unseen_columns(getattr(summary, "unseen_columns", []))


COLUMN_STATUS = {"unreadable": "未能读取", "incomplete": "未完整读取"}


def print_unseen_columns(columns: list[dict]) -> None:
    """One line per column not seen completely: the audit judges it neither empty nor stale."""
    if not columns:
        return
    click.echo(f"未完整读取的栏目 {len(columns)} 个（审核时不判为空白或未更新，请人工核实）：")
    for c in columns:
        what = COLUMN_STATUS.get(c.get("status"), c.get("status") or "")
        click.echo(f"  {c['site_id']} “{c.get('name') or ''}”{what}：{c.get('status_reason') or '原因不明'}"
                   f"（{c.get('url')}）")
