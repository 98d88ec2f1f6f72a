"""Checks a careful reader makes beyond one table's sums: prose against tables, year against year.

- ``prose_table_mismatch``: a figure the prose states about the applications ("本年度共收到申请
  70件", "予以公开…件", "办结…件", "结转下年度…件", "行政复议…起") differs from the table. Only
  unambiguous readings are flagged: "收到" may count the new applications or new + carried, so
  either is accepted; a table cell left blank is unknown, so a group sum over blanks is only a
  lower bound — flagged only when the prose figure is below it.
- ``carryover_mismatch``: last year's 四、结转下年度继续办理 must equal this year's 二、上年结转,
  per applicant column (both reports stored, both cells printed).
- ``valid_count_mismatch`` (30号 format, both years): 现行有效件数(Y) = 现行有效件数(Y−1) +
  本年制发件数(Y) − 本年废止件数(Y) for 规章 and 规范性文件.
- ``active_table`` (60号 format): 对外公开总数量 includes this year's 本年新公开数量, so it cannot
  be smaller.
"""

from __future__ import annotations

import re

from audits.reports.model import Problem
from audits.reports.table_data import Tables
from audits.reports.tables import APPLICANT_COLUMNS
from audits.reports.textprep import Line, sentences, shorten

_N = r"\s*(\d+)\s*(?:件|起|个)"
#: (pattern, what the table calls it, how to read it from the tables)
_PROSE = (
    (re.compile(r"(?:收到|受理|接收|接到)[^。;,]{0,16}?(?:公开)?申请(?:共|总计)?" + _N), "received"),
    (re.compile(r"收到" + _N + r"申请"), "received"),
    (re.compile(r"(?:办结|共办理|办理完毕|答复[^。;,\d]{0,10}?申请)" + _N), "total"),
    (re.compile(r"结转(?:至|到)?(?:下一?年度?|\d{4}年)[^\d。;]{0,8}?" + r"(\d+)\s*件"), "keep"),
    (re.compile(r"(\d+)\s*件结转下"), "keep"),
    (re.compile(r"予以公开(?:及|和|与|、)部分公开" + _N), "public+partial"),
    (re.compile(r"(?<![及和与、不])(?:予以公开|同意公开)(?:答复)?" + _N), "public"),
    (re.compile(r"(?<![及和与、])部分公开(?:答复)?" + _N), "partial"),
    (re.compile(r"不予公开(?:答复)?" + _N), "refused"),
    (re.compile(r"无法提供(?:的)?" + _N), "unable"),
    (re.compile(r"不予处理" + _N), "ignored"),
    (re.compile(r"其他处理" + _N), "other"),
)
_LABEL = {"received": "一、本年新收", "total": "（七）总计", "keep": "四、结转下年度继续办理",
          "public": "（一）予以公开", "partial": "（二）部分公开", "public+partial": "（一）予以公开与（二）部分公开之和",
          "refused": "（三）不予公开", "unable": "（四）无法提供", "ignored": "（五）不予处理", "other": "（六）其他处理"}


def _expected(tables: Tables, key: str) -> tuple[list[int], bool] | None:
    """Acceptable table values for a prose figure, and whether they are exact (else lower bounds)."""
    if key == "received":
        new, carried = tables.value("new"), tables.value("carried")
        if new is None:
            return None
        return ([new, new + carried] if carried is not None else [new]), True
    if key in ("total", "keep"):
        value = tables.value(key)
        return ([value], True) if value is not None else None
    parts = key.split("+")
    if not all(p in tables.groups for p in parts):
        return None
    value = sum(tables.groups[p][0] for p in parts)
    return [value], all(tables.groups[p][1] for p in parts)


def prose_against_tables(lines: list[Line], tables: Tables) -> list[Problem]:
    if not tables.rows:
        return []
    problems, seen = [], set()
    for line in lines:
        if line.is_table_row:
            continue
        for orig, sent in sentences(line):
            for pattern, key in _PROSE:
                for match in pattern.finditer(sent):
                    stated = int(match.group(1))
                    expected = _expected(tables, key)
                    if expected is None:
                        continue
                    values, exact = expected
                    wrong = stated not in values if exact else stated < min(values)
                    if not wrong or (key, stated) in seen:
                        continue
                    seen.add((key, stated))
                    shown = "或".join(str(v) for v in values)
                    table = f"{'为' if exact else '至少为'}{shown}件" + ("（本年新收或加上年结转）" if key == "received" else "")
                    problems.append(Problem(
                        "prose_table_mismatch",
                        f"正文写“{match.group(0).strip()}”，而收到和处理政府信息公开申请情况表中"
                        f"“{_LABEL[key]}”{table}",
                        shorten(orig, 200)))
    return problems


def carried_over(tables: Tables, previous: Tables, year: int | None) -> list[Problem]:
    keep, carried = previous.rows.get("keep"), tables.rows.get("carried")
    if keep is None or carried is None:
        return []
    bad = [f"{APPLICANT_COLUMNS[c]}栏上年报告为{keep.values[c]}，本年报告为{carried.values[c]}"
           for c in range(7)
           if keep.values[c] is not None and carried.values[c] is not None and keep.values[c] != carried.values[c]]
    if not bad:
        return []
    last = f"{year - 1}年度" if year else "上一年度"
    return [Problem(
        "carryover_mismatch",
        f"本年“二、上年结转政府信息公开申请数量”与{last}报告“四、结转下年度继续办理”不一致：" + "；".join(bad),
        shorten(carried.line.orig, 200) + " / 上年：" + shorten(keep.line.orig, 200))]


def valid_counts(tables: Tables, previous: Tables, year: int | None) -> list[Problem]:
    if tables.fmt != "2021" or previous.fmt != "2021":
        return []
    out = []
    last = f"{year - 1}年" if year else "上年"
    for key, (values, line) in tables.active.items():
        before = previous.active.get(key)
        if before is None or None in values or before[0][2] is None:
            continue
        made, abolished, valid = values
        expected = before[0][2] + made - abolished
        if expected != valid:
            out.append(Problem(
                "valid_count_mismatch",
                f"主动公开政府信息情况表中{key}现行有效件数为{valid}，而{last}现行有效{before[0][2]}件"
                f"+本年制发{made}件−本年废止{abolished}件={expected}件",
                shorten(line.orig, 200) + " / 上年：" + shorten(before[1].orig, 200)))
    return out


def active_table(tables: Tables) -> list[Problem]:
    """60号 format: 对外公开总数量 ≥ 本年新公开数量."""
    if tables.fmt != "2019":
        return []
    out = []
    for key, (values, line) in tables.active.items():
        _, published, total = values
        if published is not None and total is not None and total < published:
            out.append(Problem(
                "active_table",
                f"主动公开政府信息情况表中{key}对外公开总数量{total}件少于本年新公开数量{published}件",
                shorten(line.orig, 200)))
    return out
