"""What a detail page shows for each metadata field — shared by the renderers and by truth.

Renderers print ``shown(doc, field, style)``; truth normalises that same text the way a
correct crawler must (OpenCC 简体, trimmed, ISO dates). Keeping one function for both sides
is what makes precision/recall 1.0 achievable.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import opencc

from crawler.text import clean, parse_date

from .model import Document

FIELDS = ("index_no", "publisher", "published", "written", "doc_no", "topic")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def fmt_date(value: date, style: str) -> str:
    """``iso`` → 2024-01-05, ``cn`` → 2024年01月05日 (the two spellings portals use)."""
    if style == "cn":
        return f"{value.year}年{value.month:02d}月{value.day:02d}日"
    return value.isoformat()


def shown_title(doc: Document) -> str:
    return _s2t().convert(doc.title) if doc.traditional else doc.title


def shown(doc: Document, name: str, style: str = "iso") -> str | None:
    """The literal text the page shows for field ``name``; None when the field is absent."""
    if name in doc.shown:
        return doc.shown[name]
    value = getattr(doc, name)
    if value is None:
        return None
    if isinstance(value, date):
        return fmt_date(value, style)
    if name == "publisher" and doc.traditional:
        return _s2t().convert(value)
    return value


def truth_fields(doc: Document) -> dict:
    """The normalised values a correct crawler stores for ``doc`` (SPEC documents table)."""
    published = parse_date(shown(doc, "published")) or doc.list_date.isoformat()
    return {
        "title": clean(shown_title(doc)),
        "index_no": clean(shown(doc, "index_no")),
        "publisher": clean(shown(doc, "publisher")),
        "published": published,
        "written": parse_date(shown(doc, "written")),
        "doc_no": clean(shown(doc, "doc_no")),
        "topic": clean(shown(doc, "topic")),
    }
