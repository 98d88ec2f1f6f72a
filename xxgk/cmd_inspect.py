"""`xxgk inspect URL|FILE`: show what the extractor sees on one page."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click
from rich.console import Console
from rich.table import Table

from xxgk.inspect_page import InspectError, as_json, inspect as inspect_target
from xxgk.options import db_option

KINDS = {"directory": "目录页", "list": "列表页", "detail": "详情页", "annual_report": "年报",
         "other": "其他"}
LABELS = {"title": "标题", "index_no": "索引号", "publisher": "发布机构", "published": "发布日期",
          "written": "成文日期", "doc_no": "文号", "topic": "主题分类"}


@click.command()
@click.argument("target", metavar="URL|FILE")  # FILE: .html, .txt, or a 年报 attachment .pdf/.docx/.doc
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="输出格式（默认 text）")
@click.option("--base-url", default=None, metavar="URL",
              help="把本地文件当作该网址的页面来解析（默认取页面中的 saved from url / <base>）")
@click.option("--render", is_flag=True, default=False,
              help="再用浏览器引擎（Chromium）打开页面：列出页面发出的请求、哪个请求带回了列表、如何翻页")
@db_option
def inspect(target, fmt, base_url, render, db):
    """显示抽取器在一个页面上看到的内容：页面类型、元数据、列表条目、翻页、年报问题。

    只读页面本身，不读写数据库（--db 为与其他命令一致而接受）。
    """
    try:
        result = inspect_target(target, base_url=base_url)
    except InspectError as exc:
        raise click.ClickException(str(exc)) from None
    if render:
        from xxgk.inspect_render import RenderUnavailable, render_report

        url = result["url"] if urlsplit(target).scheme in ("http", "https") else Path(target).resolve().as_uri()
        try:
            result["render"] = render_report(url)
        except RenderUnavailable as exc:
            raise click.ClickException(f"无法用浏览器引擎打开：{exc}") from None
    if fmt == "json":
        click.echo(as_json(result))
        return
    _print_text(result)


def _print_text(result: dict) -> None:
    console = Console()
    console.print(f"[bold]{KINDS.get(result['kind'], result['kind'])}[/bold]  {result['url']}")
    meta = Table(show_header=False, box=None)
    for key, label in LABELS.items():
        meta.add_row(label, result["metadata"].get(key) or "—")
    console.print(meta)
    if result.get("dialect"):
        console.print(f"平台：{result['dialect']}")
    if result.get("script_list"):
        console.print(f"脚本列表：{result['script_list']}")
    if result["items"]:
        items = Table("日期", "标题", "网址", title=f"列表条目（{len(result['items'])}）")
        for item in result["items"][:50]:
            items.add_row(item["date"] or "—", item["title"] or "", item["url"])
        console.print(items)
    if result["next_pages"]:
        console.print(f"翻页：共 {result['page_count'] or '?'} 页，记录 {result['total_records'] or '?'} 条；"
                      f"后续页 {len(result['next_pages'])} 个，如 {result['next_pages'][0]}")
    if result["columns"]:
        console.print("栏目：" + "、".join(c["name"] for c in result["columns"]))
    if result["empty_note"]:
        verdict = "给出了原因，不计空白栏目" if result.get("empty_note_gives_reason") else \
            "仅为占位提示，未说明原因，按空白栏目计"
        console.print(f"栏目说明：{result['empty_note']}（{verdict}）")
    if result.get("script_signs"):
        console.print("列表由脚本绘制（" + "；".join(result["script_signs"]) + "）：静态读取看不到，"
                      "采集时由浏览器引擎打开（xxgk inspect URL --render 查看）")
    if result.get("render"):
        _print_render(console, result["render"])
    if result["report"]:
        report = result["report"]
        console.print(f"年报：{report.get('title') or '（无标题）'}")
        unit = report.get("unit")
        console.print(f"年报年份：{report['year'] or '未识别'}；单位：{unit or '未识别'}"
                      + (f"（据{report['unit_source']}）" if unit else "")
                      + f"；表格格式：{_FORMATS.get(report.get('table_format'), '未识别')}"
                      + f"；问题 {len(report['problems'])} 个")
        for note in report.get("notes") or []:
            console.print(f"  说明：{note}")
        for problem in report["problems"]:
            console.print(f"  - {problem['detail']}")


_FORMATS = {"2021": "国办公开办函〔2021〕30号", "2019": "国办公开办函〔2019〕60号"}


def _print_render(console: Console, render: dict) -> None:
    console.print("[bold]浏览器引擎[/bold]" + (f"：{render['error']}" if render["error"] else ""))
    if render["requests"]:
        table = Table("方法", "类型", "状态", "条目", "网址", title=f"页面发出的请求（{len(render['requests'])}）")
        for r in render["requests"]:
            url = r["url"] + (f"  body={r['body']}" if r["body"] else "")
            table.add_row(r["method"], r["type"], str(r["status"] or "—"),
                          "—" if r["items"] is None else str(r["items"]), url)
        console.print(table)
    for blocked in render["blocked"]:
        console.print(f"未发出：{blocked}")
    if render["list_from"]:
        console.print(f"列表来自：{render['list_from']}（{len(render['items'])} 条）")
        if render["list_request"]:
            console.print(f"列表请求：{render['list_request']}")
        console.print(f"翻页：{render['paging']}")
        for req in render["next_requests"]:
            console.print(f"  {req}")
    elif not render["error"]:
        console.print("渲染后仍未找到列表")



COMMANDS = [inspect]
