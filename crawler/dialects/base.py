"""What every dialect answers, and the few helpers they share. Pure: text in, values out."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from crawler.listing import ListItem
from crawler.paging import PageRequest, Paging


@dataclass(frozen=True)
class DialectColumn:
    """A column of a platform's own column tree.

    ``url`` is the page a person opens (the evidence URL); ``request`` is how the list is
    fetched when it only exists through the platform's API (None: fetch ``url`` as usual)."""

    name: str
    url: str
    request: PageRequest | None = None
    post_count: int | None = None


@dataclass
class DialectPage:
    """What one dialect sees on a page of its platform."""

    dialect: str
    kind: str = "list"                      # list | detail | directory
    items: list[ListItem] = field(default_factory=list)
    paging: Paging = field(default_factory=Paging)
    columns: list[DialectColumn] = field(default_factory=list)
    #: For a list drawn by script: how the list is fetched, for a person (Chinese).
    script_note: str | None = None


_PAIR = re.compile(r"""["']?([A-Za-z_$][\w$]*)["']?\s*:\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|-?\d+(?:\.\d+)?|true|false|null)""")


def js_pairs(text: str) -> dict[str, str]:
    """Literal ``key: value`` pairs of a small JS object (quotes of either kind, numbers,
    booleans); the first occurrence of a key wins. Values are returned as strings."""
    out: dict[str, str] = {}
    for key, value in _PAIR.findall(text or ""):
        if value[:1] in "\"'":
            value = value[1:-1]
        out.setdefault(key, value)
    return out


def load_json(text: str):
    try:
        return json.loads((text or "").strip().lstrip("\ufeff"))
    except ValueError:
        return None


def as_int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def form_value(request: PageRequest, name: str) -> str | None:
    for key, value in request.formdata:
        if key == name:
            return value
    return None


def with_form(request: PageRequest, **changes: str) -> PageRequest:
    """The same POST with some form fields replaced (order kept, new fields appended)."""
    fields = [(k, changes.pop(k) if k in changes else v) for k, v in request.formdata]
    fields += list(changes.items())
    return PageRequest(request.url, request.method, tuple(fields), request.kind)
