"""Deterministic generation of a portal's contents from (site_id, seed, as_of) and defects.

All dates are relative to ``as_of`` so a test with a fixed as-of and the demo (as_of = today)
both show exactly the intended defects. Clean columns keep their newest item well inside the
category's limit, stale ones well outside (see ``model.LIMIT_DAYS``).

Defect kinds and their variants (``Defect.variant``; default cycles through them):

* ``column_stale`` / ``column_empty`` / ``column_explained_empty`` / ``column_placeholder`` —
  target a column by name or key, default: the next untouched column that can carry it. The
  explained column shows a note giving a reason (``model.REASON_NOTES``, no finding), the
  placeholder one only a CMS placeholder (``model.PLACEHOLDER_NOTES``: a ``column_empty``);
  the variant picks the note by index, default cycles.
* ``homepage_stale``: ``stale`` (the homepage's newest dated item is 20–60 days old) |
  ``undated`` (its items carry no date). ``homepage_warning``: newest item 11–14 days old, a
  ``veto_warning``. Clean homepages show 要闻 0–5 days old.
* ``annual_report_missing`` / ``annual_report_late`` / ``annual_report_inconsistent`` — target
  a year (default: one chosen from ``report_years``); the last takes a ``reports.DEFECTS``
  variant (default ``sum_mismatch``).
* ``metadata_missing``: ``index_no`` | ``publisher`` | ``date`` (no 发布日期 and no 成文日期).
* ``metadata_invalid``: ``index_no`` (malformed) | ``date`` (成文日期 "YYYY-13-45") |
  ``future`` (发布日期 after as_of).
* ``index_no_duplicate``: a second document (in another column) gets the 索引号 of a first.
  **Findings: one per document involved** (both documents, each with its own URL and column),
  so the rule is order-free: every document whose 索引号 is shared with another document of
  the site is one finding.
* ``broken_link``: ``404`` | ``500`` (the listed item's detail URL) | ``attachment`` (a
  detail page's attachment answers 404; the finding's url is the attachment URL).
* ``site_down_at_crawl``: ``503`` (every request answers 503) | ``closed`` (nothing listens).
  Without probe records a failed crawl is a deduct, not the 站点无法访问 veto (19号 measures a week).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Iterable

from crawler.seeds import guess_unit_kind

from . import corpus
from .families import FAMILIES
from .model import (LIMIT_DAYS, PLACEHOLDER_NOTES, REASON_NOTES, SEVERITY, Attachment, Column, Defect,
                    Document, Portal, category_for)

DEFAULT_COLUMNS = (("gkzd", "政府信息公开制度"), ("gzdt", "工作动态"), ("tzgg", "通知公告"),
                   ("zcwj", "政策文件"), ("rsxx", "人事信息"), ("ghjh", "规划计划"),
                   ("czyjs", "财政预决算"), ("jytabl", "建议提案办理"), ("xxgknb", "政府信息公开年报"))
COUNTS = {"news": (30, 60), "notice": (15, 40), "policy": (12, 35), "personnel": (6, 18),
          "planning": (5, 12), "other": (5, 12)}
GAPS = {"news": (1, 6), "notice": (5, 25), "policy": (7, 40), "personnel": (15, 60),
        "planning": (20, 90), "other": (15, 80)}
FRESH = {"news": 4, "notice": 45, "policy": 45, "personnel": 90, "planning": 90, "other": 150}
VARIANTS = {"metadata_missing": ("index_no", "publisher", "date"),
            "metadata_invalid": ("index_no", "date", "future"),
            "broken_link": ("404", "attachment", "500"),
            "homepage_stale": ("stale", "undated"),
            "site_down_at_crawl": ("503",)}


def short_name(name: str) -> str:
    """松岭区人民政府 → 松岭区; 合肥新站高新区管委会 → 合肥新站高新区; 高岳街道办事处 → 高岳街道."""
    for suffix in ("人民政府", "管理委员会", "管委会", "办事处"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def report_deadline(year: int, unit_kind: str = "department") -> date:
    """SPEC deadline table: report years ≥ 2019 (条例 第四十九条) 1月31日 of Y+1 for a
    department and (by default) a township, 3月31日 for the 本级人民政府; years ≤ 2018
    (2007 条例 第三十一条) 3月31日 for everyone."""
    if year >= 2019 and unit_kind != "government":
        return date(year + 1, 1, 31)
    return date(year + 1, 3, 31)


def last_due_year(as_of: date, unit_kind: str = "department") -> int:
    """SPEC: the latest year whose deadline (for that unit) is before ``as_of``."""
    year = as_of.year - 1
    while report_deadline(year, unit_kind) >= as_of:
        year -= 1
    return year


def _column_specs(columns) -> list[tuple[str, str, str, int | None]]:
    specs = []
    for n, spec in enumerate(columns if columns is not None else DEFAULT_COLUMNS):
        if isinstance(spec, str):
            key, name, category, count = f"lm{n + 1}", spec, None, None
        elif isinstance(spec, dict):
            key, name = spec.get("key") or f"lm{n + 1}", spec["name"]
            category, count = spec.get("category"), spec.get("count")
        else:
            key, name, *rest = spec
            category, count = (rest + [None, None])[:2]
        specs.append((key, name, category or category_for(name), count))
    if not any(s[2] == "annual_report" for s in specs):
        specs.append(("xxgknb", "政府信息公开年报", "annual_report", None))
    return specs


class _Builder:
    def __init__(self, portal: Portal, rng: random.Random, family):
        self.p, self.rng, self.family = portal, rng, family
        self.next_id = rng.randint(1_000_000, 2_900_000)
        self.touched: set[str] = set()
        self.counters: dict[str, int] = {}
        self.text_years: set[int] = set()

    # --- documents ---------------------------------------------------------------------------
    def new_doc(self, col: Column, title: str, when: date, **kw) -> Document:
        self.next_id += self.rng.randint(1, 97)
        p = self.p
        publisher = kw.pop("publisher", None) or (corpus.office(p.base, p.name)
                                                  if col.category == "policy" else p.name)
        doc = Document(doc_id=self.next_id, title=title, list_date=when, index_no=None,
                       publisher=publisher, published=when, topic=self.rng.choice(corpus.TOPIC_CLASSES),
                       body=corpus.body_for(self.rng, title, p.base), **kw)
        if col.category == "policy" and doc.kind == "regular":
            year_n = self.counters[str(when.year)] = self.counters.get(str(when.year), 0) + 1
            doc.doc_no = f"{corpus.doc_no_prefix(p.base, p.name)}〔{when.year}〕{year_n}号"
            doc.written = when - timedelta(days=self.rng.randint(1, 9))
            doc.attachments.append(Attachment(f"{title[:12]}.pdf", ""))
        elif self.family.WRITTEN_ALWAYS:
            doc.written = when
        return doc

    def fill_column(self, col: Column) -> None:
        rng, cat = self.rng, col.category
        lo, hi = COUNTS[cat]
        if self.p.cms == "hanweb" and cat == "news":
            lo, hi = 50, 60          # more than one jpage group of 45: the rest only via POST
        count = col.count if col.count is not None else rng.randint(lo, hi)
        if col.stale:
            offset = LIMIT_DAYS[cat] + rng.randint(20, 150)
        else:
            offset = rng.randint(0, FRESH[cat])
        when = self.p.as_of - timedelta(days=offset)
        titles: set[str] = set()
        for _ in range(count):
            for _attempt in range(12):
                title = corpus.title_for(rng, cat, col.key, self.p.base, self.p.name, when)
                if title not in titles:
                    break
            n = 2
            while title in titles:
                title = f"{title.rstrip('）0123456789（')}（{n}）"
                n += 1
            titles.add(title)
            col.documents.append(self.new_doc(col, title, when))
            when -= timedelta(days=rng.randint(*GAPS[cat]))

    def fill_annual(self, col: Column, report_texts: dict, text_defects: dict) -> None:
        rng, p = self.rng, self.p
        docs = []
        for year in p.report_years:
            pub = report_deadline(year, p.unit_kind) - timedelta(days=rng.randint(3, 25))
            pub = min(pub, p.as_of - timedelta(days=1))
            docs.append(self.new_doc(col, f"{p.name}{year}年政府信息公开工作年度报告", pub,
                                     kind="report", report_year=year))
        for doc in docs:
            doc.body = self.report_body(doc.report_year, report_texts, text_defects)
        if docs:
            last = docs[-1]
            docs.append(self.new_doc(col, f"《{p.name}{last.report_year}年政府信息公开工作年度报告》解读",
                                     last.list_date + timedelta(days=rng.randint(0, 3)), kind="noise"))
            other_year = docs[max(0, len(p.report_years) - 3)].report_year
            dept = f"{p.base}{'财政局' if p.name.endswith('人民政府') else '经济发展局'}"
            docs.append(self.new_doc(col, f"{dept}{other_year}年政府信息公开工作年度报告",
                                     report_deadline(other_year, p.unit_kind) - timedelta(days=rng.randint(5, 20)),
                                     kind="noise", publisher=dept))
            docs.append(self.new_doc(col, f"{p.base}召开{p.as_of.year - 1}年度政务公开工作推进会",
                                     p.as_of - timedelta(days=rng.randint(200, 320)), kind="noise"))
        col.documents = docs

    def report_body(self, year: int, report_texts: dict, text_defects: dict) -> list[str]:
        if year in report_texts:
            return report_texts[year].splitlines()
        try:
            from .reports import report_text
            text = report_text(self.p.name, year, defects=tuple(text_defects.get(year, ())))
        except ImportError:       # the report generator is written separately
            text = (f"{self.p.name}{year}年政府信息公开工作年度报告\n"
                    f"本报告由{self.p.name}编制，统计期限自{year}年1月1日起至{year}年12月31日止。")
        return text.splitlines()

    # --- defects -------------------------------------------------------------------------------
    def pick_column(self, defect: Defect, categories: tuple[str, ...], need_docs: bool) -> Column:
        if defect.column:
            return self.p.column(defect.column)
        for cat in categories:
            for col in self.p.columns:
                if col.category == cat and col.key not in self.touched and (col.documents or not need_docs):
                    return col
        raise ValueError(f"{self.p.site_id}: no column left for defect {defect.kind}")

    def pick_doc(self, col: Column, skip: set[int] = frozenset()) -> Document:
        candidates = [d for d in col.documents[1:] if d.defect is None and d.kind == "regular"
                      and d.doc_id not in skip]
        if not candidates:
            raise ValueError(f"{self.p.site_id}: column {col.name} has no document left for a defect")
        return self.rng.choice(candidates)

    def variant(self, defect: Defect) -> str:
        if defect.variant:
            return defect.variant
        options = VARIANTS[defect.kind]
        n = self.counters.get(defect.kind, 0)
        self.counters[defect.kind] = n + 1
        return options[n % len(options)]

    def finding(self, check: str, column: Column | None, path: str, year: int | None = None) -> None:
        self.p.findings.append({"check": check, "severity": SEVERITY[check],
                                "column": column.name if column else None, "path": path, "year": year})


def _apply_doc_defect(b: _Builder, d: Defect) -> None:
    p, rng = b.p, b.rng
    v = b.variant(d) if d.kind in VARIANTS else None
    order = {"metadata_missing": ("policy", "notice", "news", "planning", "personnel", "other"),
             "metadata_invalid": ("notice", "policy", "news", "planning", "personnel", "other"),
             "index_no_duplicate": ("policy", "notice", "news", "personnel", "planning", "other"),
             "broken_link": (("policy", "notice", "news", "planning", "personnel", "other") if v == "attachment"
                             else ("news", "notice", "policy", "personnel", "planning", "other"))}[d.kind]
    col = b.pick_column(d, order, need_docs=True)
    doc = b.pick_doc(col)
    doc.defect = d.kind
    if d.kind == "metadata_missing":
        if v == "index_no":
            doc.index_no = None
        elif v == "publisher":
            doc.publisher = None
        else:
            doc.published = doc.written = None
        b.finding(d.kind, col, doc.path)
    elif d.kind == "metadata_invalid":
        if v == "index_no":
            doc.index_no = rng.choice([f"{doc.list_date.year}-{rng.randint(1, 999):05d}",
                                       f"{p.org_code}/第{rng.randint(1, 99)}号"])
        elif v == "date":
            doc.shown["written"] = (f"{doc.list_date.year}年13月45日" if b.family.DATE_STYLE == "cn"
                                    else f"{doc.list_date.year}-13-45")
            doc.written = None
        else:
            doc.published = p.as_of + timedelta(days=rng.randint(20, 300))
        b.finding(d.kind, col, doc.path)
    elif d.kind == "index_no_duplicate":
        others = [c for c in p.columns if c is not col and c.category != "annual_report"
                  and len(c.documents) > 1] or [col]
        other = rng.choice(others)
        second = b.pick_doc(other, skip={doc.doc_id})
        second.defect = d.kind
        second.index_no = doc.index_no
        b.finding(d.kind, col, doc.path)
        b.finding(d.kind, other, second.path)
    elif d.kind == "broken_link":
        if v == "attachment":
            if not doc.attachments:
                doc.attachments.append(Attachment(f"{doc.title[:12]}.pdf", ""))
                doc.attachments[-1].path = b.family.attachment_path(col, doc, len(doc.attachments))
            doc.attachments[0].status = 404
            b.finding(d.kind, col, doc.attachments[0].path)
        elif v in ("404", "500"):
            doc.status = int(v)
            b.finding(d.kind, col, doc.path)
        else:
            raise ValueError(f"unknown broken_link variant {v!r}")


def build_portal(site_id: str, name: str, cms: str, as_of: date, *, seed: int = 0,
                 defects: Iterable[str | Defect] = (), columns=None, report_years: range | None = None,
                 report_texts: dict[int, str] | None = None, entry_text: str | None = None,
                 trap: bool = False) -> Portal:
    """Generate one portal of CMS family ``cms`` (trs, hanweb, legacy, jsonapi, gkmlpt, jpaas,
    dahan, fjdzapp) with defects.

    ``columns``: list columns as names, ``(key, name[, category[, count]])`` tuples or dicts
    ``{"key", "name", "category", "count"}`` (default: the nine usual 信息公开 columns; a
    年报 column is always added). ``report_years``: the years this unit published a 年报
    (default: the five years up to the last due year); years after the last due year are
    dropped. ``report_texts`` replaces generated report texts by year. ``trap`` adds an
    endless calendar link to the homepage (not a column).
    """
    if cms not in FAMILIES:
        raise ValueError(f"unknown cms {cms!r}; known: {', '.join(FAMILIES)}")
    family = FAMILIES[cms]
    rng = random.Random(f"{site_id}|{seed}|{cms}")
    parsed = [Defect.parse(d) for d in defects]
    unit_kind = guess_unit_kind(name)
    due = last_due_year(as_of, unit_kind)
    years = report_years if report_years is not None else range(due - 4, due + 1)
    years = range(years.start, min(years.stop, due + 1))
    portal = Portal(site_id=site_id, name=name, cms=cms, as_of=as_of, seed=seed, base=short_name(name),
                    entry_text=entry_text or rng.choice(("政府信息公开", "信息公开", "政务公开")),
                    report_years=years, annual_reports_since=years.start if len(years) else None,
                    unit_kind=unit_kind)
    portal.org_code = corpus.org_code(rng, rng.choice(("9", "18")))
    index_style = rng.choice(("slash", "dash", "month"))
    b = _Builder(portal, rng, family)
    portal.columns = [Column(key=k, name=n, category=c, count=cnt) for k, n, c, cnt in _column_specs(columns)]
    family.setup(portal, rng)

    # column-level defects decide which columns are empty or stale before they are filled
    for d in parsed:
        if d.kind in ("column_stale", "column_empty", "column_explained_empty", "column_placeholder"):
            cats = (("news", "notice", "policy", "personnel", "planning") if d.kind == "column_stale"
                    else ("other", "planning", "personnel", "notice", "policy", "news"))
            col = b.pick_column(d, cats, need_docs=False)
            b.touched.add(col.key)
            if d.kind == "column_stale":
                col.stale = True
            else:
                col.count = 0
                notes = {"column_explained_empty": REASON_NOTES, "column_placeholder": PLACEHOLDER_NOTES}
                if d.kind in notes:
                    n = int(d.variant) if d.variant else b.counters.get(d.kind, 0)
                    b.counters[d.kind] = n + 1
                    col.empty_note = notes[d.kind][n % len(notes[d.kind])]
            if d.kind != "column_explained_empty":
                b.finding("column_empty" if d.kind == "column_placeholder" else d.kind, col, col.path)
    missing = {d.year for d in parsed if d.kind == "annual_report_missing"}
    text_defects: dict[int, list[str]] = {}
    for d in parsed:
        if d.kind == "annual_report_inconsistent":
            year = d.year or years[-1]
            text_defects.setdefault(year, []).append(d.variant or "sum_mismatch")

    b.text_years = set(text_defects)
    for col in portal.columns:
        if col.category == "annual_report":
            b.fill_annual(col, report_texts or {}, text_defects)
        elif col.count != 0:
            b.fill_column(col)
        col.documents.sort(key=lambda x: (x.list_date, x.doc_id), reverse=True)

    # 索引号: one site-wide serial in date order, so every clean document's number is unique
    serial = rng.randint(10, 3000)
    for doc in sorted((d for c in portal.columns for d in c.documents), key=lambda x: (x.list_date, x.doc_id)):
        serial += rng.randint(1, 40)
        doc.index_no = corpus.index_no(portal.org_code, index_style, doc.published or doc.list_date, serial)
    for col in portal.columns:
        for doc in col.documents:
            doc.path = family.doc_path(col, doc)
            for n, att in enumerate(doc.attachments, 1):
                att.path = family.attachment_path(col, doc, n)
            doc.traditional = family.DATE_STYLE == "cn" and rng.random() < 0.25

    annual = portal.annual_column
    for d in parsed:
        if d.kind == "annual_report_missing":
            _drop_report(b, annual, d, missing)
        elif d.kind == "annual_report_late":
            _make_late(b, annual, d, missing)
        elif d.kind == "annual_report_inconsistent":
            year = d.year or years[-1]
            doc = next(x for x in annual.documents if x.report_year == year)
            b.finding(d.kind, annual, doc.path, year)
        elif d.kind in ("metadata_missing", "metadata_invalid", "index_no_duplicate", "broken_link"):
            _apply_doc_defect(b, d)
        elif d.kind == "site_down_at_crawl":
            portal.unreachable = b.variant(d)
    _home_news(b, parsed)
    if portal.unreachable:
        portal.findings = [{"check": "site_down_at_crawl", "severity": "deduct", "column": None,
                            "path": "/", "year": None}]
    portal.trap_path = "/calendar?month=" + f"{as_of.year}-{as_of.month:02d}" if trap else None
    family.render(portal)
    return portal


def _home_news(b: _Builder, parsed: list[Defect]) -> None:
    """The homepage's 要闻 block (news of the portal's 新闻中心, not a 信息公开 column), as real
    homepages show it: six items, newest first, each with its date — or, for ``undated``, none.
    The veto_warning truth of the column counts is added by ``truth``; this one is the homepage's."""
    p, rng = b.p, b.rng
    kinds = {d.kind: d for d in parsed if d.kind in ("homepage_stale", "homepage_warning")}
    variant = b.variant(kinds["homepage_stale"]) if "homepage_stale" in kinds else None
    if variant == "stale":
        newest = rng.randint(20, 60)
    elif "homepage_warning" in kinds:
        newest = rng.randint(11, 14)
    else:
        newest = rng.randint(0, 5)
    when = p.as_of - timedelta(days=newest)
    p.home_news = []
    for n in range(6):
        title = corpus.title_for(rng, "news", "xwzx", p.base, p.name, when)
        b.next_id += rng.randint(1, 97)
        path = f"/xwzx/{when:%Y%m}/t{when:%Y%m%d}_{b.next_id}.html"
        p.home_news.append((path, title, None if variant == "undated" else when))
        when -= timedelta(days=rng.randint(1, 4))
    if variant:
        b.finding("homepage_stale", None, "/")
    elif "homepage_warning" in kinds:
        b.finding("veto_warning", None, "/")


