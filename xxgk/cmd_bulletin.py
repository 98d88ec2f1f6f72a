"""`xxgk bulletin --period YYYY-MM`: write the 通报 of a month (Markdown, HTML, Word).

Thin: parses options, reads the optional seeds file's ``bulletin:`` block, calls
``audits.bulletin.write_bulletin`` and prints the files written. Errors are one line, exit 1.
"""

from __future__ import annotations

import warnings

import click

from audits.bulletin import BulletinConfig, BulletinError, parse_formats, write_bulletin
from crawler.seeds import SeedsError, load_seeds
from crawler.store import Store
from xxgk.options import db_option

DEFAULT_OUT = "bulletins"


def load_config(seeds_file: str | None) -> BulletinConfig:
    """The ``bulletin:`` block of a seeds file (defaults without one)."""
    if not seeds_file:
        return BulletinConfig()
    return BulletinConfig.from_mapping(load_seeds(seeds_file).bulletin)


@click.command("bulletin")
@click.option("--period", required=True, metavar="YYYY-MM", help="监测期（月份），如 2026-11")
@click.option("--out", "out_dir", default=DEFAULT_OUT, show_default=True, metavar="DIR",
              help="输出目录")
@click.option("--format", "formats", default="md,html,docx", show_default=True,
              metavar="md,html,docx", help="输出格式，逗号分隔")
@click.option("--seeds", "seeds_file", default=None, metavar="FILE",
              help="种子文件：读取其中 bulletin: 配置（发文单位、范围、整改期限）")
@click.option("--confirmed-only", is_flag=True,
              help="只收录经人工审核确认的问题（默认：已确认和待审核的问题；已驳回的从不收录）")
@db_option
def bulletin(period: str, out_dir: str, formats: str, seeds_file: str | None, confirmed_only: bool,
             db: str) -> None:
    """生成指定月份的监测情况通报（Markdown、HTML、Word）。"""
    try:
        config = load_config(seeds_file)
        fmts = parse_formats(formats)
        store = Store(db)
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                paths = write_bulletin(store, period, out_dir, fmts, config, confirmed_only=confirmed_only)
        finally:
            store.close()
    except (BulletinError, SeedsError) as exc:
        raise click.ClickException(str(exc)) from None
    for w in {str(w.message) for w in caught}:
        click.echo(f"提示：{w}", err=True)
    for path in paths:
        click.echo(str(path))


COMMANDS = [bulletin]
