"""SiteData: one site's latest crawl as the checks see it (rows in, nothing fetched).

Built by the engine from ``Store.latest_crawls()`` + ``Store.site_snapshot()``, or by hand in
tests. The rows are the dicts the store holds (see ``crawler/store.py`` SCHEMA); the helpers
here answer the questions several checks share (which column is this URL, what category is
this column, which items did it list), so each check stays a short pure function.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property


def _json_dict(value) -> dict:
    """``sites.config`` / ``documents.raw`` as a dict, whatever was stored (None, '', bad JSON)."""
    if isinstance(value, dict):
        return value
    if not value:
        return {}
    try:
        data = json.loads(value)
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


@dataclass
class SiteData:
    """Everything one crawl stored for one site.

    ``site``: ``{"id", "name", "url", "config": {"columns": [...], "annual_reports_since": N}}``;
    ``crawl``: the ``crawls`` row (``status`` ok|partial|unreachable, ``error``, ``url``,
    ``entry_url`` …); the lists are rows of ``columns``, ``column_items``, ``documents``, ``links``.
    """

    site: dict
    crawl: dict = field(default_factory=dict)
    columns: list[dict] = field(default_factory=list)
    column_items: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    home_items: list[dict] = field(default_factory=list)   # homepage / 二级页面 list items
    rules: object | None = None   # audits.rules.Rules; the national defaults when None
    #: availability probe rounds in the audit window (``Store.probe_rounds``), oldest first;
    #: None when the engine did not load them (then only the crawl is evidence).
    probes: list[dict] | None = None

    # --- construction ----------------------------------------------------------------------
    @classmethod
    def from_store(cls, crawl_row: dict, snapshot: dict[str, list[dict]], rules=None) -> "SiteData":
        """From one row of ``Store.latest_crawls()`` and ``Store.site_snapshot()`` of that crawl."""
        config = _json_dict(crawl_row.get("site_config"))
        if config.get("annual_reports_since") is None and crawl_row.get("annual_reports_since"):
            config["annual_reports_since"] = crawl_row["annual_reports_since"]
        site = {"id": crawl_row["site_id"], "name": crawl_row.get("site_name") or crawl_row["site_id"],
                "url": crawl_row.get("site_url") or crawl_row.get("url"), "config": config}
        crawl = {k: v for k, v in crawl_row.items()
                 if k not in ("site_name", "site_url", "site_config", "annual_reports_since")}
        return cls(site=site, crawl=crawl, columns=list(snapshot.get("columns", [])),
                   column_items=list(snapshot.get("column_items", [])),
                   documents=list(snapshot.get("documents", [])),
                   links=list(snapshot.get("links", [])),
                   home_items=list(snapshot.get("home_items", [])), rules=rules)

    # --- site -------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.site["id"]

    @property
    def config(self) -> dict:
        return _json_dict(self.site.get("config"))

    @property
    def annual_reports_since(self) -> int | None:
        value = self.config.get("annual_reports_since")
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    @property
    def unit_kind(self) -> str:
        """department | government | township: the seeds' ``unit_kind``, else guessed from the
        unit's name (SPEC order and words) — it decides the 年报 deadline."""
        from crawler.seeds import UNIT_KINDS, guess_unit_kind
        kind = self.config.get("unit_kind")
        return kind if kind in UNIT_KINDS else guess_unit_kind(self.site.get("name"))

    @property
    def township_deadline(self) -> tuple[int, int] | None:
        value = self.config.get("township_deadline")
        try:
            month, day = (int(v) for v in value)
            return month, day
        except (TypeError, ValueError):
            return None

    @property
    def run_id(self) -> int | None:
        return self.crawl.get("run_id")

    # --- columns ----------------------------------------------------------------------------
    @cached_property
    def _columns_by_url(self) -> dict[str, dict]:
        return {c["url"]: c for c in self.columns if c.get("url")}

    def column_by_url(self, url: str | None) -> dict | None:
        return self._columns_by_url.get(url) if url else None

    def _rules(self):
        if self.rules is None:
            from audits.rules import load_rules
            self.rules = load_rules()
        return self.rules

    def category(self, column: dict) -> str:
        """The column's category: site override (by URL, then name) → name rules."""
        from audits.categories import column_category
        return column_category(column, self._rules(), self.config.get("columns") or [])

    def columns_of(self, category: str) -> list[dict]:
        return [c for c in self.columns if self.category(c) == category]

    @cached_property
    def _items_by_column(self) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for item in self.column_items:
            out.setdefault(item.get("column_url"), []).append(item)
        for items in out.values():
            items.sort(key=lambda i: (i.get("position") is None, i.get("position") or 0,
                                      i.get("url") or ""))
        return out

    def items_of(self, column: dict | str) -> list[dict]:
        url = column if isinstance(column, str) else column.get("url")
        return self._items_by_column.get(url, [])

    # --- documents and links ----------------------------------------------------------------
    @cached_property
    def _documents_by_url(self) -> dict[str, dict]:
        return {d["url"]: d for d in self.documents if d.get("url")}

    def document(self, url: str | None) -> dict | None:
        return self._documents_by_url.get(url) if url else None

    def raw(self, document: dict) -> dict:
        """The document's label → value map (``documents.raw``) as a dict."""
        return _json_dict(document.get("raw"))

    def column_name(self, url: str | None) -> str | None:
        column = self.column_by_url(url)
        return column.get("name") if column else None
