"""Which report a text is: its title, the year it reports on, and the unit that wrote it.

Real pages give these in many forms: a page ``<title>`` ("…年度报告-沭阳县发改局"), a generic page
title ("政府信息公开年报") with the real title as the body's first heading, a title split over
two lines by a PDF ("2025 年上海市人民政府办公厅政府信息公开" / "工作年度报告"), a year written
"2023年度" or "二〇二三年", or no title at all (an article body), where the year is in the
statistics sentence ("统计期限为2025年1月1日至…") and the unit in the prose.
"""

from __future__ import annotations

import re
from collections import Counter

from audits.reports.textprep import Line, norm
from audits.titles import report_year

_REPORT_WORD = re.compile(r"报告|年报")
_ANNUAL_TITLE = re.compile(r"年度报告|年报|信息公开(?:工作)?(?:情况)?报告")
_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\(\s*[一二三四五六七八九十]+\s*\)|\d{1,2}\s*[、.．](?!\d))")
_PERIOD = re.compile(r"统计(?:期限|时限|周期|时间|区间)?[^\d]{0,8}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_YEAR_HEADING = re.compile(r"^((?:19|20)\d{2})\s*年度?")
_STRIP = re.compile(
    r"(?:关于)?(?:(?:19|20)\d{2}|[〇零○ＯO一二三四五六七八九]{4})\s*年度?|政府信息公开|政务公开|信息公开|工作|"
    r"年度报告|年度|年报|报告|情况|[《》“”\"'：:，,、\s·]")
_UNIT_SUFFIX = (r"(?:综合实验区|人民政府办公厅|人民政府办公室|人民政府|管理委员会|管委会|街道办事处|委员会|"
                r"[\u4e00-\u9fff]{0,6}局|办公厅|办公室|镇|乡|街道)")
_UNIT_IN_PROSE = re.compile(r"(?:^|[,。、;:“(\s年])([\u4e00-\u9fff]{2,12}?" + _UNIT_SUFFIX + r")(?=[\u4e00-\u9fff])")
_SIGNATURE = re.compile(r"^[\u4e00-\u9fff]{2,20}" + _UNIT_SUFFIX + r"$")
_DATE_LINE = re.compile(r"^\(?(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\)?$")


def names_report(title: str | None) -> bool:
    """A title that names a 年报 with a year ("…2023年政府信息公开年度报告")."""
    text = norm(title or "")
    return bool(text and _REPORT_WORD.search(text) and report_year(text))


def body_title(lines: list[Line]) -> str | None:
    """The report's own title near the top of the body: a short line (not a numbered section
    heading) naming a report and a year."""
    for line in lines[:12]:
        text = line.text
        if len(text) <= 80 and not _NUMBERED.match(text) and names_report(text) and "当前位置" not in text:
            return _clean_title(text)
    return None


def _clean_title(title: str | None) -> str | None:
    """A title without crawler/converter furniture: "标题: …", Markdown "# ", "正文"."""
    if not title:
        return None
    text = re.sub(r"^(?:#{1,6}\s*|标题\s*[:：]\s*|正文\s*)+", "", norm(title).strip())
    return text or None


def choose_title(page_title: str | None, lines: list[Line]) -> str | None:
    """The page title when it names a report; else the body's first heading; else the page title."""
    page_title = _clean_title(page_title)
    if page_title and names_report(page_title):
        return norm(page_title).strip()
    return body_title(lines) or (norm(page_title).strip() if page_title else None)


def report_year_of(title: str | None, lines: list[Line]) -> int | None:
    """The year from the title, else the statistics period, else a "2025年度" first heading."""
    year = report_year(title) if title and _REPORT_WORD.search(norm(title)) else None
    if year:
        return year
    for line in lines[:40]:
        match = _PERIOD.search(line.text)
        if match:
            return int(match.group(1))
    for line in lines[:5]:
        match = _YEAR_HEADING.match(line.text)
        if match and len(line.text) <= 30:
            return int(match.group(1))
    return None


def title_unit_name(title: str | None) -> str:
    """The unit named in a report title, as printed ("沭阳县发展和改革局"); '' if none."""
    text = norm(title or "")
    text = re.split(r"\s*[-_|—]\s*", text, maxsplit=1)[0] if re.search(r"报告\s*[-_|—]", text) else text
    return _STRIP.sub("", text)


def report_unit(title: str | None, lines: list[Line]) -> tuple[str, str]:
    """(unit, where it was read: 标题 | 落款 | 正文); ('', '') when the text names none."""
    unit = title_unit_name(title)
    if unit:
        return unit, "标题"
    tail = [ln.text for ln in lines[-4:]]
    for i, text in enumerate(tail[:-1]):
        if _SIGNATURE.match(text) and _DATE_LINE.match(tail[i + 1]):
            return text, "落款"
    found = [m.group(1) for ln in lines[:60] if not ln.is_table_row for m in _UNIT_IN_PROSE.finditer(ln.text)]
    if found:
        name, n = Counter(found).most_common(1)[0]
        if n < 2:   # named once each: the first government-level name ("2025年，平潭综合实验区坚持…")
            name = next((f for f in found if re.search(r"综合实验区|人民政府|管委会|管理委员会|办公厅$", f)), found[0])
        return name, "正文"
    return "", ""


def is_annual_title(title: str | None) -> bool:
    return bool(title and _ANNUAL_TITLE.search(norm(title)))
