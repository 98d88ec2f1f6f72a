"""Standalone HTML 通报 from ``templates/bulletin.html.j2``: inline CSS, chart as a data: URI.

Autoescape is on for the whole template, so every scraped string (site names, columns,
titles inside details, URLs) is shown as text: ``<script>`` in a document title prints as
``&lt;script&gt;``. One file, nothing to fetch: it can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
from pathlib import Path

import jinja2

from audits.bulletin.wording import Document


def _env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.PackageLoader("audits.bulletin", "templates"),
                              autoescape=True, undefined=jinja2.StrictUndefined)


def render_html(doc: Document, chart_png: bytes | None = None) -> str:
    uri = "data:image/png;base64," + base64.b64encode(chart_png).decode("ascii") if chart_png else None
    images = {ref: "data:image/png;base64," + base64.b64encode(png).decode("ascii")
              for ref, png in doc.images.items()}
    return _env().get_template("bulletin.html.j2").render(doc=doc, chart_uri=uri, numeric={0},
                                                          image_uris=images)


def write_html(doc: Document, path: Path, chart_png: bytes | None = None) -> Path:
    path.write_text(render_html(doc, chart_png), encoding="utf-8")
    return path
