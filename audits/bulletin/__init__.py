"""The 通报 (monthly bulletin): the period's findings → Markdown, HTML and Word files.

Public API (what ``xxgk bulletin`` and ``xxgk run`` call)::

    write_bulletin(store, period, out_dir, formats=("md", "html", "docx"), config=None) -> list[Path]

Steps, one module each: ``model.gather`` reads the store (which crawls form the period, the
previous period for 整改情况), ``compare`` tells new / persisting / fixed problems apart,
``wording.compose`` writes the text once, ``chart`` draws the figure, and the ``*_writer``
modules lay the same text out as Markdown, HTML and .docx.
"""

from __future__ import annotations

from audits.bulletin.model import BulletinConfig, BulletinData, BulletinError, Period, gather
from audits.bulletin.writer import FORMATS, parse_formats, write_bulletin, write_files

__all__ = ["BulletinConfig", "BulletinData", "BulletinError", "FORMATS", "Period", "gather",
           "parse_formats", "write_bulletin", "write_files"]
