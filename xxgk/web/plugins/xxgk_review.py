"""Datasette plugin of ``xxgk serve``: the 问题审核 page, links to evidence and sites, menu entries.

Loaded with ``--plugins-dir`` by ``xxgk serve`` only (not installed into every Datasette).
Writes happen only when the plugin config says ``writable`` (``xxgk serve --review``); otherwise
every POST is refused with 403. POSTs go through Datasette's CSRF protection (asgi-csrf: the
form carries ``csrftoken``; a request without the cookie and token never reaches this code).
Decisions are made by ``audits.review.decide`` — the same function ``xxgk review`` calls.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from audits.review import STATE_NAMES, STATES, ReviewError, counts, decide, latest_period, parse_state, select
from crawler.store import Store

URL_COLUMNS = {"网址", "url", "source_url", "column_url", "entry_url", "entry"}
SITE_COLUMNS = {"站点", "site_id"}


def _config(datasette) -> dict:
    return datasette.plugin_config("xxgk-review") or {}


def _db(datasette):
    name = _config(datasette).get("database")
    return datasette.get_database(name) if name else datasette.get_database()


def _list(path: str, period: str | None, site: str | None, state: str | None, ids=None):
    store = Store(path)
    try:
        period = period or latest_period(store)
        return period, select(store, period=period, site=site or None, state=state or None, ids=ids)
    finally:
        store.close()


def _decide(path: str, ids: list[int], state: str, reason: str | None, reviewer: str | None) -> int:
    store = Store(path)
    try:
        return decide(store, ids, state, reason=reason, reviewer=reviewer or "网页审核")
    finally:
        store.close()


async def review_page(datasette, request):
    writable = bool(_config(datasette).get("writable"))
    db = _db(datasette)
    message = error = None
    status = 200
    if request.method == "POST":
        if not writable:
            return Response.text("只读模式：审核须以 xxgk serve --review 启动", status=403)
        form = await request.post_vars()
        try:
            state = parse_state(form.get("action", ""))
            ids = [int(form["finding_id"])]
            n = await asyncio.to_thread(_decide, db.path, ids, state, form.get("reason"), form.get("reviewer"))
            back = form.get("back") or ""
            query = urlencode({"msg": f"已将 {n} 条问题标记为{STATE_NAMES[state]}"})
            return Response.redirect(datasette.urls.path("/-/review") + "?" + (back + "&" if back else "") + query)
        except (ReviewError, KeyError, ValueError) as exc:
            error, status = str(exc) if isinstance(exc, ReviewError) else "请求不完整", 400
    args = request.args
    state_arg = args.get("state") or None
    try:
        state_arg = parse_state(state_arg) if state_arg else None
    except ReviewError as exc:
        error, state_arg = str(exc), None
    ids = [int(i) for i in args.getlist("id") if i.isdigit()] or None
    period, rows = await asyncio.to_thread(_list, db.path, args.get("period"), args.get("site"), state_arg, ids)
    message = message or args.get("msg")
    back = urlencode({k: v for k, v in (("period", args.get("period")), ("site", args.get("site")),
                                        ("state", args.get("state"))) if v})
    html = await datasette.render_template("xxgk_review.html", {
        "rows": rows, "counts": counts(rows), "period": period, "site": args.get("site"), "state": state_arg,
        "states": [(s, STATE_NAMES[s]) for s in STATES], "writable": writable, "message": message,
        "error": error, "database": db.name, "back": back}, request=request)
    return Response.html(html, status=status)


@hookimpl
def register_routes():
    return [(r"^/-/review$", review_page)]


@hookimpl
def menu_links(datasette):
    return [{"href": datasette.urls.path("/-/review"), "label": "问题审核"},
            {"href": datasette.urls.path("/-/dashboards"), "label": "监测概览（图表）"}]


@hookimpl
def render_cell(value, column, table, database, datasette):
    """Evidence URLs become links; a site id links to its row; a finding number to its review."""
    if not isinstance(value, str) and not (column == "编号" and isinstance(value, int)):
        return None
    if column in URL_COLUMNS and value.startswith(("http://", "https://")):
        return Markup(f'<a href="{escape(value)}" rel="noreferrer">{escape(value)}</a>')
    if column in SITE_COLUMNS and value and table != "sites":
        return Markup(f'<a href="{escape(datasette.urls.row(database, "sites", value))}">{escape(value)}</a>')
    if column == "编号" and table != "findings":
        href = datasette.urls.path("/-/review") + "?" + urlencode({"id": value})
        return Markup(f'<a href="{escape(href)}" title="审核">{escape(str(value))}</a>')
    return None
