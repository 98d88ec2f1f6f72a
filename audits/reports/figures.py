"""Figure check in prose: "共…条，其中…条、…条、…条" and "…条，占总数的…%".

Reports state a total and then its parts ("全年主动公开政府信息1209条。其中，政府网站公开1124条、
…") and percentages of the total. When the parts do not add up, or a percentage is not the share
it claims, the report contradicts itself — a reader sees it with a pocket calculator.

Precision over recall, because a false alarm in an official 通报 embarrasses the office:
- only numbers with the total's unit (条/件…) or bare numbers standing as list items count
  as parts; percentages, changes ("同比增加300条"), years and parenthesised asides do not;
- parts exceeding the total is always reported; parts falling short only when the list is
  evidently exhaustive (ends with 其他/其余, percentages close to 100%) or misses by ≤1%
  (an arithmetic slip, not a partial list like "其中政策文件120条、解读30条");
- several breakdowns in one sentence ("…；其中…") are accepted when a prefix adds up;
- 万/亿 and decimals carry their rounding as tolerance; percentages may be rounded or cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audits.reports.model import Problem
from audits.reports.textprep import Line, sentences, shorten
from crawler.text import to_simplified

_UNITS = "条|件|项|个|次|起|宗|份|家|人次|人|期|篇|场|元"
_NUM = re.compile(r"(?<![\d.])(\d{1,3}(?:,\d{3})+(?![\d])|\d+)(?:\.(\d+))?\s*(万|亿)?\s*(" + _UNITS + r")?")
_TOTAL_WORD = re.compile(r"(?:共|总计|合计|累计|总数|总量|一共|总共)[^\d,;。]{0,20}$")
_CHANGE_WORD = re.compile(r"(?:增加|减少|增幅|降幅|增|减|增长|下降|上升|提高|降低|比|多|少|超|高于|低于|同比|环比|第|近|前|后|约)\s*$")
_PERCENT = re.compile(r"^[^\d]{0,10}?占[^\d]{0,8}?(\d+(?:\.\d+)?)\s*%")
_OTHER_PART = re.compile(r"其他|其余|其它")
_CN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Number:
    value: float
    tol: float
    unit: str | None
    start: int
    end: int
    text: str


def _numbers(text: str) -> list[Number]:
    out = []
    for m in _NUM.finditer(text):
        whole, frac, mult, unit = m.groups()
        value = float(whole.replace(",", "") + (f".{frac}" if frac else ""))
        factor = {"万": 1e4, "亿": 1e8}.get(mult or "", 1)
        tol = (0.5 * 10 ** -len(frac) if frac else 0.0) * factor
        if mult and not frac:
            tol = 0.5 * factor if factor > 1 else 0.0
            tol = 0.0 if unit else tol
        after = text[m.end(): m.end() + 2]
        if after.startswith("%") or after.startswith("年") or after.startswith("月") or after.startswith("日"):
            unit = "%" if after.startswith("%") else "date"
        out.append(Number(value * factor, tol, unit, m.start(), m.end(), m.group(0).strip()))
    return out


def _same_unit(a: str | None, b: str | None) -> bool:
    counts = {"条", "件", "项", "份", "篇"}
    return a == b or (a in counts and b in counts)


def _excluded(text: str, num: Number) -> bool:
    """Numbers that are no part: in parentheses, changes, ordinals, inside 《》."""
    before = text[: num.start]
    if before.count("(") > before.count(")") or before.count("《") > before.count("》"):
        return True
    if _CHANGE_WORD.search(before[-4:]):
        return True
    return False


def _parts(tail: str, unit: str) -> list[tuple[Number, str]]:
    """The parts of a 其中 clause with the label text before each."""
    out = []
    last_end = 0
    for num in _numbers(tail):
        label = tail[last_end: num.start]
        if num.unit in ("%", "date") or _excluded(tail, num):
            last_end = num.end
            continue
        bare = num.unit is None and (num.end >= len(tail) or tail[num.end] in ",、;。") \
            and num.start > 0 and _CN.match(tail[num.start - 1])
        if _same_unit(num.unit, unit) or bare:
            out.append((num, label))
        last_end = num.end
    return out


def _counted(head: str) -> list[Number]:
    return [n for n in _numbers(head) if n.unit not in (None, "%", "date", "元") and not _excluded(head, n)]


def _total(head: str) -> Number | None:
    """The total a 其中 clause breaks down: the number after 共/总计, else the last counted one."""
    nums = _counted(head)
    if not nums:
        return None
    worded = [n for n in nums if _TOTAL_WORD.search(head[: n.start])]
    return (worded or nums)[-1]


def _other_totals(head: str, total: Number) -> list[float]:
    """Other readings of what the parts add up to: any counted figure of the head with the
    total's unit, or their sum ("受理20件，上年结转5件，其中…" breaks down 25)."""
    same = [n.value for n in _counted(head) if _same_unit(n.unit, total.unit)]
    return [*same, sum(same)]


