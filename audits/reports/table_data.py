"""The figures of a report's tables as data, the table format, and tables that cannot be read.

Two national formats: reports on 2019 and 2020 follow 国办公开办函〔2019〕60号 (table 1 columns
本年新制作数量 / 本年新公开数量 / 对外公开总数量, 上一年项目数量 / 本年增/减 / 处理决定数量, and a
政府集中采购 row), reports from 2021 on follow 〔2021〕30号 (本年制发件数 / 本年废止件数 /
现行有效件数, 本年处理决定数量, 本年收费金额). :func:`table_format` tells which one a text uses.

:func:`read_tables` returns what the cross-checks need: the applications table's rows 一 (new),
二 (carried), (七) (total), 四 (kept) per applicant column, the 总计 of each result group
(一)…(六) as a (value, exact) pair — blank cells are unknown, so a sum over them is only a lower
bound — and table 1's 规章 / 规范性文件 rows. A table whose digits run together in flattened text
("一、本年新收政府信息公开申请数量640020470") cannot be read cell by cell: it is not guessed at,
and :func:`unreadable_tables` says so (``xxgk inspect`` shows the note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from audits.reports.tables import Row, _applications_table, _find, parse_row
from audits.reports.textprep import Line

_FMT_2021 = re.compile(r"本年制发件数|本年废止件数|现行有效件数|本年收费金额")
_FMT_2019 = re.compile(r"本年新制作数量|本年新公开数量|对外公开总数量|上一年项目数量|政府集中采购")
_GROUP_LABEL = re.compile(r"^\(([一二三四五六])\)")
_GROUP_KEYS = {"一": "public", "二": "partial", "三": "refused", "四": "unable", "五": "ignored", "六": "other"}


def table_format(lines: list[Line]) -> str | None:
    """"2021" (30号 headings), "2019" (60号 headings) or None when table 1 is not there."""
    text = "".join(re.sub(r"\s", "", ln.text) for ln in lines)
    new, old = bool(_FMT_2021.search(text)), bool(_FMT_2019.search(text))
    if new and not old:
        return "2021"
    if old and not new:
        return "2019"
    return None


@dataclass
class Tables:
    fmt: str | None = None
    rows: dict[str, Row] = field(default_factory=dict)              # new, carried, total, keep
    groups: dict[str, tuple[int, bool]] = field(default_factory=dict)  # public… → (value, exact)
    active: dict[str, tuple[tuple[int | None, ...], Line]] = field(default_factory=dict)  # 规章, 规范性文件

    def value(self, key: str, col: int = 6) -> int | None:
        row = self.rows.get(key)
        return row.values[col] if row else None


def _row_total(row: Row) -> tuple[int, bool]:
    """A row's 总计: the stated cell, else the sum of its applicant cells (exact if none blank)."""
    if row.values[6] is not None:
        return row.values[6], True
    cells = row.values[:6]
    return sum(v or 0 for v in cells), all(v is not None for v in cells)


def _groups(rows: list[Row], carried: Row, total: Row) -> dict[str, tuple[int, bool]]:
    """Each result group's 总计; empty when a row of the body carries no label to place it."""
    body = rows[rows.index(carried) + 1: rows.index(total)] if rows.index(total) > rows.index(carried) else []
    out: dict[str, list[tuple[int, bool]]] = {}
    current = None
    for row in body:
        if not row.labels:
            return {}
        group = next((m.group(1) for lab in row.labels if (m := _GROUP_LABEL.match(lab))), None)
        if group:
            current = _GROUP_KEYS[group]
        elif current is None or not re.match(r"^\d{1,2}\s*[.、．]", row.leaf):
            return {}
        out.setdefault(current, []).append(_row_total(row))
    return {k: (sum(v for v, _ in vals), all(e for _, e in vals)) for k, vals in out.items()}


def _active(lines: list[Line]) -> dict[str, tuple[tuple[int | None, ...], Line]]:
    out = {}
    for line in lines:
        if not line.is_table_row:
            continue
        row = parse_row(line)
        label = row.label.replace(" ", "")
        key = "规章" if label == "规章" else "规范性文件" if label in ("规范性文件", "行政规范性文件") else None
        if key and key not in out and len(row.values) == 3:
            out[key] = (row.values, line)
    return out


def read_tables(lines: list[Line]) -> Tables:
    tables = Tables(fmt=table_format(lines))
    tables.active = _active(lines)
    rows = _applications_table(lines)
    if not rows:
        return tables
    named = {"new": _find(rows, "本年新收"), "carried": _find(rows, "上年结转"),
             "total": _find(rows, r"总计"), "keep": _find(rows, "结转下年")}
    tables.rows = {k: r for k, r in named.items() if r is not None}
    if "carried" in tables.rows and "total" in tables.rows:
        tables.groups = _groups(rows, tables.rows["carried"], tables.rows["total"])
    return tables


_UNREADABLE = (
    (re.compile(r"本年新收政府信息公开申请数量\s*(\d[\d\s]*\d)"), 6, "收到和处理政府信息公开申请情况表"),
    (re.compile(r"结果维持.*总计\s*(\d{10,})"), 10, "行政复议、行政诉讼情况表"),
    (re.compile(r"(?:行政)?规范性文件\s*(\d{5,})(?![\d.]*\s*(?:条|件|个|项|篇))"), 5, "主动公开政府信息情况表"),
)


def unreadable_tables(lines: list[Line]) -> list[str]:
    """Notes on tables whose digits run together (flattened text): they are not checked."""
    notes = []
    for pattern, run, name in _UNREADABLE:
        for line in lines:
            if line.is_table_row:
                continue
            match = pattern.search(line.text)
            if match and any(len(tok) >= run for tok in match.group(1).split()):
                sample = max(match.group(1).split(), key=len)
                notes.append(f"{name}的各格数字连在一起（如“{sample[:12]}”），无法逐格读取，未核对该表")
                break
    return notes
