"""Copy checks: a paragraph printed twice in one report; a report copied from last year's.

Both are what evaluators call 照搬照抄. Only prose counts: table rows, headings and short lines
are fixed by the format and repeat every year by design. Figures are masked ("#") before
comparing, because a copied report usually updates the numbers and nothing else.

Similarity is the Jaccard index of character 6-grams of the masked prose — order-insensitive
and linear in the text length, so it stays fast on long reports. Reports written afresh share
the format's phrases but stay well under the threshold; a copy with new figures scores ~1.
"""

from __future__ import annotations

import re

from audits.reports.model import Problem
from audits.reports.textprep import Line, report_lines, shorten

#: A paragraph shorter than this is a heading or a caption, whose repetition is no copy.
MIN_PARAGRAPH = 40
#: Above this similarity a report is "nearly identical" to last year's.
COPY_THRESHOLD = 0.85
_SHINGLE = 6
_PUNCT = re.compile(r"[\s,.;:!?、。，；：！？“”\"'‘’()（）《》【】\[\]<>·…—\-|]+")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")


def _key(text: str) -> str:
    return _DIGITS.sub("#", _PUNCT.sub("", text))


def prose(lines: list[Line]) -> list[Line]:
    """Lines that are written prose: not table rows, not short headings or captions."""
    return [ln for ln in lines if not ln.is_table_row and len(_PUNCT.sub("", ln.text)) >= MIN_PARAGRAPH]


def repeated_paragraphs(lines: list[Line]) -> list[Problem]:
    """Each prose paragraph that appears more than once (figures and punctuation aside)."""
    seen: dict[str, Line] = {}
    reported: set[str] = set()
    problems = []
    for line in prose(lines):
        key = _DIGITS.sub("#", _PUNCT.sub("", line.text))
        first = seen.get(key)
        if first is None:
            seen[key] = line
            continue
        if key in reported:
            continue
        reported.add(key)
        problems.append(Problem(
            "repeated_paragraph",
            f"同一段落在报告中重复出现（第{first.index + 1}段与第{line.index + 1}段）：“{shorten(first.text, 60)}”",
            shorten(first.orig, 200)))
    return problems


def _shingles(lines: list[Line]) -> set[str]:
    text = "".join(_key(ln.text) for ln in prose(lines))
    return {text[i: i + _SHINGLE] for i in range(max(0, len(text) - _SHINGLE + 1))}


def similarity(lines: list[Line], previous: list[Line]) -> float | None:
    """Jaccard similarity (0..1) of the two reports' masked prose; None if either has none."""
    a, b = _shingles(lines), _shingles(previous)
    if not a or not b:
        return None
    return len(a & b) / len(a | b)


def copied_report(lines: list[Line], previous_text: str | None, year: int | None) -> tuple[float | None, list[Problem]]:
    """Similarity to the previous year's report, and a problem when it is nearly identical."""
    if not previous_text:
        return None, []
    previous = report_lines(previous_text)
    sim = similarity(lines, previous)
    if sim is None or sim < COPY_THRESHOLD:
        return sim, []
    old = {_key(ln.text) for ln in prose(previous)}
    shared = next((ln for ln in prose(lines) if _key(ln.text) in old), None)
    last = f"{year - 1}年度" if year else "上一年度"
    quote = shorten(shared.orig, 200) if shared else ""
    return sim, [Problem(
        "copied_report",
        f"年报与{last}报告文字相似度达{sim:.0%}，内容基本相同，疑似照搬上年报告",
        quote)]
