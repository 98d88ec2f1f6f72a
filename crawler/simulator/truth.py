"""Ground truth of a simulated portal: what a correct crawl stores and a correct audit finds.

``truth_dict(portal, base_url)`` returns::

    {"site", "name", "url", "entry", "cms", "as_of", "annual_reports_since", "unit_kind",
     "columns":   [{"name", "url", "category", "item_count", "latest_date", "empty_note"}],
     "documents": [{"url", "title", "column_url", "list_date", "index_no", "publisher",
                    "published", "written", "doc_no", "topic"}],
     "defects":   [{"check", "severity", "column", "url", "year"}],
     "vetoes":    ["column_empty", ...],  "verdict": "合格" | "不合格" | "未能自动检查",
     "reports":   [{"year", "url", "published"}],   # this unit's own 年报 as listed
     "guide": url, "traps": [url, ...],
     "broken_links": [{"url", "status", "kind": "item"|"attachment", "column_url", "document_url"}]}

Conventions (the audit and crawl tests rely on them):

* ``columns`` are the list columns of the 信息公开 directory. The 政府信息公开指南 is a single
  page, not a list: it is ``guide``, not a column, and not a document. The endless calendar
  (``traps``) is neither.
* ``item_count`` counts every listed item, broken ones included; ``latest_date`` is the newest
  list date (None for an empty column); ``empty_note`` is the note shown on an empty column
  (简体), a reason (``model.REASON_NOTES``) or a bare placeholder (``model.PLACEHOLDER_NOTES``).
* ``documents`` are the listed items whose detail page answers 200 (items answering 404/500
  cannot have metadata and appear only as ``broken_link`` defects). Values are normalised:
  简体 (OpenCC t2s), trimmed, "无" → None, ISO dates; ``published`` = the page's 发布日期 if
  shown, else the list date; an unparseable date is None.
* ``defects`` are exactly the findings of a correct audit at ``as_of``: the evidence url is the
  column list URL (column checks), the document URL (metadata_*, index_no_duplicate and a
  listed item's broken_link), the attachment URL (a broken attachment), the 年报 column URL
  (annual_report_missing, year set), the report URL (annual_report_late /
  annual_report_inconsistent, year set), the portal URL (site_down_at_crawl).
  ``index_no_duplicate``: one finding per document sharing an 索引号 with another.
* ``veto_warning`` (预警, severity warn) carries ``veto``: the veto kind it warns of —
  ``homepage_stale`` (evidence: the portal URL), ``column_empty`` / ``column_stale`` (≥3 empty
  / ≥6 stale columns without the veto; evidence: the 信息公开 entry).
* ``vetoes``: homepage_stale; column_empty at ≥5 empty columns; column_stale at ≥5 stale news/notice/policy
  columns or ≥10 stale columns (a portal down at the crawl is no veto: the 站点无法访问 veto
  needs a week of probes, which the simulator's truth does not model). ``verdict`` is 不合格
  with any veto; a portal down when crawled (``unreachable``) has the verdict 未能自动检查.
* An unreachable portal has no columns and no documents.
"""

from __future__ import annotations

from crawler.text import to_simplified

from .fields import truth_fields
from .model import Portal


def vetoes(findings: list[dict], categories: dict[str, str]) -> list[str]:
    """The SPEC veto rules over a site's findings (``categories``: column name → category)."""
    out = set()
    if any(f["check"] == "homepage_stale" for f in findings):
        out.add("homepage_stale")
    if sum(f["check"] == "column_empty" for f in findings) >= 5:
        out.add("column_empty")
    stale = [f for f in findings if f["check"] == "column_stale"]
    core = [f for f in stale if categories.get(f["column"]) in ("news", "notice", "policy")]
    if len(core) >= 5 or len(stale) >= 10:
        out.add("column_stale")
    return sorted(out)


def column_warnings(findings: list[dict], found_vetoes: list[str], entry_url: str) -> list[dict]:
    """SPEC 预警: ≥3 空白栏目 or ≥6 stale columns, when that veto did not fire (evidence: the
    信息公开 directory, where the columns are)."""
    out = []
    for check, count in (("column_empty", 3), ("column_stale", 6)):
        if check not in found_vetoes and sum(f["check"] == check for f in findings) >= count:
            out.append({"check": "veto_warning", "severity": "warn", "column": None, "url": entry_url,
                        "year": None, "veto": check})
    return out


def truth_dict(portal: Portal, base_url: str) -> dict:
    root = base_url.rstrip("/")
    url = lambda path: root + path  # noqa: E731
    defects = [{"check": f["check"], "severity": f["severity"], "column": f["column"],
                "url": url(f["path"]), "year": f["year"]} for f in portal.findings]
    reachable = portal.unreachable is None
    columns, documents, reports, broken = [], [], [], []
    for col in portal.columns if reachable else []:
        columns.append({"name": col.name, "url": url(col.path), "category": col.category,
                        "item_count": len(col.documents),
                        "latest_date": max((d.list_date for d in col.documents), default=None),
                        "empty_note": to_simplified(col.empty_note) if col.empty_note else None})
        if columns[-1]["latest_date"]:
            columns[-1]["latest_date"] = columns[-1]["latest_date"].isoformat()
        for doc in col.documents:
            if doc.status != 200:
                broken.append({"url": url(doc.path), "status": doc.status, "kind": "item",
                               "column_url": url(col.path), "document_url": None})
                continue
            broken.extend({"url": url(a.path), "status": a.status, "kind": "attachment",
                           "column_url": url(col.path), "document_url": url(doc.path)}
                          for a in doc.attachments if a.status != 200)
            values = truth_fields(doc)
            documents.append({"url": url(doc.path), "title": values.pop("title"), "column_url": url(col.path),
                              "list_date": doc.list_date.isoformat(), **values})
            if doc.kind == "report":
                reports.append({"year": doc.report_year, "url": url(doc.path),
                                "published": documents[-1]["published"]})
    # a portal down when crawled is no 19号 measurement: no veto, no conclusion (SPEC, 未能自动检查)
    found_vetoes = vetoes(defects, {c.name: c.category for c in portal.columns}) if reachable else []
    for f in defects:
        if f["check"] == "veto_warning":
            f["veto"] = "homepage_stale"
    if reachable:
        defects += column_warnings(defects, found_vetoes, url(portal.entry_path))
    verdict = ("不合格" if found_vetoes else "合格") if reachable else "未能自动检查"
    return {
        "site": portal.site_id, "name": portal.name, "url": root + "/", "entry": url(portal.entry_path),
        "cms": portal.cms, "as_of": portal.as_of.isoformat(),
        "annual_reports_since": portal.annual_reports_since, "unit_kind": portal.unit_kind,
        "columns": columns, "documents": documents, "defects": defects,
        "vetoes": found_vetoes, "verdict": verdict,
        "reports": sorted(reports, key=lambda r: r["year"]),
        "guide": url(portal.guide_path) if reachable else None,
        "traps": [url(portal.trap_path)] if portal.trap_path and reachable else [],
        "broken_links": broken,
    }
