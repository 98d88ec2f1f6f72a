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


_FOOTER = re.compile(r"^[—\-–－]+\s*\d+\s*[—\-–－]+$")
_MD_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?$")
#: Where a one-line text (crawler text of a whole page) starts a new heading or the body.
_INLINE_BREAK = re.compile(
    r"(?<=[。；！？”\s\d元)）])(?=[一二三四五六七八九十]、\S)|"
    r"(?<![第一二三四五六七八九十])(?=[二三四五六]、(?:主动公开|收到和处理|政府信息公开|因政府|存在|其他需要))|"
    r"(?<=报告)\s+(?=根据|依据|本报告|按照)|(?<=\s)(?=根据《|依据《)")
_STARTS_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（]\s*[一二三四五六七八九十]+\s*[)）]|"
                              r"\d{1,2}\s*[、.．](?!\d)|[(（]\d{1,2}[)）]|[一二三四五六七八九十]是)")
_ENDS_SENTENCE = re.compile(r"[。！？!?；;：:）)”」]$")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def _markdown_row(text: str) -> str | None:
    """A Markdown pipe-table row ("| a | b |") as " | "-joined cells, trailing empty cells cut
    (PDF→Markdown converters pad rows with them); None if the line is no such row."""
    stripped = text.strip()
    if not (stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3):
        return None
    cells = [c.strip() for c in stripped[1:-1].split("|")]
    while cells and not cells[-1]:
        cells.pop()
    return " | ".join(cells)


def _raw_lines(raw: str) -> list[str]:
    """Physical lines, with one-line page texts split at their inline headings and converter
    furniture (Markdown '#' marks and separators, page footers "— 3 —") removed."""
    out: list[str] = []
    for orig in (raw or "").splitlines():
        stripped = orig.strip().strip("\u3000\u00a0")
        if not stripped or _FOOTER.match(stripped) or _MD_SEPARATOR.match(stripped):
            continue
        row = _markdown_row(stripped)
        if row is not None:
            out.append(row)
            continue
        stripped = re.sub(r"^#{1,6}\s+", "", stripped)
        parts = _INLINE_BREAK.split(stripped) if len(stripped) > 120 else [stripped]
        out.extend(p.strip() for p in parts if p and p.strip())
    return out


def _is_row(text: str) -> bool:
    return "|" in text or "\t" in text


def _hard_wrapped(lines: list[str]) -> bool:
    """True when prose lines are cut at a fixed width (PDF text), not at paragraph ends."""
    prose = [ln for ln in lines if not _is_row(ln) and len(ln) >= 15]
    open_ended = [ln for ln in prose if not _ENDS_SENTENCE.search(ln)]
    return len(open_ended) >= 5 and len(open_ended) >= 0.4 * len(prose)


def _join(a: str, b: str) -> str:
    if _CJK.match(a[-1:] or " ") or _CJK.match(b[:1] or " "):
        return a + b
    return f"{a} {b}"


def _unwrap(lines: list[str]) -> list[str]:
    """Rejoin the paragraphs of hard-wrapped text; headings, table rows and titles stay lines."""
    out: list[str] = []
    for line in lines:
        if out:
            prev = out[-1]
            heading = _STARTS_NUMBERED.match(prev) and len(prev) <= 30
            title = len(prev) <= 60 and re.search(r"(?:报告|年报)$", prev)
            if not (_is_row(prev) or _is_row(line) or _ENDS_SENTENCE.search(prev) or heading or title
                    or _STARTS_NUMBERED.match(line)):
                out[-1] = _join(prev, line)
                continue
        out.append(line)
    return out


def report_lines(raw: str) -> list[Line]:
    """The report's non-empty lines without page chrome, normalised for parsing."""
    raw_lines = _raw_lines(raw)
    if _hard_wrapped(raw_lines):
        raw_lines = _unwrap(raw_lines)
    out: list[Line] = []
    for stripped in raw_lines:
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
