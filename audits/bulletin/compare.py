"""整改情况: which problems of the previous period are fixed, which persist, which are new. Pure.

A problem's identity across two periods is ``problem_key``: (site, check, year, evidence URL).

Why these fields:

* ``detail`` is excluded: it carries numbers that change every month for the same problem
  ("已81天未更新" becomes "已111天未更新").
* ``column`` (the name) is excluded when there is a URL: portals rename columns (繁→简, "工作动态"
  → "政务动态") at the same address, and the URL is what a person opens. Without a URL the
  column name stands in for it.
* ``url`` is the evidence: for a stale or empty column it is the column's URL, for a late or
  inconsistent 年报 the report's URL (a published report does not move), for metadata and
  broken links the document or link itself, for an unreachable site the site. It is compared
  without its #fragment and with scheme and host lower-cased.
* ``year`` separates one 年报 column's problems by year (2019 missing vs 2020 missing share
  the column URL).

Two findings of one period may share a key (a document with a malformed 索引号 *and* a future
date: two ``metadata_invalid`` findings on one URL). Keys are therefore compared as multisets:
with ``c`` findings now and ``p`` before, ``min(c, p)`` persist, the rest are new or fixed.
Within a key, findings are paired in ``detail`` order so the result does not depend on row order.

Unknown is not fixed: a previous problem that is gone now, but whose site, column or document this
period's crawl did not see completely (``SiteView.hides``: the site unreachable, its column
unreadable/incomplete or not found again in a partial crawl, its document page failing), is
**unverifiable** (无法核实), never fixed.

Only sites monitored in both periods can have fixed problems: a site missing from this period
was not re-checked, so its old problems are neither fixed nor persisting (the caller filters
``previous`` to the sites of this period); a site missing from the previous period has only
new problems.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit


def normalise_url(url: str | None) -> str:
    """URL for comparison: trimmed, no fragment, scheme and host lower-cased."""
    url = (url or "").strip()
    if not url:
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def problem_key(finding: Mapping[str, Any]) -> tuple:
    """The identity of a problem across periods (see the module docstring)."""
    url = normalise_url(finding.get("url"))
    where = ("url", url) if url else ("column", (finding.get("column") or "").strip())
    year = finding.get("year")
    return (finding.get("site_id"), finding.get("check"), int(year) if year else None, where)


@dataclass
class Comparison:
    """The outcome of comparing two periods' problems (the finding mappings themselves)."""

    new: list = field(default_factory=list)
    persisting: list = field(default_factory=list)
    fixed: list = field(default_factory=list)
    unverifiable: list = field(default_factory=list)   # gone, but this period could not see there


@dataclass
class SiteView:
    """What this period's crawl of one site could see (built from its crawl and column rows)."""

    unreachable: bool = False
    partial: bool = False
    column_urls: set = field(default_factory=set)       # every column found (normalised URLs)
    column_names: set = field(default_factory=set)
    unseen_urls: set = field(default_factory=set)       # columns not fully seen
    unseen_names: set = field(default_factory=set)
    failed_urls: set = field(default_factory=set)       # documents whose page failed

    @classmethod
    def build(cls, crawl_status: str | None, columns: Iterable[Mapping[str, Any]],
              failed_documents: Iterable[str] = ()) -> "SiteView":
        view = cls(unreachable=crawl_status == "unreachable", partial=crawl_status == "partial")
        for c in columns:
            url, name = normalise_url(c.get("url")), (c.get("name") or "").strip()
            view.column_urls.add(url)
            view.column_names.add(name)
            status = c.get("status") or "ok"
            failed = c.get("http_status") is not None and int(c["http_status"]) >= 400
            if status != "ok" or failed:
                view.unseen_urls.add(url)
                view.unseen_names.add(name)
        view.failed_urls = {normalise_url(u) for u in failed_documents}
        return view

    def hides(self, finding: Mapping[str, Any]) -> bool:
        """Whether this crawl could not have seen ``finding``'s problem (so its absence proves nothing)."""
        if self.unreachable:
            return True
        url, column = normalise_url(finding.get("url")), (finding.get("column") or "").strip()
        if url and (url in self.unseen_urls or url in self.failed_urls):
            return True
        if column and column in self.unseen_names:
            return True
        # a partial crawl that did not find the column again: not seen, not removed
        lost = column and column not in self.column_names and url not in self.column_urls
        return bool(self.partial and lost)


def compare(current: Sequence[Mapping[str, Any]], previous: Sequence[Mapping[str, Any]],
            hidden: Callable[[Mapping[str, Any]], bool] | None = None) -> Comparison:
    """Split problems into new / persisting (from ``current``) and fixed (from ``previous``).

    ``previous`` must already be restricted to sites monitored in this period. ``hidden(f)``
    says a previous problem could not be seen this period: gone but ``hidden`` is unverifiable.
    """
    now: dict[tuple, list] = defaultdict(list)
    before: dict[tuple, list] = defaultdict(list)
    for f in current:
        now[problem_key(f)].append(f)
    for f in previous:
        before[problem_key(f)].append(f)
    out = Comparison()
    by_detail = lambda f: str(f.get("detail") or "")  # noqa: E731 - a sort key
    for key, group in now.items():
        group = sorted(group, key=by_detail)
        kept = min(len(group), len(before.get(key, ())))
        out.persisting.extend(group[:kept])
        out.new.extend(group[kept:])
    for key, group in before.items():
        group = sorted(group, key=by_detail)
        kept = min(len(group), len(now.get(key, ())))
        for f in group[kept:]:
            (out.unverifiable if hidden is not None and hidden(f) else out.fixed).append(f)
    return out