def _fmt(value: float) -> str:
    return str(int(value)) if abs(value - round(value)) < 1e-9 else f"{value:g}"


def _percent_problems(tail: str, parts: list[tuple[Number, str]], total: Number, quote: str) -> list[Problem]:
    out = []
    for i, (num, label) in enumerate(parts):
        nxt = parts[i + 1][0].start if i + 1 < len(parts) else len(tail)
        m = _PERCENT.search(tail[num.end: nxt])
        if not m or total.value <= 0:
            continue
        stated = float(m.group(1))
        decimals = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
        actual = num.value / total.value * 100
        unit = 10 ** -decimals
        extra = total.tol / total.value * 100 + 1e-7   # a rounded total (1.2万) widens the window
        rounded = abs(actual - stated) <= unit / 2 + extra
        truncated = stated - extra <= actual < stated + unit + extra - 2e-7
        if not (rounded or truncated):
            out.append(Problem(
                "percent_mismatch",
                f"“{shorten(to_simplified(quote), 160)}”中{_fmt(num.value)}{total.unit or ''}占{_fmt(total.value)}{total.unit or ''}"
                f"的{actual:.{max(decimals, 2)}f}%，而报告写为{m.group(1)}%",
                quote))
    return out


def _check_relation(head: str, tail: str, quote: str) -> list[Problem]:
    total = _total(head)
    if total is None or total.value <= 0:
        return []
    # A second 其中 starts another breakdown (of a part): stop before it. A clause after "；"
    # continues the list only when its first figure has the total's very unit ("…；微信40条").
    tail = tail.split("其中", 1)[0]
    clauses = tail.split(";")
    kept = [clauses[0]]
    for clause in clauses[1:]:
        first = next((n for n in _numbers(clause) if n.unit not in ("%", "date")), None)
        if first is None or first.unit != total.unit:
            break
        kept.append(clause)
    tail = ";".join(kept)
    parts = _parts(tail, total.unit)
    if len(parts) < 2:
        return []
    problems = _percent_problems(tail, parts, total, quote)
    values = [p.value for p, _ in parts]
    tol = total.tol + sum(p.tol for p, _ in parts) + 1e-9
    running = 0.0
    for v in values:
        running += v
        if abs(running - total.value) <= tol:
            return problems          # the parts (or the first breakdown) add up
    s = running
    if any(abs(s - alt) <= tol for alt in _other_totals(head, total)):
        return problems              # the parts break down another figure of the sentence
    if s < total.value:
        exhaustive = _OTHER_PART.search(parts[-1][1]) is not None
        near = (total.value - s) <= total.value * 0.01
        if not (exhaustive or near):
            return problems
    unit = total.unit or ""
    shown = "+".join(_fmt(v) for v in values)
    problems.insert(0, Problem(
        "sum_mismatch",
        f"“{shorten(to_simplified(quote), 160)}”中分项之和为{shown}={_fmt(s)}{unit}，与总数{_fmt(total.value)}{unit}不符",
        quote))
    return problems


def check_text_totals(lines: list[Line]) -> list[Problem]:
    """Every "total, 其中 parts" relation of the prose whose parts disagree with the total."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for line in lines:
        if line.is_table_row:
            continue
        sents = sentences(line)
        for i, (orig, sent) in enumerate(sents):
            pos = sent.find("其中")
            if pos < 0:
                continue
            head = sent[:pos]
            quote = orig
            if not re.search(r"\d", head) and i > 0:
                head = sents[i - 1][1]
                quote = sents[i - 1][0] + orig
            # A total sits just before 其中 and its parts just after: bounded windows keep
            # the scan linear on run-on junk.
            head, tail = head[-300:], sent[pos + 2: pos + 2 + 1500]
            for p in _check_relation(head, tail, quote.strip()):
                if p.detail not in seen:      # a repeated paragraph must not double the finding
                    seen.add(p.detail)
                    problems.append(p)
    return problems
