"""Generated 政府信息公开工作年度报告 texts for the simulator and the report-check tests.

The simulator's portals need 年报 pages whose text looks like what ``crawler/content.py``
extracts from a real report page: a title line, the numbered sections of the format in force
that year, prose with "共…条，其中…" totals and, from 2019 on, the three tables of the
国办 format written one table row per line with cells separated by " | ".

Everything is generated from the unit name and year with a seeded RNG (crc32, so the text is
the same in every process), and every number is consistent unless a defect is injected on
purpose. The report checker in ``audits/reports/`` must find nothing on a clean report and
exactly the injected problem on a defective one; the tests rely on both.

This module lives in ``crawler/`` because the simulator does, and must not import ``audits``.
"""

from __future__ import annotations

import random
import zlib
from functools import lru_cache

#: Defects the generator can inject. Each breaks exactly one relation, so the checker reports
#: exactly one kind: missing_section → section_missing (存在的主要问题及改进情况 dropped);
#: sum_mismatch → the 主动公开 "共…其中…" total off; table_rule → 一+二 ≠ 三+四 in 自然人 (and
#: so in 总计); total_row → (七)总计 ≠ (一)…(六); total_column → 总计 cell of 一 and 四 off;
#: review_total → 行政复议 block's 总计 off by one; repeated_paragraph → the opening paragraph
#: printed again; copied_report → last year's report under this year's title (compare with
#: ``report_text(unit, year - 1)``); carryover → 二、上年结转 (自然人) differs from last year's
#: 四、结转下年度继续办理 (四 raised alike, so this year's own rule holds); valid_count → 现行有效件数
#: of 行政规范性文件 ≠ last year's + 本年制发 − 本年废止 (30号 format, from 2022); prose_figure →
#: "本年度共收到政府信息公开申请N件" matches neither 本年新收 nor 本年新收 + 上年结转.
#: Table defects have no effect on the 2008 format (no tables). Consecutive years chain: this
#: year's 上年结转 is last year's 结转下年度, this year's 现行有效件数 follows from last year's.
DEFECTS = ("missing_section", "sum_mismatch", "table_rule", "total_row", "total_column",
           "review_total", "repeated_paragraph", "copied_report", "carryover", "valid_count",
           "prose_figure")

_CN_NUM = "一二三四五六七八九十"

# Sections of the 2019/2021 format and the contents the 2008 条例 asked for.
SECTIONS_NEW = ("总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
                "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项")
SECTIONS_2008 = ("概述", "主动公开政府信息情况", "依申请公开政府信息情况",
                 "政府信息公开的收费及减免情况", "因政府信息公开申请行政复议、提起行政诉讼的情况",
                 "政府信息公开工作存在的主要问题及改进情况", "其他需要报告的事项")

# Numbered sub-rows of table 2 (收到和处理政府信息公开申请情况), as the 2019/2021 formats print them.
_REFUSE = ("属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
           "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项")
_UNABLE = ("本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确")
_IGNORE = ("信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
           "要求行政机关确认或重新出具已获取信息")
_OTHER_2021 = ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
               "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他")


def _rng(unit_name: str, year: int, salt: str = "") -> random.Random:
    return random.Random(zlib.crc32(f"{unit_name}|{year}|{salt}".encode("utf-8")))


