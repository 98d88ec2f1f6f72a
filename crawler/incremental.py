"""Incremental re-crawl: which known detail pages need no request, a fresh look, or a fresh read.

A detail page already stored whose list entry (title, date) is unchanged and which answered
fine last time is

* **carried forward unasked** when it was last looked at over HTTP less than
  ``RECHECK_AFTER_DAYS`` ago and its own link and its attachments all answered fine then
  (``Store.known_documents`` computes ``fresh``): the run keeps the row and copies its link rows,
  which keep the time they were really checked (``links.checked_at``). This is what makes a
  second crawl in the same month (after 整改) cost the portals only their list pages plus what
  changed. Product policy, in docs/checks.md: a link verified within the window counts as
  verified for the period; every page that was broken, suspect or changed is asked again,
  and a monthly run (≥ 28 days apart) re-checks every page. A page a finding of the latest
  audit points at (``flagged``: a missing 索引号, a 年报 problem …) is always read again in full,
  so a fix made on the page without touching its list entry is seen (no false 未整改);
* otherwise asked again cheaply: a conditional GET when the stored row has HTTP
validators (``If-None-Match`` / ``If-Modified-Since`` → 304 keeps the row), else a HEAD (the
page still answers → the row is kept). Either still sees a page that now answers 404 or is
gone, so ``broken_link`` stays true for this crawl. A changed list entry, a stored error, or a
server that ignores the validators (answers 200 with a body) means the page is read again.
``xxgk crawl --full`` skips all this. Pure functions: the spider asks, the store remembers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Recheck:
    method: str                     # GET (conditional) or HEAD
    headers: dict = field(default_factory=dict)
    attachments: list = field(default_factory=list)   # the stored row's attachments, re-checked


#: Days within which a page checked fine and listed unchanged is not asked again (`--recheck-after`).
RECHECK_AFTER_DAYS = 20.0


def listed_unchanged(known: dict | None, title: str | None, list_date: str | None) -> bool:
    """Whether a stored document that answered fine is listed as it was (title, date)."""
    if not known or known.get("error") or known.get("flagged"):
        return False      # never seen, broken, or named by the latest audit: read it again
    status = known.get("http_status")
    if status is None or int(status) >= 400:
        return False
    if (known.get("list_date") or None) != (list_date or None):
        return False
    return not (title and known.get("title") != title)


def carry(known: dict | None, title: str | None, list_date: str | None) -> bool:
    """Whether the stored row stands for this crawl without a request (fresh and unchanged)."""
    return bool(known and known.get("fresh")) and listed_unchanged(known, title, list_date)


def recheck(known: dict | None, title: str | None, list_date: str | None) -> Recheck | None:
    """How to look again at a stored document listed as (title, list_date); None = read it."""
    if not listed_unchanged(known, title, list_date):
        return None
    headers = {}
    if known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]
    return Recheck(method="GET" if headers else "HEAD", headers=headers,
                   attachments=_attachments(known.get("attachments")))


def unchanged(method: str, status: int) -> bool:
    """Whether the answer to a recheck keeps the stored row."""
    if status == 304:
        return True
    return method == "HEAD" and 200 <= status < 300


def validators(headers) -> tuple[str | None, str | None]:
    """(ETag, Last-Modified) of a response's headers (Scrapy ``Headers`` or a dict of bytes/str)."""
    def get(name: str) -> str | None:
        value = headers.get(name)
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return value.strip() or None if value else None
    return get("ETag"), get("Last-Modified")


def _attachments(value) -> list[str]:
    if isinstance(value, list):
        return value
    try:
        parsed = json.loads(value) if value else []
    except ValueError:
        return []
    return [u for u in parsed if isinstance(u, str)] if isinstance(parsed, list) else []
