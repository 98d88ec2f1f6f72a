"""`xxgk review`: list, confirm and dismiss findings before the 通报 (人工审核).

Thin: the decisions, their carry-over and the states live in ``audits.review``. Without a
subcommand it lists a period's findings with their state; ``confirm``, ``dismiss`` and ``reset``
take finding ids and/or filters (bulk by check or site). Errors are one line, exit 1.
"""

from __future__ import annotations

import json

import click

from audits.bulletin import BulletinError, Period
from audits.review import (DISMISSED, PENDING, STATE_NAMES, ReviewError, counts, decide, latest_period,
                           parse_state, select)
from crawler.store import Store
from xxgk.options import db_option


def _filters(func):
    func = click.option("--state", default=None, metavar="STATE",
                        help="审核状态：pending/confirmed/dismissed（待审核/已确认/已驳回）")(func)
    func = click.option("--check", default=None, metavar="CHECK", help="问题类型（检查项 id，如 column_empty）")(func)
    func = click.option("--site", default=None, metavar="ID", help="站点 id")(func)
    func = click.option("--period", default=None, metavar="YYYY-MM", help="监测期（默认最近一期）")(func)
    return db_option(func)


def _open(db: str) -> Store:
    from pathlib import Path

    if db != ":memory:" and not Path(db).exists():
        raise click.ClickException(f"数据库不存在：{db}（先运行 xxgk run 或 xxgk demo）")
    return Store(db)


def _rows(store: Store, period, site, check, state, ids=()) -> tuple[str | None, list[dict]]:
    try:
        period = Period.parse(period).key if period else latest_period(store)
        state = parse_state(state) if state else None
    except (BulletinError, ReviewError) as exc:
        raise click.ClickException(str(exc)) from None
    return period, select(store, period=period, site=site, check=check, state=state, ids=ids)


def _print(period: str | None, rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps({"period": period, "counts": counts(rows), "findings": [
            {"id": r["id"], "site": r["site_id"], "check": r["check"], "severity": r["severity"],
             "column": r["column"], "url": r["url"], "year": r["year"], "detail": r["detail"],
             "state": r["state"], "reason": r["reason"], "reviewer": r["reviewer"],
             "decided_at": r["decided_at"]} for r in rows]}, ensure_ascii=False, indent=2))
        return
    for r in rows:
        where = "".join(x for x in (f"“{r['column']}”" if r["column"] else "",
                                    f"{r['year']}年度" if r["year"] else "") if x)
        click.echo(f"#{r['id']}  [{r['state_name']}]  {r['site_name']}  {r['check_name']}"
                   f"  {where}{'：' if where else ''}{r['detail']}")
        if r["url"]:
            click.echo(f"      {r['url']}")
        if r["state"] != PENDING:
            why = f"，理由：{r['reason']}" if r["reason"] else ""
            click.echo(f"      {r['state_name']}（{r['reviewer']}，{r['decided_at']}{why}）")
    c = counts(rows)
    click.echo(f"{period or '—'}：共 {len(rows)} 条，" + "，".join(f"{STATE_NAMES[s]} {n} 条" for s, n in c.items()))


@click.group("review", invoke_without_command=True)
@_filters
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def review(ctx, period, site, check, state, db, fmt) -> None:
    """人工审核：列出、确认或驳回本期问题（驳回须写明理由，并延续到以后各期直至问题消失）。"""
    if ctx.invoked_subcommand is not None:
        return
    store = _open(db)
    try:
        period, rows = _rows(store, period, site, check, state)
    finally:
        store.close()
    _print(period, rows, fmt)


def _decision(state: str):
    def run(ids, period, site, check, state_filter, db, reason, reviewer) -> None:
        if not ids and not (site or check):
            raise click.ClickException("请给出问题编号，或用 --site / --check 选择要批量处理的问题")
        store = _open(db)
        try:
            if ids:
                targets = [r["id"] for r in select(store, ids=ids)]
                targets += [i for i in ids if i not in targets]   # unknown ids → decide() names them
            else:
                # Bulk by filter touches pending findings only, unless --state says otherwise:
                # a bulk confirm must not silently undo someone's dismissal.
                _, rows = _rows(store, period, site, check, state_filter or PENDING)
                targets = [r["id"] for r in rows]
            n = decide(store, targets, state, reason=reason, reviewer=reviewer)
        except ReviewError as exc:
            raise click.ClickException(str(exc)) from None
        finally:
            store.close()
        click.echo(f"已将 {n} 条问题标记为{STATE_NAMES[state]}。")
    return run


def _make(name: str, state: str, doc: str):
    run = _decision(state)

    @click.command(name, help=doc)
    @click.argument("ids", nargs=-1, type=int)
    @click.option("--period", default=None, metavar="YYYY-MM", help="监测期（默认最近一期）")
    @click.option("--site", default=None, metavar="ID", help="批量：该站点的问题")
    @click.option("--check", default=None, metavar="CHECK", help="批量：该类型的问题")
    @click.option("--state", "state_filter", default=None, metavar="STATE", help="批量：仅该审核状态的问题（默认只处理待审核的）")
    @click.option("--reason", default=None, help="理由（驳回时必填）")
    @click.option("--by", "reviewer", default=None, help="审核人（默认当前用户）")
    @db_option
    def command(ids, period, site, check, state_filter, reason, reviewer, db):
        run(ids, period, site, check, state_filter, db, reason, reviewer)
    return command


review.add_command(_make("confirm", "confirmed", "确认问题（纳入通报）：xxgk review confirm 12 13 或 --site/--check 批量。"))
review.add_command(_make("dismiss", DISMISSED, "驳回问题（不纳入通报，须 --reason）：xxgk review dismiss 12 --reason …"))
review.add_command(_make("reset", PENDING, "撤销审核，恢复为待审核。"))

COMMANDS = [review]
