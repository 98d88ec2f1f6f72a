"""Plain records of a simulated portal: what it contains, independent of how a CMS renders it.

A ``Portal`` is generated once (``generate.build_portal``) and then rendered by one CMS family
module into ``pages`` (path → ``Page``) plus a ``dynamic`` handler for the endpoints that answer
queries (Hanweb's dataproxy, the JSON list API, the endless calendar). Ground truth
(``truth.truth_dict``) is computed from the same records, so what is served and what the
tests expect cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable

#: Check ids of the SPEC catalogue the simulator can inject, with their severity.
SEVERITY = {
    "site_down_at_crawl": "deduct",    # the portal is down while it is crawled (no probes)
    "column_stale": "deduct",
    "column_empty": "deduct",
    "annual_report_missing": "deduct",
    "annual_report_late": "deduct",
    "annual_report_inconsistent": "deduct",
    "metadata_missing": "deduct",
    "metadata_invalid": "deduct",
    "index_no_duplicate": "deduct",
    "broken_link": "deduct",
    "homepage_stale": "veto",
    "veto_warning": "warn",
}

#: Defect kinds ``build_portal`` accepts. ``column_explained_empty`` is a negative case: the
#: column is empty but its note gives a reason ("本单位不涉及此项内容"), so no finding may be
#: produced. ``column_placeholder`` is an empty column showing only a CMS placeholder
#: ("暂无信息"): a ``column_empty`` finding (SPEC: a placeholder alone is no content).
#: ``homepage_warning`` makes the homepage's newest item 11–14 days old: a ``veto_warning``.
DEFECT_KINDS = (*SEVERITY, "column_explained_empty", "column_placeholder", "homepage_warning")

#: Column categories of the SPEC, in the order their name words are tried (annual first so
#: "政府信息公开年报" never falls into another bucket).
CATEGORY_WORDS = (
    ("annual_report", ("年报", "年度报告")),
    ("news", ("动态", "要闻", "新闻")),
    ("notice", ("通知公告", "公告", "公示", "通知")),
    ("policy", ("政策文件", "规范性文件", "政策法规", "文件")),
    ("personnel", ("人事",)),
    ("planning", ("规划", "计划")),
)

#: Update limits in days as the simulator keeps away from them: fresh columns stay well
#: inside, stale ones well outside, so "6 months" may be read as 181-184 days safely.
LIMIT_DAYS = {"news": 14, "notice": 184, "policy": 184, "personnel": 366, "planning": 366}

#: Notes giving a reason for an empty column (product policy: not a finding), as real
#: portals word them ("本单位不涉及此项内容", "根据本机关职能，无此类信息").
REASON_NOTES = ("本单位不涉及此项内容", "根据本机关职能，无此类信息。", "说明：本年度暂未产生相关信息")
#: Bare CMS placeholders (a 空白栏目): Hanweb's ``<div class="default_pgEmpty">暂无信息</div>``,
#: TRS list templates' "暂无数据", 繁体 portals, the "没有找到相关信息" of search-driven lists.
PLACEHOLDER_NOTES = ("暂无信息", "暂无数据", "說明：暫無內容", "没有找到相关信息")
EMPTY_NOTE = REASON_NOTES[0]


def category_for(name: str) -> str:
    """The SPEC category of a column name (news, notice, …, other)."""
    for category, words in CATEGORY_WORDS:
        if any(w in name for w in words):
            return category
    return "other"


@dataclass(frozen=True)
class Defect:
    """One injected problem. ``column`` is a column name or key, ``year`` a 年报 year,
    ``variant`` selects a flavour (see ``generate`` for the variants of each kind)."""

    kind: str
    column: str | None = None
    year: int | None = None
    variant: str | None = None

    @classmethod
    def parse(cls, value: "str | Defect") -> "Defect":
        """``"kind"``, ``"kind:target"`` or ``"kind:target:variant"``; target is a year when
        it is all digits, else a column name/key (empty target = let the generator choose)."""
        if isinstance(value, Defect):
            defect = value
        else:
            kind, _, rest = str(value).partition(":")
            target, _, variant = rest.partition(":")
            year = int(target) if target.isdigit() else None
            column = target if target and not target.isdigit() else None
            defect = cls(kind.strip(), column, year, variant or None)
        if defect.kind not in DEFECT_KINDS:
            raise ValueError(f"unknown defect kind {defect.kind!r}; known: {', '.join(DEFECT_KINDS)}")
        return defect


@dataclass
class Attachment:
    name: str
    path: str
    status: int = 200


@dataclass
class Document:
    """One listed item and its detail page.

    Dates are ``date`` objects; ``shown`` overrides the literal text a field shows (malformed
    dates), and a field that is None is not shown at all. ``status`` != 200 makes the detail
    URL answer that status (a broken listed link)."""

    doc_id: int
    title: str
    list_date: date
    index_no: str | None
    publisher: str | None
    published: date | None
    written: date | None = None
    doc_no: str | None = None
    topic: str | None = None
    body: list[str] = field(default_factory=list)
    path: str = ""
    status: int = 200
    attachments: list[Attachment] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)
    kind: str = "regular"           # regular | report | noise
    report_year: int | None = None
    defect: str | None = None        # the defect kind applied to this document, if any
    traditional: bool = False       # legacy family: title/publisher shown in 繁体


@dataclass
class Column:
    key: str
    name: str
    category: str
    documents: list[Document] = field(default_factory=list)   # newest first
    empty_note: str | None = None
    path: str = ""
    template: str = "a"      # detail template variant of the family
    paging: str = "html"      # TRS: "html" (countPage script) or "shtml" (createPageHTML args)
    number: int = 0           # Hanweb column id / unit id base
    stale: bool = False
    count: int | None = None  # requested item count (None = by category)


@dataclass
class Page:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"


@dataclass
class Portal:
    site_id: str
    name: str
    cms: str
    as_of: date
    seed: int
    base: str                              # short name used in titles ("松岭区")
    columns: list[Column] = field(default_factory=list)
    entry_path: str = ""
    entry_text: str = "政府信息公开"
    guide_path: str = ""
    report_years: range = range(0)
    annual_reports_since: int | None = None
    unit_kind: str = "department"          # guessed from the name as the audit does (年报 deadline)
    org_code: str = ""
    findings: list[dict] = field(default_factory=list)   # url fields are site-relative paths
    unreachable: str | None = None         # None | "503" | "closed"
    trap_path: str | None = None           # endless calendar, not a column
    #: The homepage's 要闻 block as real homepages show it: (path, title, date or None).
    home_news: list[tuple[str, str, date | None]] = field(default_factory=list)
    pages: dict[str, Page] = field(default_factory=dict)
    dynamic: Callable[..., Page | None] | None = None
    # fail_when(method, path, query, form) → True: that request answers 503 every time (a list
    # page lost for good, for the unknown-is-not-empty tests); the ground truth is unchanged
    fail_when: Callable[[str, str, dict, dict], bool] | None = None

    def column(self, ref: str) -> Column:
        for col in self.columns:
            if ref in (col.key, col.name):
                return col
        raise KeyError(f"portal {self.site_id} has no column {ref!r}")

    @property
    def annual_column(self) -> Column | None:
        return next((c for c in self.columns if c.category == "annual_report"), None)
