"""Markdown 通报 from the Jinja2 template ``templates/bulletin.md.j2``.

Every ``{{ … }}`` output passes through ``md_escape`` (the environment's ``finalize`` hook), so
a scraped title like ``a|b *x* <script>`` can neither break a table nor become markup, and no
template author can forget to escape.

URLs are the exception: a clerk copies the evidence URL out of the bulletin into a browser, so
``t20200517\\_1492978.html`` would be wrong. Each http(s) URL found in a value is written as a
CommonMark autolink ``<http://…>``, inside which backslash escapes are neither needed nor
honoured; the only characters it cannot hold (space, ``<``, ``>``) end the URL match, and
``|`` (which would split a GFM table cell even inside an autolink) is written as ``%7C``.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import jinja2

from audits.bulletin.wording import Document

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_NEWLINES = re.compile(r"[\r\n]+")
#: An http(s) URL: printable ASCII without space, quotes or angle brackets, so a URL glued to
#: Chinese text ("网址：http://…。") stops at the first non-ASCII character.
_URL = re.compile(r"https?://[!#-;=?-~]+", re.I)
_TRAILING = ".,;:!?)'"


def _escape_text(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", text)


def autolink(url: str) -> str:
    """``http://a/b_c|d`` → ``<http://a/b_c%7Cd>``: copyable as it is, safe in a table cell."""
    return "<" + url.replace("|", "%7C") + ">"


def md_escape(value) -> str:
    """Escape Markdown's inline specials (\\ ` * _ [ ] < > |) in text, autolink http(s) URLs.

    Newlines become spaces (a value is one paragraph or one table cell). Sentence punctuation
    right after a URL (``.``, ``)``, …) is kept out of the link, as GitHub's autolinker does.
    """
    text = _NEWLINES.sub(" ", "" if value is None else str(value))
    out, pos = [], 0
    for m in _URL.finditer(text):
        url = m.group(0)
        trimmed = url.rstrip(_TRAILING)
        if len(trimmed) <= len("https://"):
            continue
        out.append(_escape_text(text[pos:m.start()]))
        out.append(autolink(trimmed))
        pos = m.start() + len(trimmed)
    out.append(_escape_text(text[pos:]))
    return "".join(out)


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


def render_markdown(doc: Document, chart_file: str | None = None,
                    image_files: dict[str, str] | None = None) -> str:
    """The Markdown text; ``chart_file`` is the chart PNG's name relative to the .md file,
    ``image_files`` the names of the ``image`` blocks' PNGs (by ref)."""
    text = _env().get_template("bulletin.md.j2").render(doc=doc, chart_file=chart_file,
                                                        image_files=image_files or {})
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def write_markdown(doc: Document, path: Path, chart_file: str | None = None,
                   image_files: dict[str, str] | None = None) -> Path:
    path.write_text(render_markdown(doc, chart_file, image_files), encoding="utf-8")
    return path
