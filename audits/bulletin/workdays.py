"""Deadlines in working days (工作日), as a 通报's 整改要求 states them.

China's working calendar is not "Monday to Friday": the State Council moves weekend days to
bridge public holidays (调休), announced each December for the next year. The maintained
``chinese-calendar`` package ships those announcements; when it is installed and knows the
year we use it. For a year it does not know yet (or without the package) we fall back to
"weekdays are working days", which is what a clerk would count by hand — and say so through
``is_exact`` so the caller can mention it.
"""

from __future__ import annotations

from datetime import date, timedelta

try:  # optional: precise 节假日/调休 data
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover - exercised only where the package is absent
    _cc = None


def is_workday(day: date) -> bool:
    """Whether ``day`` is a working day: official calendar if known, else Monday–Friday."""
    if _cc is not None:
        try:
            return bool(_cc.is_workday(day))
        except NotImplementedError:  # year outside the package's data
            pass
    return day.weekday() < 5


def calendar_known(day: date) -> bool:
    """Whether the official holiday calendar covers ``day`` (else weekends-only is used)."""
    if _cc is None:
        return False
    try:
        _cc.is_workday(day)
    except NotImplementedError:
        return False
    return True


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself is not counted).

    "15个工作日内" counted from the issue date: the deadline is the 15th working day after it.
    ``days <= 0`` returns ``start``.
    """
    current, left = start, max(0, int(days))
    while left:
        current += timedelta(days=1)
        if is_workday(current):
            left -= 1
    return current
