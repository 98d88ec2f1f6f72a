"""Script-drawn lists in the portal spider (a mixin of :class:`PortalSpider`).

Used only for a column page where the static readers (and the CMS dialects) found no items and
:func:`crawler.render.detect.script_list_signs` says the list is drawn by script:

1. A request shape already learned on this portal is tried first for the new column with the
   ordinary downloader (:meth:`Shape.for_column`); only when that yields nothing is the page
   rendered. While one page of a portal renders, its other such columns wait for what it
   teaches, so a portal is rendered a few times, not once per column.
2. The page is rendered (``meta["xxgk_render"]``, see :mod:`crawler.render.handler`), one page
   per portal at a time; the list is found among the answers the page fetched, and its other
   pages are fetched by the ordinary downloader by changing the page field of that request.
3. Without a usable browser (extra not installed, no Chromium, ``XXGK_BROWSER=0``) such a
   column is marked unreadable "需要浏览器引擎": never empty, never stale.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from crawler import discover
from crawler.errors import describe_failure
from crawler.render import engine, learn
from crawler.render.detect import script_list_signs
from crawler.urls import same_portal

NEEDS_BROWSER = "需要浏览器引擎"


@dataclass
class BrowserSite:
    shapes: list = field(default_factory=list)        # learned list requests (bound to their column)
    busy: bool = False                                  # a page of this portal is rendering
    waiting: list = field(default_factory=list)         # (column, html, url) waiting for it
    rendered: int = 0
    log: list = field(default_factory=list)             # one line per script-drawn column


class BrowserLists:
    _browser_why: str | None = None
    _browser_checked = False

    def _browser_reason(self) -> str | None:
        """Why the browser cannot be used in this crawl (None when it can)."""
        if not self._browser_checked:
            self._browser_checked = True
            if hasattr(self, "settings") and not self.settings.getbool("XXGK_BROWSER", True):
                self._browser_why = "浏览器引擎已关闭（XXGK_BROWSER=0）"
            else:
                self._browser_why = engine.unavailable_reason()
        return self._browser_why

    def _bsite(self, state) -> BrowserSite:
        sites = self.__dict__.setdefault("browser_sites", {})
        return sites.setdefault(state.portal.id, BrowserSite())

    def script_drawn_list(self, state, column, response):
        """Hook for a column page without items: True (and requests yielded) when it is a
        script-drawn list, handled here; False when the page shows no such signs."""
        signs = script_list_signs(response.text)
        if not signs:
            return False
        reason = self._browser_reason()
        b = self._bsite(state)
        if reason:
            column.mark("unreadable", NEEDS_BROWSER)
            b.log.append({"column": column.name, "url": column.url, "how": "unreadable", "why": reason,
                          "signs": signs.describe()})
            self.logger.info("%s: %s draws its list by script (%s); %s", state.portal.id, column.url,
                             signs.describe(), reason)
            return []
        return list(self._shape_or_render(state, column, response.text, response.url))

    # --- choosing: a learned shape, else wait, else render ------------------------------
    def _shape_or_render(self, state, column, html: str, url: str, *, held: bool = False,
                         skip_shapes: bool = False):
        b = self._bsite(state)
        if not skip_shapes:
            for shape in b.shapes:
                mine = shape.for_column(html, url)
                if mine is not None:
                    yield from self._api_request(state, column, mine, mine.page_value, held=held,
                                                 probe=(html, url))
                    return
        if b.busy:
            if not held:
                column.pending += 1
            b.waiting.append((column, html, url))
            return
        b.busy = True
        if not held:
            column.pending += 1
        yield self._request(url, state.portal.id, self.parse_rendered, kind="render", column_url=column.url,
                            column_html=html, errback=self.on_render_error, handle_all=True,
                            xxgk_render=True, dont_retry=True)

    def _drain(self, state):
        b = self._bsite(state)
        while b.waiting and not b.busy:
            column, html, url = b.waiting.pop(0)
            yield from self._shape_or_render(state, column, html, url, held=True)

    def _api_request(self, state, column, shape, page, *, held=False, probe=None):
        method, url, body, headers = shape.request(page if page is not None else 1)
        key = (method, url, (body or "",))
        limit = self._setting("XXGK_MAX_PAGES_PER_COLUMN", 500)
        if key in column.seen_pages or len(column.seen_pages) >= limit:
            if key not in column.seen_pages:
                self.logger.warning("%s: page limit %d reached in %s", state.portal.id, limit, column.url)
            if held:                       # nothing new to ask: give the held place back
                yield from self._emit_if_done(state, column)
            return
        if not held:
            column.pending += 1
        column.seen_pages.add(key)
        yield self._request(url, state.portal.id, self.parse_api_list, kind="api", column_url=column.url,
                            method=method, body=body, headers=headers, handle_all=True,
                            errback=self.on_api_error, shape=shape, page=page, probe=probe)

    # --- answers ---------------------------------------------------------------------------
    def _emit_if_done(self, state, column):
        column.pending -= 1
        if column.pending <= 0 and not column.emitted and column.url in state.columns:
            yield column.to_item(state.portal.id)

    def parse_rendered(self, response):
        state = self.sites[response.meta["site_id"]]
        column = state.columns[response.meta["column_url"]]
        b = self._bsite(state)
        result = response.meta.get("xxgk_rendered")
        b.rendered += 1
        state.pages += 1
        out = []
        entry = {"column": column.name, "url": column.url, "how": "rendered"}
        if result is None or result.error:
            column.mark("unreadable", (result.error if result else None) or "浏览器引擎没有返回页面")
            entry["why"] = column.status_reason
        else:
            in_portal = lambda u: same_portal(u, state.portal, state.entry_url)  # noqa: E731
            found = learn.find_list(result, in_portal)
            entry.update(requests=len(result.exchanges), blocked=len(result.blocked))
            if found is None:
                note = discover.explained_empty_note(result.html)
                if note:
                    column.empty_note = note
                else:
                    column.mark("unreadable", "浏览器引擎运行了页面脚本，仍未找到列表")
                entry["how"] = "rendered, no list"
            else:
                entry.update(items=len(found.items), paging=found.how())
                column.pages += 1
                column.add(found.items)
                if found.facts.get("total") and not column.declared_total:
                    column.declared_total = found.facts["total"]
                out.extend(self._follow_items(state, column, found.items, response.url))
                if found.exchange is None:
                    out.extend(self._follow_pages(state, column, found.dom_paging.next_pages))
                else:
                    shape = found.shape.bind(response.meta["column_html"], column.url)
                    entry["list_request"] = shape.describe()
                    column.seen_pages.add((shape.method, shape.url, (shape.body or "",)))
                    if shape.anchors:
                        b.shapes.append(shape)
                    for n in shape.next_pages(found.facts, len(found.items)):
                        out.extend(self._api_request(state, column, shape, n))
        b.log.append(entry)
        b.busy = False
        out.extend(self._drain(state))
        out.extend(self._emit_if_done(state, column))
        return out

    def parse_api_list(self, response):
        meta = response.meta
        state = self.sites[meta["site_id"]]
        column = state.columns[meta["column_url"]]
        shape, page, probe = meta["shape"], meta["page"], meta.get("probe")
        state.pages += 1
        out = []
        text = getattr(response, "text", "") if response.status < 400 else ""
        items, facts, empty = learn.read_answer(shape.kind, text, response.url) if text else ([], {}, False)
        items = [i for i in items if same_portal(i.url, state.portal, state.entry_url)]
        if probe is not None and not items and not empty:
            # the shape learned on another column does not fit this one: render it after all
            out.extend(self._shape_or_render(state, column, probe[0], probe[1], skip_shapes=True))
        elif response.status >= 400 or not text:
            state.errors += 1
            state.list_errors += 1
            column.mark("incomplete", f"列表第{page}页请求失败（HTTP {response.status}）")
        else:
            if probe is not None:
                self._bsite(state).log.append({"column": column.name, "url": column.url,
                                               "how": "learned request reused", "items": len(items),
                                               "list_request": shape.describe()})
            column.pages += 1
            column.add(items)
            if facts.get("total") and not column.declared_total:
                column.declared_total = facts["total"]
            out.extend(self._follow_items(state, column, items, response.url))
            for n in replace(shape, page_value=page).next_pages(facts, len(items)):
                out.extend(self._api_request(state, column, shape, n))
        out.extend(self._emit_if_done(state, column))
        return out

    # --- failures ----------------------------------------------------------------------------
    def on_render_error(self, failure):
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        column = state.columns.get(meta["column_url"])
        b = self._bsite(state)
        b.busy = False
        out = []
        if column is not None:
            column.mark("unreadable", f"浏览器引擎打开页面失败：{describe_failure(failure)}")
            b.log.append({"column": column.name, "url": column.url, "how": "render failed",
                          "why": column.status_reason})
        out.extend(self._drain(state))
        if column is not None:
            out.extend(self._emit_if_done(state, column))
        return out

    def on_api_error(self, failure):
        meta = failure.request.meta
        state = self.sites[meta["site_id"]]
        column = state.columns.get(meta["column_url"])
        if column is None:
            return []
        out = []
        if meta.get("probe") is not None:
            html, url = meta["probe"]
            out.extend(self._shape_or_render(state, column, html, url, skip_shapes=True))
        else:
            state.errors += 1
            state.list_errors += 1
            column.mark("incomplete", f"列表第{meta['page']}页请求失败：{describe_failure(failure)}")
        out.extend(self._emit_if_done(state, column))
        return out

    def browser_report(self) -> dict:
        """Per portal: pages rendered and what happened to each script-drawn column."""
        return {sid: {"rendered": b.rendered, "columns": b.log}
                for sid, b in self.__dict__.get("browser_sites", {}).items()}

    def closed(self, reason):
        for sid, rep in self.browser_report().items():
            self.logger.info("browser: %s rendered %d page(s) for %d script-drawn column(s)", sid,
                             rep["rendered"], len(rep["columns"]))
