"""The check catalogue as the bulletin prints it: catalogue order and the Chinese name of each check.

The bulletin groups problems "in the order of the check catalogue" (SPEC.md). Names and order
come from ``audits/rules.yaml`` (its ``checks:`` list, via ``audits.rules.load_rules``), the
one place the audit table also reads them from, so ``xxgk audit`` and the 通报 can never call
the same problem by two names. Unknown check ids (a check added to the code but not yet to the
rules file) sort after the known ones under their own id, so a new check never makes the
bulletin crash or drop findings.
"""

from __future__ import annotations

from audits.rules import load_rules

SEVERITY_NAMES = {"veto": "单项否决", "deduct": "扣分", "warn": "预警", "info": "提示"}


def catalogue() -> list[tuple[str, str]]:
    """[(check id, Chinese name)] in catalogue order, as ``rules.yaml`` lists them."""
    rules = load_rules()
    return [(check, rules.label(check)) for check, _severity in rules.checks]


def check_name(check: str) -> str:
    """The Chinese name of a check id; the id itself for a check the rules file does not know."""
    return load_rules().label(check)


def check_order(check: str) -> tuple[int, str]:
    """Sort key putting checks in catalogue order, unknown ones last (alphabetically)."""
    rules = load_rules()
    position = rules.order(check)
    return (position, "") if position < len(rules.checks) else (position, str(check))


def veto_names(vetoes: list[str] | tuple[str, ...]) -> str:
    """Veto ids → "栏目更新不及时、栏目空白", or "无" when there is none."""
    names = [check_name(v) for v in sorted(set(vetoes), key=check_order)]
    return "、".join(names) if names else "无"