def _default_fmt(year: int) -> str:
    return "2021" if year >= 2021 else "2019" if year >= 2019 else "2008"


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` non-negative integers that add up exactly."""
    cuts = sorted(rng.randint(0, total) for _ in range(parts - 1))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(parts)]


def _row(label: str, values: list[int]) -> str:
    return " | ".join([label, *(str(v) for v in values)])


# --- prose ---------------------------------------------------------------------------------

# Pools of work items; each year draws its own, so a unit's reports differ from year to year
# the way reports written afresh do (the copy check must stay quiet on them).
_OPENINGS = (
    "{year}年，{unit}认真贯彻落实《中华人民共和国政府信息公开条例》，围绕年度重点工作，持续深化政务公开，以公开促落实、促规范、促服务。",
    "{year}年，在上级政务公开部门的指导下，{unit}坚持以公开为常态、不公开为例外，推动政府信息公开工作取得新进展。",
    "{year}年，{unit}把政务公开作为建设法治政府的重要抓手，健全工作机制，拓展公开渠道，政府信息公开的质量和实效稳步提升。",
    "{year}年，{unit}按照全年政务公开工作要点的部署，聚焦群众关切，扎实做好政府信息主动公开、依申请公开和平台建设各项工作。",
)
_WORK_ITEMS = (
    "加强政策解读，全年围绕{a}项重要政策开展图文解读、视频解读和在线访谈，主要负责同志带头解读政策{b}次。",
    "做好重点领域信息公开，及时发布财政预决算、重大建设项目、公共资源交易等领域信息，专栏全年更新{a}次。",
    "规范政府信息管理，对{a}件现行有效的规范性文件进行清理，清理结果已在门户网站统一公布。",
    "强化政务新媒体管理，整合关停低效账号{a}个，政务微信公众号关注人数较上年增长{b}%。",
    "推进基层政务公开标准化规范化，编制完善{a}个领域的公开事项标准目录，在政务服务大厅设置查阅点{b}处。",
    "回应社会关切，全年办理网民留言{a}件，按期办结率达到{b}%，对热点问题及时发布权威信息。",
    "组织开展政务公开业务培训{a}场，覆盖各部门信息公开工作人员{b}人次，业务能力明显提高。",
    "严格落实保密审查制度，坚持先审查、后公开，全年审查拟公开信息{a}条，未发生泄密事件。",
    "完善政府信息公开指南，更新依申请公开的受理渠道、办理流程和联系方式，方便群众申请。",
    "开展政府开放日活动{a}次，邀请人大代表、政协委员和群众代表{b}人次走进机关，了解政府工作。",
)
_PROBLEMS = (
    "部分栏目信息更新不够及时", "政策解读的形式较为单一，图解、视频解读偏少",
    "基层政务公开事项目录还需进一步细化", "依申请公开答复文书的规范性有待提高",
    "政务新媒体互动回应的时效性不够强", "个别部门对政务公开工作重视不够，信息报送不积极",
)
_REMEDIES = (
    "健全信息发布审核机制，压实各部门更新责任", "丰富政策解读形式，提高解读的针对性和可读性",
    "加强对基层政务公开工作的指导和督查", "开展依申请公开业务培训，统一答复文书格式",
    "完善政务新媒体管理制度，提升回应关切的速度", "将政务公开纳入年度绩效考核，定期通报考核结果",
)
_CN_ORD = "一二三四五六"


def _overview(rng: random.Random, unit: str, year: int, defects: tuple[str, ...]) -> tuple[list[str], int]:
    """Overview paragraphs and the stated number of items published (the 共…其中 relation)."""
    total = rng.randint(300, 3000)
    parts = _split(rng, total, 4)
    stated = total + (rng.choice([-1, 1]) * rng.randint(7, 60) if "sum_mismatch" in defects else 0)
    paras = [rng.choice(_OPENINGS).format(year=year, unit=unit),
             f"（一）主动公开。全年共主动公开政府信息{stated}条，其中政府门户网站公开{parts[0]}条、"
             f"政务新媒体公开{parts[1]}条、公开栏公开{parts[2]}条、其他方式公开{parts[3]}条。"]
    for n, item in enumerate(rng.sample(_WORK_ITEMS, 3), start=2):
        paras.append(f"（{_CN_ORD[n - 1]}）" + item.format(a=rng.randint(3, 60), b=rng.randint(2, 95)))
    return paras, stated


def _problems_text(rng: random.Random) -> list[str]:
    probs = rng.sample(_PROBLEMS, 2)
    fixes = rng.sample(_REMEDIES, 2)
    return [f"本年度政务公开工作仍存在一些不足：一是{probs[0]}；二是{probs[1]}。"
            f"下一步，将{fixes[0]}，{fixes[1]}，推动政务公开工作再上新台阶。"]


# --- tables --------------------------------------------------------------------------------

def _table_active(rng: random.Random, fmt: str, valid_in: int | None = None,
                  defects: tuple[str, ...] = ()) -> tuple[list[str], int | None]:
    """Table 1 and the 行政规范性文件 现行有效件数 (30号 format; None for 60号)."""
    if fmt == "2021":
        made, abolished = rng.randint(0, 5), rng.randint(0, 3)
        drawn = rng.randint(10, 60)
        valid = drawn if valid_in is None else valid_in + made - abolished
        shown = valid + (3 if "valid_count" in defects and valid_in is not None else 0)
        return [
            "第二十条第（一）项",
            "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数",
            _row("规章", [0, 0, 0]),
            _row("行政规范性文件", [made, abolished, shown]),
            "第二十条第（五）项",
            "信息内容 | 本年处理决定数量",
            _row("行政许可", [rng.randint(0, 3000)]),
            "第二十条第（六）项",
            "信息内容 | 本年处理决定数量",
            _row("行政处罚", [rng.randint(0, 500)]),
            _row("行政强制", [rng.randint(0, 50)]),
            "第二十条第（八）项",
            "信息内容 | 本年收费金额（单位：万元）",
            _row("行政事业性收费", [0]),
        ], valid
    return [
        "第二十条第（一）项",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量",
        _row("规章", [0, 0, 0]),
        _row("规范性文件", [rng.randint(0, 5), rng.randint(0, 5), rng.randint(10, 60)]),
        "第二十条第（五）项",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
        _row("行政许可", [rng.randint(10, 80), rng.randint(-3, 3), rng.randint(0, 3000)]),
        _row("其他对外管理服务事项", [rng.randint(0, 20), 0, rng.randint(0, 200)]),
        "第二十条第（六）项",
        "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量",
        _row("行政处罚", [rng.randint(10, 80), 0, rng.randint(0, 500)]),
        _row("行政强制", [rng.randint(0, 10), 0, rng.randint(0, 50)]),
        "第二十条第（八）项",
        "信息内容 | 上一年项目数量 | 本年增/减",
        _row("行政事业性收费", [0, 0]),
        "第二十条第（九）项",
        "信息内容 | 采购项目数量 | 采购总金额",
        _row("政府集中采购", [rng.randint(0, 30), rng.randint(0, 900)]),
    ], None


def _table_applications(rng: random.Random, fmt: str, defects: tuple[str, ...],
                        carried_in: list[int] | None = None) -> tuple[list[str], list[int], tuple[int, int, int]]:
    """Table 2, column by column consistent: new + carried = total handled + carried over.

    Returns the lines, the clean 结转下年度 row (next year's 上年结转) and the 总计 of
    (本年新收, 上年结转, 本年办结) for the prose sentence."""
    # Applicant columns (6) then the 总计 column computed from them.
    groups = {"（三）不予公开": _REFUSE, "（四）无法提供": _UNABLE, "（五）不予处理": _IGNORE,
              "（六）其他处理": _OTHER_2021 if fmt == "2021" else ()}
    simple = ("（一）予以公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    cols = []
    for c in range(6):
        weight = (40, 6, 1, 1, 2, 3)[c]
        new = rng.randint(0, weight * 3)
        drawn = rng.randint(0, 2) if c == 0 else 0
        carried = carried_in[c] if carried_in is not None else drawn
        handled_total = new + carried
        keep = rng.randint(0, min(2, handled_total))
        handled = handled_total - keep
        split = _split(rng, handled, 2 + sum(max(1, len(v)) for v in groups.values()))
        cols.append({"new": new, "carried": carried, "keep": keep, "handled": handled,
                     "split": split})
    lines = ["申请人情况 | 自然人 | 法人或其他组织 | 总计",
             " | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他"]

    def with_total(values: list[int]) -> list[int]:
        return [*values, sum(values)]

    lines.append(_row("一、本年新收政府信息公开申请数量", with_total([c["new"] for c in cols])))
    lines.append(_row("二、上年结转政府信息公开申请数量", with_total([c["carried"] for c in cols])))
    idx = 0
    first = True
    for label in simple:
        vals = with_total([c["split"][idx] for c in cols])
        lines.append(_row(("三、本年度办理结果 | " if first else "") + label, vals))
        first = False
        idx += 1
    for group, subs in groups.items():
        if not subs:
            vals = with_total([c["split"][idx] for c in cols])
            lines.append(_row(group, vals))
            idx += 1
            continue
        for n, sub in enumerate(subs, 1):
            vals = with_total([c["split"][idx] for c in cols])
            lines.append(_row((f"{group} | " if n == 1 else "") + f"{n}.{sub}", vals))
            idx += 1
    total_vals = with_total([c["handled"] for c in cols])
    keep_vals = with_total([c["keep"] for c in cols])
    clean_keep = list(keep_vals[:6])
    new_row = with_total([c["new"] for c in cols])
    carried_row = with_total([c["carried"] for c in cols])
    if "carryover" in defects and carried_in is not None:
        # 上年结转 (自然人) raised by 2 and 四 alike: this year's own rule still holds.
        for row in (carried_row, keep_vals):
            row[0] += 2
            row[-1] += 2
        lines[3] = _row("二、上年结转政府信息公开申请数量", carried_row)
    if "total_row" in defects:
        # (七)总计 overstated by 3 in 自然人 (and so in 总计); 一 raised alike so that only
        # the "(七) = (一)+…+(六)" relation breaks, not 一+二=三+四 nor the 总计 column.
        for row in (total_vals, new_row):
            row[0] += 3
            row[-1] += 3
    if "table_rule" in defects:
        keep_vals[0] += 2
        keep_vals[-1] += 2
    if "total_column" in defects:
        # 总计 cell of 一 wrong by 5, mirrored in 四 so that 一+二=三+四 still holds there.
        new_row[-1] += 5
        keep_vals[-1] += 5
    lines[2] = _row("一、本年新收政府信息公开申请数量", new_row)
    lines.append(_row("（七）总计", total_vals))
    lines.append(_row("四、结转下年度继续办理", keep_vals))
    return lines, clean_keep, (new_row[-1], carried_row[-1], total_vals[-1])


def _table_reviews(rng: random.Random, defects: tuple[str, ...]) -> list[str]:
    blocks = []
    for b in range(3):
        vals = [rng.randint(0, 3) if b == 0 else rng.randint(0, 2) for _ in range(4)]
        blocks.append([*vals, sum(vals)])
    if "review_total" in defects:
        blocks[0][4] += 1
    header = ["行政复议 | 行政诉讼",
              " | 未经复议直接起诉 | 复议后起诉",
              "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | " * 2
              + "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计"]
    return [*header, " | ".join(str(v) for block in blocks for v in block)]


# --- assembly ------------------------------------------------------------------------------

@lru_cache(maxsize=512)
def _year_state(unit_name: str, year: int) -> tuple[str, tuple[int, ...], int | None] | None:
    """(format, clean 结转下年度 per applicant column, 现行有效件数) of a clean report, or None
    when that year has no tables; what next year's report carries over."""
    fmt = _default_fmt(year)
    if fmt == "2008" or year < 2019:
        return None
    rng = _rng(unit_name, year, "tables")
    prev = _year_state(unit_name, year - 1)
    _, valid = _table_active(rng, fmt, prev[2] if prev and prev[0] == fmt == "2021" else None)
    _, keep, _ = _table_applications(rng, fmt, (), list(prev[1]) if prev else None)
    return fmt, tuple(keep), valid


def report_text(unit_name: str, year: int, *, fmt: str | None = None,
                defects: tuple[str, ...] = ()) -> str:
    """A realistic plain-text 年报 of ``unit_name`` for ``year``.

    ``fmt`` is "2021" (three tables, 2021 wording), "2019" (2019-2020 format) or "2008"
    (条例 2008 contents, prose only); by default it follows the year. ``defects`` injects the
    problems listed in :data:`DEFECTS`; a report without defects is consistent everywhere.
    """
    # A copied report is last year's text (same draws, same format) under this year's title.
    source_year = year - 1 if "copied_report" in defects else year
    fmt = fmt or _default_fmt(source_year)
    rng = _rng(unit_name, source_year)
    table_rng = _rng(unit_name, source_year, "tables")
    unknown = set(defects) - set(DEFECTS)
    if unknown:
        raise ValueError(f"unknown defects: {sorted(unknown)}")
    sections = SECTIONS_2008 if fmt == "2008" else SECTIONS_NEW
    law = "《中华人民共和国政府信息公开条例》"
    lines = [f"{unit_name}{year}年政府信息公开工作年度报告",
             f"本报告根据{law}要求，由{unit_name}编制。全文包括{'、'.join(sections)}。"
             f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"]
    body: dict[str, list[str]] = {}
    body[sections[0]], published = _overview(rng, unit_name, year, defects)
    if fmt == "2008":
        body[sections[1]] = [f"本年度主动公开的{published}条政府信息均按规定完成保密审查，"
                             f"并在政府信息公开目录中按主题分类发布。"]
        n = rng.randint(0, 30)
        a, b, c = _split(rng, n, 3)
        body[sections[2]] = [f"本年度共受理政府信息公开申请{n}件，其中同意公开{a}件、部分公开{b}件、不予公开{c}件。"]
        body[sections[3]] = ["本年度未收取政府信息公开相关费用，无减免情况。"]
        body[sections[4]] = ["本年度未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"]
        body[sections[5]] = _problems_text(rng)
        body[sections[6]] = ["无其他需要报告的事项。"]
    else:
        prev = _year_state(unit_name, source_year - 1) if fmt == _default_fmt(source_year) else None
        valid_in = prev[2] if prev and prev[0] == fmt == "2021" else None
        body[sections[1]], _ = _table_active(table_rng, fmt, valid_in, defects)
        table, _, (new, carried, handled) = _table_applications(
            table_rng, fmt, defects, list(prev[1]) if prev else None)
        stated = new + carried + 3 if "prose_figure" in defects else new
        body[sections[2]] = [f"本年度共收到政府信息公开申请{stated}件，办结{handled}件。", *table]
        body[sections[3]] = _table_reviews(table_rng, defects)
        body[sections[4]] = _problems_text(rng)
        body[sections[5]] = ["本年度未收取信息处理费。无其他需要报告的事项。"]
    if "missing_section" in defects:
        drop = sections[4] if fmt != "2008" else sections[5]
        body.pop(drop)
        lines[1] = lines[1].replace(f"{drop}、", "").replace(f"、{drop}", "")
    if "repeated_paragraph" in defects:
        key = sections[0]
        body[sections[-1]] = [*body.get(sections[-1], []), body[key][0]]
    for i, (name, paras) in enumerate(body.items()):
        lines.append(f"{_CN_NUM[i]}、{name}")
        lines.extend(paras)
    lines.append(unit_name)
    lines.append(f"{year + 1}年1月{rng.randint(10, 28)}日")
    return "\n".join(lines) + "\n"
