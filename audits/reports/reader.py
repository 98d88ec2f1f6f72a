"""read_report: every check of ``annual_report_inconsistent`` on one 年报 text.

Used by ``audits/checks/report_text.py`` (every stored 年报, compared with the previous year's)
and by ``xxgk inspect`` (one page or plain-text file). It never raises on junk input: a text
that cannot be read gives a reading with no problems, because a report we cannot parse is
not evidence that the office erred.
"""

from __future__ import annotations

import logging

from audits.reports.copies import copied_report, repeated_paragraphs
from audits.reports.crosscheck import active_table, carried_over, prose_against_tables, valid_counts
from audits.reports.identity import body_title, choose_title, is_annual_title, report_unit, report_year_of
from audits.reports.figures import check_text_totals
from audits.reports.model import Problem, ReportReading
from audits.reports.structure import check_sections, topics_for
from audits.reports.tables import check_applications, check_reviews, has_tables
from audits.reports.table_data import read_tables, unreadable_tables
from audits.reports.textprep import Line, report_lines, shorten
from audits.titles import report_year

log = logging.getLogger(__name__)

#: Text longer than this is cut before reading: no report is that long, junk can be.
MAX_CHARS = 200_000


def report_title(lines: list[Line]) -> str | None:
    """The report's title: the first short line near the top that names a report and a year."""
    return body_title(lines)


def report_year_from_title(title: str | None) -> int | None:
    """The year a report is about: "2018年…政府信息公开工作年度报告" → 2018, "二〇二三年度…" → 2023."""
    return report_year(title)


def _not_annual(title: str | None) -> list[Problem]:
    """A titled report that is no 政府信息公开工作年度报告 (e.g. a 工作要点落实情况报告)."""
    if not title or is_annual_title(title):
        return []
    return [Problem("not_annual_report",
                    f"该文件标题为“{shorten(title, 60)}”，不是《政府信息公开条例》规定的政府信息公开工作年度报告",
                    title)]


def read_report(text: str | None, year: int | None = None, previous_text: str | None = None,
                title: str | None = None) -> ReportReading:
    """Read one 年报: year, unit, format, sections and every problem found.

    ``year`` overrides the year read from the title; ``previous_text`` is the same unit's
    report of the year before, for the copy check and the cross-year checks; ``title`` is the
    page's title (used when it names a report, else the body's first heading is).
    """
    try:
        return _read(text or "", year, previous_text, title)
    except Exception:  # never let one odd report break an audit or inspect
        log.exception("could not read report text")
        return ReportReading(year=year)


def _read(text: str, year: int | None, previous_text: str | None, page_title: str | None) -> ReportReading:
    if not isinstance(text, str):
        text = str(text)
    lines = report_lines(text[:MAX_CHARS])
    title = choose_title(page_title, lines)
    year = year or report_year_of(title, lines)
    reading = ReportReading(year=year, title=title)
    if not lines:
        return reading
    reading.unit, reading.unit_source = report_unit(title, lines)
    tables = has_tables(lines)
    fmt, topics = topics_for(year, tables)
    reading.fmt = fmt
    data = read_tables(lines)
    reading.table_format = data.fmt
    reading.notes = unreadable_tables(lines)
    problems: list[Problem] = []
    problems += _not_annual(title)
    reading.sections, missing = check_sections(lines, topics, fmt)
    problems += missing
    problems += check_text_totals(lines)
    problems += check_applications(lines)
    problems += check_reviews(lines)
    problems += active_table(data)
    problems += prose_against_tables(lines, data)
    problems += repeated_paragraphs(lines)
    previous = previous_text[:MAX_CHARS] if previous_text else None
    reading.similarity, copied = copied_report(lines, previous, year)
    problems += copied
    if previous and not copied:    # a copy's figures are last year's: the copy finding says it
        before = read_tables(report_lines(previous))
        problems += carried_over(data, before, year)
        problems += valid_counts(data, before, year)
    reading.problems = problems
    return reading
