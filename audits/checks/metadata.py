"""``metadata_missing``, ``metadata_invalid`` and ``index_no_duplicate`` on detail pages.

条例 第12条 asks every 主动公开 document to carry 索引、名称、生成日期 in the 目录; the 目录
指引 (国办秘函〔2009〕6号) fixes the 索引号 shape. Only pages that were actually read are
judged: a page answering 4xx/5xx is a ``broken_link`` and must not also count as missing
its metadata, and a listed file (PDF, DOC …) has no detail page the crawler read. Documents of every list column are judged (see docs/checks.md), except the
categories listed under ``metadata.skip_categories`` in rules.yaml.

Per document: one ``metadata_missing`` naming every missing field, one ``metadata_invalid``
naming every malformed value. A shared 索引号 gives one ``index_no_duplicate`` per document
using it (all of them: which one is the "original" cannot be told from the pages, and the
simulator's ground truth counts every document involved).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from crawler.text import parse_date
from crawler.urls import is_attachment

from audits.finding import Finding
from audits.rules import Rules
from audits.site import SiteData

FIELD_LABELS = {"index_no": "索引号", "publisher": "发布机构", "date": "日期",
                "published": "发布日期", "written": "成文日期"}


def fetched(doc: dict) -> bool:
    """True when the detail page was read (no HTTP error, no fetch error)."""
    status = doc.get("http_status")
    return not doc.get("error") and (status is None or int(status) < 400)


def documents_in_scope(site: SiteData, rules: Rules) -> list[dict]:
    """Fetched documents of the site's list columns, in URL order."""
    skip = set(rules.metadata_skip_categories)
    out = []
    for doc in site.documents:
        if not doc.get("url") or not fetched(doc) or is_attachment(doc["url"]):
            continue     # a page not read, or a listed file (PDF …) whose metadata was not read
        column = site.column_by_url(doc.get("column_url"))
        if column is not None and site.category(column) in skip:
            continue
        out.append(doc)
    return sorted(out, key=lambda d: d["url"])


def normalise_index_no(value: str | None) -> str:
    """索引号 as compared: NFKC (full-width → ASCII), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def date_texts(site: SiteData, doc: dict) -> dict:
    """Field → the literal date text the page showed (``raw.date_texts``, valid or not)."""
    texts = site.raw(doc).get("date_texts")
    return {k: v for k, v in texts.items() if v} if isinstance(texts, dict) else {}


def labels(site: SiteData, doc: dict) -> dict:
    found = site.raw(doc).get("labels")
    return found if isinstance(found, dict) else {}


def page_has_date(site: SiteData, doc: dict) -> bool:
    """Whether the page itself shows a date; the list-date fallback in ``published`` and a
    date hidden in ``<meta>`` (raw label ``meta:…``) do not count: 条例 第12条 wants the
    生成日期 in the 目录 a reader sees."""
    texts = date_texts(site, doc)
    head_only = any(str(k).startswith("meta:") for k in labels(site, doc))
    if doc.get("written") or texts.get("written") or (texts.get("published") and not head_only):
        return True
    if any(k not in ("published", "written") for k in texts):
        return True
    for label, value in labels(site, doc).items():
        if not str(label).startswith("meta:") and any(w in str(label) for w in ("日期", "时间")) \
                and parse_date(str(value or "")):
            return True
    return False


def missing_fields(site: SiteData, doc: dict) -> list[str]:
    missing = [FIELD_LABELS[f] for f in ("index_no", "publisher") if not (doc.get(f) or "").strip()]
    if not page_has_date(site, doc):
        missing.append(FIELD_LABELS["date"])
    return missing


def invalid_values(site: SiteData, doc: dict, rules: Rules, as_of: date) -> list[str]:
    problems = []
    index_no = (doc.get("index_no") or "").strip()
    if index_no and not rules.index_no_re.match(normalise_index_no(index_no)):
        problems.append(f"索引号“{index_no}”格式不符合《政府信息公开目录系统实施指引》"
                        f"（应为机构代码/年份-顺序号）")
    for key, text in sorted(date_texts(site, doc).items()):
        if parse_date(str(text)) is None:
            problems.append(f"{FIELD_LABELS.get(key, key)}“{text}”不是有效日期")
    for key in ("published", "written"):
        value = doc.get(key)
        try:
            day = date.fromisoformat(str(value)[:10]) if value else None
        except ValueError:
            problems.append(f"{FIELD_LABELS[key]}“{value}”不是有效日期")
            continue
        if day and day > as_of:
            problems.append(f"{FIELD_LABELS[key]}{day.isoformat()}晚于检查日{as_of.isoformat()}")
    return problems


def duplicate_findings(site: SiteData, docs: list[dict], rules: Rules) -> list[Finding]:
    """One finding per document whose 索引号 another document of the site also carries."""
    groups: dict[str, list[dict]] = {}
    for doc in docs:
        key = normalise_index_no(doc.get("index_no"))
        if key:
            groups.setdefault(key, []).append(doc)
    out = []
    for key, group in sorted(groups.items()):
        if len({d["url"] for d in group}) < 2:
            continue
        for doc in group:
            others = "、".join(d["url"] for d in group if d["url"] != doc["url"])
            out.append(Finding(
                "index_no_duplicate", rules.severity("index_no_duplicate"),
                f"索引号“{doc.get('index_no')}”与其他文件重复（{others}），"
                f"同一索引号被{len(group)}个文件使用，索引号应唯一",
                column=site.column_name(doc.get("column_url")), url=doc["url"]))
    return out


def check(site: SiteData, rules: Rules, as_of: date) -> list[Finding]:
    docs = documents_in_scope(site, rules)
    out = []
    for doc in docs:
        column = site.column_name(doc.get("column_url"))
        missing = missing_fields(site, doc)
        if missing:
            out.append(Finding("metadata_missing", rules.severity("metadata_missing"),
                               f"文件缺少{'、'.join(missing)}（《政府信息公开条例》第十二条要求公开目录"
                               f"包含索引、名称、生成日期等）", column=column, url=doc["url"]))
        invalid = invalid_values(site, doc, rules, as_of)
        if invalid:
            out.append(Finding("metadata_invalid", rules.severity("metadata_invalid"),
                               "；".join(invalid), column=column, url=doc["url"]))
    out.extend(duplicate_findings(site, docs, rules))
    return out
