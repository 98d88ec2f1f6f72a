"""The check catalogue as the bulletin prints it: SPEC order and the Chinese name of each check.

The bulletin groups problems "in the order of the check catalogue" (SPEC.md), so the order lives
here once. Unknown check ids (a check added later) sort after the known ones under their own id,
so a new check never makes the bulletin crash or drop findings.
"""

from __future__ import annotations

#: SPEC.md check catalogue, in order, with the wording real 通报 use for each problem type.
CHECKS: dict[str, str] = {
    "site_unreachable": "网站无法访问",
    "column_stale": "栏目更新不及时",
    "column_empty": "栏目空白",
    "annual_report_missing": "年报缺失",
    "annual_report_late": "年报发布超期",
    "annual_report_inconsistent": "年报内容问题",
    "metadata_missing": "元数据缺失",
    "metadata_invalid": "元数据不规范",
    "index_no_duplicate": "索引号重复",
    "broken_link": "链接不可用",
}

SEVERITY_NAMES = {"veto": "单项否决", "deduct": "扣分", "info": "提示"}


def check_name(check: str) -> str:
    """The Chinese name of a check id; the id itself for a check this module does not know."""
    return CHECKS.get(check, check)


def check_order(check: str) -> tuple[int, str]:
    """Sort key putting checks in catalogue order, unknown ones last (alphabetically)."""
    ids = list(CHECKS)
    return (ids.index(check), "") if check in CHECKS else (len(ids), check)


def veto_names(vetoes: list[str] | tuple[str, ...]) -> str:
    """Veto ids → "栏目更新不及时、栏目空白", or "无" when there is none."""
    names = [check_name(v) for v in sorted(set(vetoes), key=check_order)]
    return "、".join(names) if names else "无"
