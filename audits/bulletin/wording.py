"""The 通报's text: ``BulletinData`` → a ``Document`` of plain strings and tables. Pure.

All three writers (Markdown, HTML, Word) lay out this one ``Document``, so their figures and
sentences cannot drift apart. Strings here are plain text, including the scraped parts (site
names, columns, details, URLs); each writer escapes on output, never this module.

The shape follows real 通报 (省政府网站检查情况通报, monthly city 通报): title; 主送; an opening
citing the basis and ending "现将有关情况通报如下："; 一、总体情况 (with 整改情况 against the
previous period); 二、存在的主要问题 by problem type in catalogue order; 三、整改要求; 说明 (sites
未能自动检查 and the columns a person must check by hand, only when there are any); 落款;
附件 tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from audits.bulletin.catalogue import check_name, check_order, veto_names
from audits.bulletin.model import BulletinData, Problem, SiteResult

EXAMPLES_PER_UNIT = 5   # problems quoted in the body per unit and type; all are in 附件2

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (enough for section numbering)."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return (_CN_DIGITS[tens] if tens > 1 else "") + "十" + (_CN_DIGITS[ones] if ones else "")


def cn_date(value: date | str) -> str:
    """date or ISO string → "2026年11月2日" (official documents write no leading zeros)."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def percent(part: int, whole: int) -> str:
    """66.7%, 100%, 0% — one decimal unless whole."""
    if not whole:
        return "0%"
    value = round(part * 100 / whole, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value:.1f}%"


@dataclass
class Block:
    """A piece of a section: ``p`` paragraph, ``h`` sub-heading （一）, ``item`` quoted problem,
    ``chart`` the figure (text = caption)."""

    kind: str
    text: str
    ref: str | None = None     # ``image`` blocks: the key of ``Document.images``


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, kind: str, text: str, ref: str | None = None) -> None:
        self.blocks.append(Block(kind, text, ref))


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Attachment:
    label: str          # 附件1
    title: str
    table: Table | None
    note: str = ""      # shown when the table is empty / absent


@dataclass
class Document:
    title: str
    doc_number: str | None
    recipients: str
    opening: str
    sections: list[Section]
    issuer: str
    date_text: str
    attachments: list[Attachment]
    chart_caption: str
    figures: dict = field(default_factory=dict)   # the key numbers, for tests and JSON
    images: dict = field(default_factory=dict)    # ``image`` block ref → PNG bytes (writer fills)


def _dates(data: BulletinData) -> str:
    first, last = cn_date(data.first_date), cn_date(data.last_date)
    return first if first == last else f"{first}至{last}"


def _site_order(data: BulletinData) -> list[SiteResult]:
    """Units with a veto (不合格) first, then 未能自动检查, then by number of problems, then as stored."""
    index = {s.site_id: i for i, s in enumerate(data.sites)}
    rank = lambda s: 0 if s.failed else (1 if not s.checked else 2)  # noqa: E731 - a sort key
    return sorted(data.sites, key=lambda s: (rank(s), -len(s.problems), index[s.site_id]))


def _where(p: Problem) -> str:
    parts = []
    if p.column:
        parts.append(f"“{p.column}”栏目")
    if p.year:
        parts.append(f"{p.year}年度")
    return "".join(parts)


def quote(p: Problem) -> str:
    """One problem as the body quotes it: place, detail, status, evidence URL."""
    where = _where(p)
    text = f"{where}：{p.detail}" if where else p.detail
    text = text.rstrip("。；;") + "。"
    if p.status == "persisting":
        text += "（上期已通报，未整改）"
    if p.url:
        text += f"网址：{p.url}"
    return text


