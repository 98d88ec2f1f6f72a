"""CMS dialects: one pure module per platform family, tried in order before the generic readers.

Each module answers the same questions about a page of its platform:

* ``matches(html, url)`` — is this page mine? (cheap string tests)
* ``read(html, url) -> DialectPage | None`` — its kind, items, the requests for the rest of
  its list (``paging.PageRequest`` with the dialect's ``KIND``), its column tree, and for a
  list drawn by script a sentence saying how the list is fetched;
* ``read_answer(text, request, status) -> (items, Paging)`` — one answer of the platform's
  list API (JSON or HTML fragment) and the further requests it implies;
* ``problem(text, status) -> str | None`` — why an answer is no list at all (an error object):
  the column is then unreadable with that reason, never "empty".

The spider calls :func:`read_page` on every directory and list page and routes the answers of
requests whose kind is a dialect's ``KIND`` to :func:`read_answer`; `xxgk inspect` prints the
same. A new family is a new module here plus a simulator shape written from its real markup.
"""

from __future__ import annotations

from crawler.listing import ListItem
from crawler.paging import PageRequest, Paging

from . import dahan_xxgk, fjdzapp, gkmlpt, jpaas
from .base import DialectColumn, DialectPage

#: Tried in this order; the first whose ``matches`` and ``read`` both answer wins.
DIALECTS = (gkmlpt, jpaas, dahan_xxgk, fjdzapp)
KINDS = {d.KIND: d for d in DIALECTS}

__all__ = ["DIALECTS", "KINDS", "DialectColumn", "DialectPage", "read_page", "handles", "read_answer",
           "ends_list", "answer_kind", "answer_problem"]


def read_page(html: str, url: str) -> DialectPage | None:
    """What the first dialect that knows this page sees on it; None for other platforms."""
    if not html:
        return None
    for dialect in DIALECTS:
        try:
            if dialect.matches(html, url):
                found = dialect.read(html, url)
                if found is not None:
                    return found
        except (ValueError, TypeError, KeyError, IndexError):
            continue          # a malformed page of the family: let the generic readers try
    return None


def handles(kind: str) -> bool:
    """Whether a list request of ``kind`` is answered by a dialect's API."""
    return kind in KINDS


def ends_list(kind: str, status: int, request: PageRequest | None = None) -> bool:
    """An error status that only means "no more pages": gkmlpt answers 404 past the end. A 404
    for a column's first page is a failed list, never an empty one."""
    return kind == gkmlpt.KIND and status == 404 and request is not None and gkmlpt.page_of(request) >= 2


def read_answer(kind: str, text: str, request: PageRequest, status: int = 200,
                known: set[str] | None = None) -> tuple[list[ListItem], Paging]:
    """Items and further requests of one API answer of dialect ``kind``."""
    dialect = KINDS[kind]
    try:
        if dialect is jpaas:
            return jpaas.read_answer(text, request, status, known=known)
        return dialect.read_answer(text, request, status)
    except (ValueError, TypeError, KeyError, AttributeError):
        return [], Paging()


def answer_problem(kind: str, text: str, status: int = 200) -> str | None:
    """Why an answer of dialect ``kind`` is no list at all (an error object, not JSON): the
    column must then be stored as unreadable with this reason, never judged empty."""
    try:
        return KINDS[kind].problem(text, status)
    except (ValueError, TypeError, KeyError, AttributeError):
        return f"{kind} 列表接口的回答无法读取"


def answer_kind(text: str) -> str | None:
    """Which dialect's API a saved JSON answer comes from (for `xxgk inspect FILE.json`)."""
    head = (text or "")[:20000]
    if '"articles"' in head and ('"classify"' in head or '"identifier"' in head):
        return gkmlpt.KIND
    if '"doctitle"' in head and ('"pageCount"' in head or '"recordCount"' in head):
        return fjdzapp.KIND
    if '"html"' in head and '"data"' in head:
        return jpaas.KIND
    return None