def _default_year(b: _Builder, annual: Column, taken: set, ok=lambda y: True) -> int:
    years = [y for y in b.p.report_years if y not in taken and ok(y)]
    middle = [y for y in years if y != b.p.report_years.start] or years
    if not middle:
        raise ValueError(f"{b.p.site_id}: no 年报 year left for a defect")
    return b.rng.choice(middle)


def _drop_report(b: _Builder, annual: Column, d: Defect, missing: set) -> None:
    year = d.year or _default_year(b, annual, missing | b.text_years |
                                   {x.report_year for x in annual.documents if x.defect})
    missing.add(year)
    annual.documents = [x for x in annual.documents if x.report_year != year]
    b.finding(d.kind, annual, annual.path, year)


def _make_late(b: _Builder, annual: Column, d: Defect, missing: set) -> None:
    as_of = b.p.as_of
    taken = missing | {x.report_year for x in annual.documents if x.defect}
    year = d.year or _default_year(b, annual, taken, lambda y: report_deadline(y, b.p.unit_kind) + timedelta(days=40) < as_of)
    doc = next(x for x in annual.documents if x.report_year == year)
    deadline = report_deadline(year, b.p.unit_kind)
    room = (as_of - deadline).days - 1
    if room < 1:
        raise ValueError(f"{b.p.site_id}: the {year} 年报 cannot be late before {as_of}")
    doc.list_date = doc.published = deadline + timedelta(days=b.rng.randint(1, min(room, 120)))
    doc.defect = d.kind
    doc.path = b.family.doc_path(annual, doc)
    annual.documents.sort(key=lambda x: (x.list_date, x.doc_id), reverse=True)
    b.finding(d.kind, annual, doc.path, year)