def _overview(data: BulletinData) -> Section:
    sec = Section("一、总体情况")
    n, ok, bad, checked = len(data.sites), data.qualified, data.failed, len(data.checked)
    opening = (f"本期共监测{data.config.scope}政府网站{n}个，检查信息公开栏目{data.columns_checked}个、"
               f"信息{data.documents_checked}条。")
    if data.unchecked:
        sec.add("p", opening + f"监测结论为合格的网站{ok}个、不合格的网站{bad}个，另有{len(data.unchecked)}个"
                     f"网站未能自动检查、未作结论（见“说明”部分）；合格率按已检查的{checked}个网站计算，"
                     f"为{percent(ok, checked)}。")
    else:
        sec.add("p", opening + f"监测结论为合格的网站{ok}个、不合格的网站{bad}个，合格率{percent(ok, n)}。")
    counts = data.counts_by_check()
    if counts:
        listed = "、".join(f"{check_name(c)}{k}个" for c, k in counts)
        sec.add("p", f"共发现问题{len(data.problems)}个，其中{listed}。")
    else:
        sec.add("p", "本期监测未发现问题。")
    failed = [s for s in _site_order(data) if s.failed]
    if failed:
        names = "、".join(f"{s.name}（{veto_names(s.vetoes)}）" if s.vetoes else s.name for s in failed)
        sec.add("p", f"{names}共{len(failed)}个网站存在单项否决问题，监测结论为不合格。")
    review = review_note(data)
    if review:
        sec.add("p", review)
    prev = data.period.previous.label
    new, persisting, fixed = data.count("new"), data.count("persisting"), data.count("fixed")
    unverifiable = data.count("unverifiable")
    unverified = (f"另有{unverifiable}个因本期相关栏目或网站未能完整读取而无法核实，不计为已整改。"
                  if unverifiable else "")
    if not data.previous_monitored:
        sec.add("p", f"整改情况：上期（{prev}）无监测记录，本期问题均为新发现问题，共{new}个。")
    elif persisting + fixed + unverifiable == 0:
        sec.add("p", f"整改情况：与上期（{prev}）相比，本期新发现问题{new}个；上期本批网站未通报问题。")
    else:
        sec.add("p", f"整改情况：与上期（{prev}）相比，本期新发现问题{new}个；上期通报的问题中，"
                     f"已整改{fixed}个、未整改{persisting}个，整改率{percent(fixed, fixed + persisting)}；"
                     f"{unverified}已整改及无法核实的问题见附件3。")
    if data.warnings:
        units = len({w.site_id for w in data.warnings})
        sec.add("p", f"另有{units}个网站接近单项否决标准，予以预警（见“三、预警情况”），预警不计入问题数和监测结论。")
    sec.add("chart", "图1 本期问题分布（按问题类型、按单位）")
    _availability(data, sec)
    return sec


AVAILABILITY_CHART = "availability"
AVAILABILITY_CAPTION = "图2 连通率低于100%的网站每日连通率"


def availability_text(s: SiteResult) -> str:
    """The site's 连通率 for the period: 98.6%, or 未监测 when it was not probed."""
    return percent(s.probes - s.probe_failures, s.probes) if s.probes else "未监测"


def below_full(data: BulletinData) -> list[SiteResult]:
    """Probed sites whose 连通率 is below 100%, lowest first."""
    sites = [s for s in data.sites if s.probes and s.probe_failures]
    return sorted(sites, key=lambda s: (s.availability, s.site_id))


def _availability(data: BulletinData, sec: Section) -> None:
    """连通率: the measurement in one sentence, the period's figures, the chart when below 100%."""
    from audits.checks.reachability import MEASUREMENT

    probed = [s for s in data.sites if s.probes]
    if not probed:
        sec.add("p", f"可用性监测：{MEASUREMENT}本期未开展可用性监测（xxgk probe），各网站连通率未测，"
                     "站点无法访问一项未作判断。")
        return
    total = sum(s.probes for s in probed)
    failed = sum(s.probe_failures for s in probed)
    text = (f"可用性监测：{MEASUREMENT}本期对{len(probed)}个网站开展可用性监测共{total}次，"
            f"总体连通率{percent(total - failed, total)}；")
    low = below_full(data)
    if low:
        text += "连通率低于100%的网站：" + "、".join(f"{s.name}（{availability_text(s)}）" for s in low) + "。"
    else:
        text += "各网站连通率均为100%。"
    if len(probed) < len(data.sites):
        text += f"另有{len(data.sites) - len(probed)}个网站未开展可用性监测。"
    sec.add("p", text)
    if low:
        sec.add("image", AVAILABILITY_CAPTION, ref=AVAILABILITY_CHART)


def review_note(data: BulletinData) -> str:
    """What 人工审核 left out of this 通报 (empty when nothing was)."""
    parts = []
    if data.dismissed:
        parts.append(f"经人工审核，驳回自动监测发现的问题{data.dismissed}个，未纳入本通报")
    if data.confirmed_only:
        parts.append("本通报仅收录经人工审核确认的问题" +
                     (f"，另有{data.unconfirmed}个问题尚待审核，未纳入本通报" if data.unconfirmed else ""))
    return "；".join(parts) + "。" if parts else ""


