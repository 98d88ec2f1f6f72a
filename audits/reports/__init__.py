"""Reading 年报 texts: sections, figures, tables and copies (pure functions, no I/O).

``read_report(text, year=None, previous_text=None) -> ReportReading`` is the entry point;
each problem is a :class:`Problem` of check ``annual_report_inconsistent`` with a ``kind``.
"""

from audits.reports.model import CHECK, KINDS, Problem, ReportReading
from audits.reports.reader import read_report, report_year_from_title

__all__ = ["CHECK", "KINDS", "Problem", "ReportReading", "read_report", "report_year_from_title"]
