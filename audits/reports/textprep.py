"""Turning a stored 年报 text into lines and sentences the checks can read.

Real report pages arrive with page chrome around them (metadata boxes, breadcrumbs,
"扫一扫在手机打开当前页", "相关词条"), in 繁體 or 简体, with full-width digits and
punctuation. The checks parse a normalised copy of each line (简体 + NFKC: "１２３" → "123",
"（" → "("), but quote the line as the report prints it, so a clerk can search for the quote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from crawler.text import to_simplified

#: Page chrome: short lines starting with these are not part of the report.
_CHROME = re.compile(
    r"^[\s•·●■◆▪*\-]*(?:索\s*引\s*号|发布机构|发文机关|发布日期|发文日期|成文日期|生成日期|废止日期|文\s*号|"
    r"主题分类|主\s*题\s*词|关\s*键\s*词|内容概述|时\s*效|公开目录|公开方式|公开范围|标\s*题\s*[:：]|信息来源|"
    r"首页\s*>|当前位置|您现在的位置|扫一扫|相关词条|热门词条|联络我们|联系我们|关闭|打印|下载|附件\s*[:：]?$|"
    r"文字大小|字号|背景色|【|分享到|责任编辑|浏览次数|点击数|上一篇|下一篇)")
_CHROME_MAX = 60

_SENTENCE_END = re.compile(r"(?<=[。!?！？])")


def norm(text: str) -> str:
    """简体 + NFKC: the form every pattern in ``audits/reports`` is written against."""
    return unicodedata.normalize("NFKC", to_simplified(text or ""))


@dataclass(frozen=True)
class Line:
    """One line of the report: ``orig`` as printed (for quotes), ``text`` normalised (for parsing)."""

    index: int
    orig: str
    text: str

    @property
    def is_table_row(self) -> bool:
        return "|" in self.text or "\t" in self.orig


def report_lines(raw: str) -> list[Line]:
    """The report's non-empty lines without page chrome, normalised for parsing."""
    out: list[Line] = []
    for orig in (raw or "").splitlines():
        stripped = orig.strip().strip("\u3000\u00a0")
        if not stripped:
            continue
        text = norm(stripped)
        if len(text) <= _CHROME_MAX and _CHROME.match(to_simplified(stripped)):
            continue
        if re.fullmatch(r"[|\s]*", text):
            continue
        out.append(Line(len(out), stripped, text))
    return out


def sentences(line: Line) -> list[tuple[str, str]]:
    """(orig, normalised) sentences of a line, split after 。！？ — quotes use ``orig``.

    The two forms are split separately; if NFKC changed the number of sentence ends (it should
    not), the normalised sentence is quoted instead.
    """
    norm_parts = [s for s in _SENTENCE_END.split(line.text) if s.strip()]
    orig_parts = [s for s in _SENTENCE_END.split(line.orig) if s.strip()]
    if len(orig_parts) != len(norm_parts):
        orig_parts = norm_parts
    return list(zip(orig_parts, norm_parts))


def shorten(text: str, limit: int = 120) -> str:
    """A quote short enough for a bulletin cell, cut on a character boundary with "…"."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
