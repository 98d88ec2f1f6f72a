"""Incremental re-crawl: which known detail pages need only a fresh look, not a fresh read.

A detail page already stored whose list entry (title, date) is unchanged and which answered
fine last time is asked again cheaply: a conditional GET when the stored row has HTTP
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


def recheck(known: dict | None, title: str | None, list_date: str | None) -> Recheck | None:
    """How to look again at a stored document listed as (title, list_date); None = read it."""
    if not known or known.get("error"):
        return None
    status = known.get("http_status")
    if status is None or int(status) >= 400:
        return None
    if (known.get("list_date") or None) != (list_date or None):
        return None
    if title and known.get("title") != title:
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
