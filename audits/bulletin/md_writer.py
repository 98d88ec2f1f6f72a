"""Markdown 通报 from the Jinja2 template ``templates/bulletin.md.j2``.

Every ``{{ … }}`` output passes through ``md_escape`` (the environment's ``finalize`` hook), so
a scraped title like ``a|b *x* <script>`` can neither break a table nor become markup, and no
template author can forget to escape.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import jinja2

from audits.bulletin.wording import Document

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_NEWLINES = re.compile(r"[\r\n]+")


def md_escape(value) -> str:
    """Backslash-escape Markdown's inline specials (\\ ` * _ [ ] < > |); newlines → space."""
    text = "" if value is None else str(value)
    return _SPECIAL.sub(r"\\\1", _NEWLINES.sub(" ", text))


class _Raw(str):
    """A string the template may print unescaped (only values this module builds)."""


def _finalize(value):
    return value if isinstance(value, _Raw) else md_escape(value)


def _env() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.PackageLoader("audits.bulletin", "templates"),
                             autoescape=False, finalize=_finalize, keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["urlpath"] = lambda name: _Raw(quote(str(name)))
    return env


def render_markdown(doc: Document, chart_file: str | None = None) -> str:
    """The Markdown text; ``chart_file`` is the chart PNG's name relative to the .md file."""
    text = _env().get_template("bulletin.md.j2").render(doc=doc, chart_file=chart_file)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def write_markdown(doc: Document, path: Path, chart_file: str | None = None) -> Path:
    path.write_text(render_markdown(doc, chart_file), encoding="utf-8")
    return path
