"""read_report: every check of ``annual_report_inconsistent`` on one 年报 text.

Used by ``audits/checks/report_text.py`` (every stored 年报, compared with the previous year's)
and by ``xxgk inspect`` (one page or plain-text file). It never raises on junk input: a text
that cannot be read gives a reading with no problems, because a report we cannot parse is
not evidence that the office erred.
"""

from __future__ import annotations

import logging
import re

from audits.reports.copies import copied_report, repeated_paragraphs
from audits.reports.figures import check_text_totals
from audits.reports.model import Problem, ReportReading
from audits.reports.structure import check_sections, topics_for
from audits.reports.tables import check_applications, check_reviews, has_tables
from audits.reports.textprep import Line, report_lines, shorten

log = logging.getLogger(__name__)

_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年度?")
_REPORT_WORD = re.compile(r"报告|年报")
_ANNUAL = re.compile(r"年度报告|年报|年度(?:政府)?信息公开(?:工作)?报告|信息公开工作报告|信息公开情况报告")
_PERIOD = re.compile(r"统计期限?(?:为|是)?自?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")

#: Text longer than this is cut before reading: no report is that long, junk can be.
MAX_CHARS = 200_000


def report_title(lines: list[Line]) -> str | None:
    """The report's title: the first short line near the top that names a report and a year."""
    for line in lines[:12]:
        if len(line.text) <= 80 and _REPORT_WORD.search(line.text) and _TITLE_YEAR.search(line.text):
            return line.text
    return None


def report_year_from_title(title: str | None) -> int | None:
    """The year a report is about: "2018年…政府信息公开工作年度报告" → 2018."""
    match = _TITLE_YEAR.search(title or "")
    return int(match.group(1)) if match else None


def _year(lines: list[Line], title: str | None) -> int | None:
    year = report_year_from_title(title)
    if year:
        return year
    for line in lines[:40]:
        match = _PERIOD.search(line.text)
        if match:
            return int(match.group(1))
    return None


def _not_annual(title: str | None) -> list[Problem]:
    """A titled report that is no 政府信息公开工作年度报告 (e.g. a 工作要点落实情况报告)."""
    if not title or _ANNUAL.search(title):
        return []
    return [Problem("not_annual_report",
                    f"该文件标题为“{shorten(title, 60)}”，不是《政府信息公开条例》规定的政府信息公开工作年度报告",
                    title)]


def read_report(text: str | None, year: int | None = None, previous_text: str | None = None) -> ReportReading:
    """Read one 年报: year, format, sections and every problem found.

    ``year`` overrides the year read from the title; ``previous_text`` is the same unit's
    report of the year before, for the copy check.
    """
    try:
        return _read(text or "", year, previous_text)
    except Exception:  # never let one odd report break an audit or inspect
        log.exception("could not read report text")
        return ReportReading(year=year)


def _read(text: str, year: int | None, previous_text: str | None) -> ReportReading:
    if not isinstance(text, str):
        text = str(text)
    lines = report_lines(text[:MAX_CHARS])
    title = report_title(lines)
    year = year or _year(lines, title)
    reading = ReportReading(year=year, title=title)
    if not lines:
        return reading
    tables = has_tables(lines)
    fmt, topics = topics_for(year, tables)
    reading.fmt = fmt
    problems: list[Problem] = []
    problems += _not_annual(title)
    reading.sections, missing = check_sections(lines, topics, fmt)
    problems += missing
    problems += check_text_totals(lines)
    problems += check_applications(lines)
    problems += check_reviews(lines)
    problems += repeated_paragraphs(lines)
    reading.similarity, copied = copied_report(lines, previous_text[:MAX_CHARS] if previous_text else None, year)
    problems += copied
    reading.problems = problems
    return reading