def _problems(data: BulletinData) -> Section:
    sec = Section("二、存在的主要问题")
    if not data.problems:
        sec.add("p", "本期监测未发现问题。")
        return sec
    order = _site_order(data)
    checks = sorted({p.check for p in data.problems}, key=check_order)
    for i, check in enumerate(checks, 1):
        of_check = [p for p in data.problems if p.check == check]
        units = [s for s in order if any(p.site_id == s.site_id for p in of_check)]
        sec.add("h", f"（{cn_number(i)}）{check_name(check)}")
        sec.add("p", f"{len(units)}个网站存在{check_name(check)}问题，共{len(of_check)}个。")
        for n, site in enumerate(units, 1):
            mine = [p for p in of_check if p.site_id == site.site_id]
            veto = "（单项否决）" if check in site.vetoes else ""
            sec.add("p", f"{n}. {site.name}{veto}：{len(mine)}个问题。")
            for p in mine[:EXAMPLES_PER_UNIT]:
                sec.add("item", quote(p))
            if len(mine) > EXAMPLES_PER_UNIT:
                sec.add("item", f"另有{len(mine) - EXAMPLES_PER_UNIT}个问题，详见附件2。")
    return sec


def _warnings(data: BulletinData) -> Section | None:
    """三、预警情况: sites within reach of a veto line (product policy); not 问题, not counted."""
    if not data.warnings:
        return None
    sec = Section("三、预警情况")
    units = [s for s in _site_order(data) if any(w.site_id == s.site_id for w in data.warnings)]
    sec.add("p", f"以下{len(units)}个网站接近单项否决标准，暂未构成单项否决，不计入问题数和监测结论，"
                 "请及时关注、提前整改：")
    for n, site in enumerate(units, 1):
        sec.add("p", f"{n}. {site.name}：")
        for w in data.warnings:
            if w.site_id == site.site_id:
                sec.add("item", quote(w))
    return sec


def _requirements(data: BulletinData, number: str = "三") -> Section:
    cfg = data.config
    sec = Section(f"{number}、整改要求")
    sec.add("p", f"请各单位对照本通报及附件所列问题逐项核实整改，于{cn_date(data.deadline)}前"
                 f"（{cfg.deadline_workdays}个工作日内）完成整改，并将整改情况书面报送{cfg.issuer}。"
                 "存在单项否决问题的网站要立即整改；连续两期未整改的问题将予以重点督办。")
    sec.add("p", "（一）加强栏目日常维护。动态类栏目原则上两周内应有更新，通知公告、政策文件类栏目"
                 "6个月内应有更新，人事、规划计划类栏目12个月内应有更新；确无信息的栏目应说明原因，"
                 "不得出现空白栏目。")
    sec.add("p", "（二）按时公开年度报告。按照《中华人民共和国政府信息公开条例》第四十九条规定，县级以上"
                 "人民政府部门于每年1月31日前、本级人民政府于每年3月31日前公布上一年度政府信息公开工作年度报告，严格执行《政府信息公开工作年度报告格式》"
                 "（国办公开办函〔2021〕30号），确保数据准确、前后一致。")
    sec.add("p", "（三）规范信息公开目录。按照《政府信息公开目录系统实施指引（试行）》（国办秘函〔2009〕6号）"
                 "要求，规范标注索引号、发布机构、成文日期、发布日期等要素，索引号不得重复。")
    sec.add("p", "（四）保障网站可用。落实《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）要求，"
                 "加强日常巡查，及时处置网站无法访问、链接失效等问题。")
    return sec


def _notes(data: BulletinData, number: int) -> Section | None:
    """说明: sites without a conclusion and every column a person must check by hand."""
    unseen = [s for s in _site_order(data) if s.unseen_columns]
    if not data.unchecked and not unseen:
        return None
    sec = Section(f"{cn_number(number)}、说明")
    sec.add("p", "本工具未能读取的内容按“未知”处理，不作为单位的问题，也不计入不合格；以下网站和栏目请人工检查。")
    if data.unchecked:
        sec.add("h", "（一）未能自动检查的网站")
        sec.add("p", f"以下{len(data.unchecked)}个网站本期未能自动检查，未作合格或不合格结论，"
                     "不计入合格率：")
        for n, site in enumerate(data.unchecked, 1):
            sec.add("p", f"{n}. {site.name}：{(site.reason or '原因不明').rstrip('。')}。网址：{site.url}")
    if unseen:
        sec.add("h", f"（{cn_number(2 if data.unchecked else 1)}）需人工检查的栏目")
        sec.add("p", "以下栏目未能读取或未能完整读取，未作更新及空白判断：")
        for n, site in enumerate(unseen, 1):
            sec.add("p", f"{n}. {site.name}：{len(site.unseen_columns)}个栏目。")
            for c in site.unseen_columns:
                what = "未能读取" if c["status"] == "unreadable" else "未完整读取"
                sec.add("item", f"“{c['name']}”栏目{what}（{c['reason'].rstrip('。')}）。网址：{c['url']}")
    return sec


