"""Options shared by several commands, so every command spells them the same way."""

from __future__ import annotations

from datetime import date

import click

from crawler.store import db_path

db_option = click.option(
    "--db", "db", default=None, metavar="PATH",
    help="SQLite 数据库路径（默认 $XXGK_DB 或 xxgk.db）", callback=lambda ctx, p, v: db_path(v))


def parse_as_of(value: str | None) -> date:
    """``--as-of YYYY-MM-DD`` → date (today when absent); a clear error otherwise."""
    if not value:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from None


as_of_option = click.option("--as-of", "as_of", default=None, metavar="YYYY-MM-DD",
                            callback=lambda ctx, p, v: parse_as_of(v),
                            help="检查基准日期（默认今天）")
