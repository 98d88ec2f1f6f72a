"""Figure checks in the tables of the 2019/2021 format (国办公开办函〔2019〕60号, 〔2021〕30号).

Table 2 (收到和处理政府信息公开申请情况) has seven number columns (自然人, five kinds of 法人或
其他组织, 总计) and rows 一 本年新收, 二 上年结转, 三 本年度办理结果 ((一)…(六), some with
numbered sub-rows, then (七)总计), 四 结转下年度继续办理. The format itself prints the rule
"第一项加第二项之和，等于第三项加第四项之和"; (七)总计 is the sum of (一)…(六) and the 总计
column the sum of the applicant columns. Table 3 (行政复议、行政诉讼) is one row of 15 numbers:
three blocks of 结果维持, 结果纠正, 其他结果, 尚未审结, 总计.

A table row arrives as one line of text with cells separated by " | " or tabs (that is how
``crawler/content.py`` writes table rows; whitespace-separated rows are accepted too).
Blank cells are unknown, not zero: a check involving one is skipped rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from audits.reports.model import Problem
from audits.reports.textprep import Line, shorten

APPLICANT_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
REVIEW_BLOCKS = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
_BLANK = {"", "-", "—", "——", "/", "无", "空"}
_INT = re.compile(r"-?\d+")
_GROUP = re.compile(r"^\(([一二三四五六])\)")
_ITEM = re.compile(r"^\d{1,2}\s*[.、．]")


@dataclass(frozen=True)
class Row:
    line: Line
    labels: tuple[str, ...]
    values: tuple[int | None, ...]

    @property
    def label(self) -> str:
        return " ".join(self.labels)

    @property
    def leaf(self) -> str:
        return self.labels[-1] if self.labels else ""


def parse_row(line: Line) -> Row:
    """Label cells and the trailing value cells of one table line."""
    text = line.text.strip()
    if "|" in text or "\t" in text:
        cells = [c.strip() for c in re.split(r"\||\t", text)]
        if cells and cells[-1] == "" and text.endswith("|"):
            cells.pop()
    else:
        cells = text.split()
    values: list[int | None] = []
    i = len(cells)
    while i > 0:
        # a stray punctuation mark pushed into a number cell by PDF layout ("、 4") is no text
        cell = re.sub(r"^[、,.;:，。；：\s]+(?=-?\d)", "", cells[i - 1].replace(",", ""))
        if _INT.fullmatch(cell):
            values.append(int(cell))
        elif cell in _BLANK:
            values.append(None)
        else:
            break
        i -= 1
    labels = tuple(c for c in cells[:i] if c)
    return Row(line, labels, tuple(reversed(values)))


def _eq(a: list[int | None], b: list[int | None]) -> bool | None:
    """sum(a) == sum(b), or None when a blank cell makes it unknowable."""
    if any(v is None for v in a + b):
        return None
    return sum(a) == sum(b)


def _row_quote(row: Row) -> str:
    return shorten(row.line.orig, 200)


def _table2_row(line: Line) -> Row:
    """A row of table 2: a row of six values ending in "|" had its 总计 cell left blank
    ("… | 1 | 1 |" is how an HTML row with an empty last cell comes out of crawler/content.py)."""
    row = parse_row(line)
    if len(row.values) == 6 and line.text.rstrip().endswith("|"):
        return Row(line, row.labels, (*row.values, None))
    return row


def _applications_table(lines: list[Line]) -> list[Row] | None:
    """The rows of table 2, from 本年新收 to 结转下年度, each cut to its last seven values."""
    start = None
    for i, line in enumerate(lines):
        if "本年新收" in line.text and len(_table2_row(line).values) >= 7:
            start = i
            break
    if start is None:
        return None
    rows = []
    for line in lines[start:]:
        row = _table2_row(line)
        if len(row.values) < 7:
            if rows and row.labels and not rows[-1].leaf.startswith("四"):
                if re.search(r"\d\s*$", line.text) and len(row.values) >= 1 and not _ITEM.match(row.leaf):
                    return None   # a data row we cannot read cell by cell: the sums are unknowable
                continue  # a label-only line inside the table (wrapped cell): skip it
            break
        rows.append(Row(line, row.labels, row.values[-7:]))
        if "结转下年" in row.label:
            break
    return rows


def _find(rows: list[Row], pattern: str) -> Row | None:
    return next((r for r in rows if re.search(pattern, r.label)), None)


def check_applications(lines: list[Line]) -> list[Problem]:
    rows = _applications_table(lines)
    if not rows:
        return []
    problems: list[Problem] = []
    new, carried = _find(rows, "本年新收"), _find(rows, "上年结转")
    total, keep = _find(rows, r"总计"), _find(rows, "结转下年")
    cols = range(7)

    # 第一项加第二项之和，等于第三项加第四项之和 — column by column.
    if new and carried and total and keep:
        bad = []
        for c in cols:
            ok = _eq([new.values[c], carried.values[c]], [total.values[c], keep.values[c]])
            if ok is False:
                bad.append(f"{APPLICANT_COLUMNS[c]}栏：第一项{new.values[c]}+第二项{carried.values[c]}="
                           f"{new.values[c] + carried.values[c]}，第三项{total.values[c]}+第四项"
                           f"{keep.values[c]}={total.values[c] + keep.values[c]}")
        if bad:
            problems.append(Problem(
                "table_rule",
                "收到和处理政府信息公开申请情况表不符合“第一项加第二项之和，等于第三项加第四项之和”："
                + "；".join(bad),
                " / ".join(_row_quote(r) for r in (new, carried, total, keep))))

    # (七)总计 = (一)…(六); a group row followed by numbered sub-rows is a subtotal of them.
    if carried and total:
        body = rows[rows.index(carried) + 1: rows.index(total)] if rows.index(total) > rows.index(carried) else []
        leaves: list[Row] = []
        i = 0
        while i < len(body):
            row = body[i]
            subs = []
            j = i + 1
            if _GROUP.match(row.leaf):
                # Sub-rows are numbered items that do not open a group of their own
                # ("（三）不予公开 | 1.属于国家秘密" opens 三, it is no sub-row of 二).
                while j < len(body) and _ITEM.match(body[j].leaf) \
                        and not any(_GROUP.match(x) for x in body[j].labels[:-1]):
                    subs.append(body[j])
                    j += 1
            if subs:
                for c in cols:
                    if _eq([row.values[c]], [s.values[c] for s in subs]) is False:
                        problems.append(Problem(
                            "total_row",
                            f"收到和处理政府信息公开申请情况表中“{row.leaf}”{APPLICANT_COLUMNS[c]}栏为"
                            f"{row.values[c]}，但其下各分项之和为{sum(s.values[c] for s in subs)}",
                            _row_quote(row)))
                leaves.extend(subs)
                i = j
            else:
                leaves.append(row)
                i += 1
        if leaves:
            bad = []
            for c in cols:
                if _eq([total.values[c]], [r.values[c] for r in leaves]) is False:
                    bad.append(f"{APPLICANT_COLUMNS[c]}栏总计{total.values[c]}，"
                               f"（一）至（六）之和为{sum(r.values[c] for r in leaves)}")
            if bad:
                problems.append(Problem(
                    "total_row",
                    "收到和处理政府信息公开申请情况表中“（七）总计”不等于（一）至（六）各项之和：" + "；".join(bad),
                    _row_quote(total)))

    # The 总计 column is the sum of the six applicant columns, row by row.
    for row in rows:
        if _eq([row.values[6]], list(row.values[:6])) is False:
            problems.append(Problem(
                "total_column",
                f"收到和处理政府信息公开申请情况表“{row.leaf}”一行，总计栏为{row.values[6]}，"
                f"而各类申请人之和为{sum(row.values[:6])}",
                _row_quote(row)))
    return problems


def check_reviews(lines: list[Line]) -> list[Problem]:
    """Table 3: each block's 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结."""
    problems: list[Problem] = []
    for i, line in enumerate(lines):
        row = parse_row(line)
        if len(row.values) < 15:
            continue
        context = " ".join(x.text for x in lines[max(0, i - 4): i])
        if "维持" not in context and "复议" not in row.label:
            continue
        vals = row.values[-15:]
        for b, name in enumerate(REVIEW_BLOCKS):
            block = list(vals[b * 5: b * 5 + 5])
            if _eq([block[4]], block[:4]) is False:
                problems.append(Problem(
                    "review_total",
                    f"行政复议、行政诉讼情况表中“{name}”的总计为{block[4]}，而结果维持、结果纠正、"
                    f"其他结果、尚未审结之和为{sum(block[:4])}",
                    _row_quote(row)))
        break
    return problems


def has_tables(lines: list[Line]) -> bool:
    """True when the text carries the 2019/2021 applications table (decides the format if no year)."""
    return _applications_table(lines) is not None