def _units_table(data: BulletinData) -> Table:
    rows = [[str(i), s.name, s.url, str(s.columns_checked), str(len(s.problems)),
             availability_text(s), veto_names(s.vetoes), s.verdict]
            for i, s in enumerate(_site_order(data), 1)]
    return Table(["序号", "单位", "网站", "检查栏目数", "问题数", "连通率", "否决项", "结论"], rows)


def _problem_row(i: int, p: Problem) -> list[str]:
    return [str(i), p.site_name, p.check_name, p.column or "", str(p.year or ""), p.detail,
            p.url or "", p.status_name]


def _attachments(data: BulletinData) -> list[Attachment]:
    listed = data.problems + data.notes
    out = [
        Attachment("附件1", f"{data.period.label}各单位监测结果", _units_table(data)),
        Attachment("附件2", f"{data.period.label}问题清单",
                   Table(["序号", "单位", "问题类型", "栏目", "年度", "问题描述", "网址", "状态"],
                         [_problem_row(i, p) for i, p in enumerate(listed, 1)]) if listed else None,
                   note="" if listed else "本期未发现问题。"),
    ]
    if data.previous_monitored:
        gone = data.fixed + data.unverifiable
        out.append(Attachment(
            "附件3", f"上期（{data.period.previous.label}）通报问题整改情况",
            Table(["序号", "单位", "问题类型", "栏目", "年度", "上期问题描述", "网址", "状态"],
                  [_problem_row(i, p) for i, p in enumerate(gone, 1)]) if gone else None,
            note="" if gone else "上期通报的问题均未整改，或上期未通报问题。"))
    return out


def chart_series(data: BulletinData) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """(problems by type name, problems by unit name) for ``chart.render_chart``."""
    by_type = [(check_name(c), k) for c, k in data.counts_by_check()]
    units = sorted((s for s in data.sites if s.problems), key=lambda s: -len(s.problems))
    return by_type, [(s.name, len(s.problems)) for s in units]


def availability_series(data: BulletinData) -> list[tuple[str, list[tuple[str, float]]]]:
    """[(unit name, [(YYYY-MM-DD, daily 连通率 0…1)])] of the sites below 100%, for the chart."""
    return [(s.name, [(day, (total - failed) / total) for day, total, failed in s.probe_days if total])
            for s in below_full(data)]


def _sections(data: BulletinData) -> list[Section]:
    warnings = _warnings(data)
    if warnings is None:
        sections = [_overview(data), _problems(data), _requirements(data)]
    else:
        sections = [_overview(data), _problems(data), warnings, _requirements(data, "四")]
    notes = _notes(data, len(sections) + 1)      # 说明 last, numbered after the others
    return sections + ([notes] if notes else [])


def compose(data: BulletinData) -> Document:
    """The whole 通报 as plain strings (see module docstring)."""
    cfg = data.config
    title = f"关于{data.period.label}{cfg.scope}政府网站信息公开专栏监测情况的通报"
    opening = (f"为深入贯彻落实《中华人民共和国政府信息公开条例》，按照《政府网站与政务新媒体检查指标》"
               f"（国办秘函〔2019〕19号）等要求，{cfg.issuer}于{_dates(data)}对{cfg.scope}"
               f"{len(data.sites)}个政府网站的信息公开专栏进行了监测。现将有关情况通报如下：")
    n, ok, checked = len(data.sites), data.qualified, len(data.checked)
    figures = {"sites": n, "qualified": ok, "unqualified": data.failed, "rate": percent(ok, checked),
               "checked": checked, "unchecked": len(data.unchecked),
               "unverifiable": data.count("unverifiable"),
               "columns": data.columns_checked, "documents": data.documents_checked,
               "problems": len(data.problems), "new": data.count("new"),
               "persisting": data.count("persisting"), "fixed": data.count("fixed"),
               "by_check": dict(data.counts_by_check()), "deadline": data.deadline.isoformat(),
               "availability": {s.site_id: availability_text(s) for s in data.sites},
               "dismissed": data.dismissed, "unconfirmed": data.unconfirmed,
               "warnings": len(data.warnings)}
    return Document(title=title, doc_number=cfg.doc_number, recipients=cfg.recipients,
                    opening=opening,
                    sections=_sections(data),
                    issuer=cfg.issuer, date_text=cn_date(data.issue_date),
                    attachments=_attachments(data),
                    chart_caption="图1 本期问题分布（按问题类型、按单位）", figures=figures)
