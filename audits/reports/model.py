"""The values the 年报 reader returns: one Problem per inconsistency, one ReportReading per text.

A Problem is what a clerk pastes into a 通报 (``detail``, 简体中文) plus the evidence
(``quote``: the sentence, table row or heading list that shows it, as printed in the report),
so the clerk can find it in the report in seconds with Ctrl-F.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

CHECK = "annual_report_inconsistent"

#: Sub-kinds of ``annual_report_inconsistent``.
KINDS = ("section_missing", "section_heading_missing", "not_annual_report", "sum_mismatch", "percent_mismatch",
         "table_rule", "total_row", "total_column", "review_total", "prose_table_mismatch", "carryover_mismatch",
         "valid_count_mismatch", "active_table", "repeated_paragraph", "copied_report")


@dataclass(frozen=True)
class Problem:
    """One inconsistency of a report: ``kind`` (see :data:`KINDS`), ``detail``, ``quote``."""

    kind: str
    detail: str
    quote: str = ""
    check: str = CHECK

    def as_dict(self) -> dict:
        return {"check": self.check, "kind": self.kind, "detail": self.detail, "quote": self.quote}


@dataclass
class ReportReading:
    """What the reader saw in one report: its year, format, sections and problems."""

    year: int | None
    title: str | None = None
    fmt: str | None = None                      # "2021", "2019" or "2008": which rules applied
    sections: dict[str, bool] = field(default_factory=dict)   # required section → found
    similarity: float | None = None             # to the previous year's report, 0..1
    problems: list[Problem] = field(default_factory=list)
    unit: str = ""                              # the unit that wrote it, as printed
    unit_source: str = ""                       # 标题 | 落款 | 正文
    table_format: str | None = None             # "2021" (30号 headings), "2019" (60号) or None
    notes: list[str] = field(default_factory=list)   # what could not be read (never a problem)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["problems"] = [p.as_dict() for p in self.problems]
        return data
