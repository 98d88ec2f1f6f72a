"""Column name → category (news, notice, policy, personnel, planning, annual_report, other).

Names are normalised to 简体 (OpenCC) and stripped of spaces before matching, so 工作動態 and
工作动态 fall in the same category. A site's seeds entry can override the category of a
column by URL or by name; overrides win over the stored category and the name rules.
"""

from __future__ import annotations

from crawler.text import compact_label, to_simplified

from audits.rules import Rules

CATEGORY_IDS = ("news", "notice", "policy", "personnel", "planning", "annual_report", "other")


def normalise_name(name: str | None) -> str:
    """A column name as matched: 简体, no whitespace, no decorations."""
    return compact_label(to_simplified(name or ""))


def category_from_name(name: str | None, rules: Rules) -> str:
    """The first category (in ``rules.yaml`` order) one of whose words occurs in ``name``."""
    simple = normalise_name(name)
    for cat in rules.categories:
        if any(normalise_name(word) in simple for word in cat.words if word):
            return cat.id
    return "other"


def override_for(column: dict, overrides: list[dict]) -> str | None:
    """The category a seeds ``columns:`` entry assigns to ``column`` (URL first, then name)."""
    url, name = column.get("url"), normalise_name(column.get("name"))
    for entry in overrides or []:
        if isinstance(entry, dict) and entry.get("url") and entry.get("url") == url \
                and entry.get("category"):
            return str(entry["category"])
    for entry in overrides or []:
        if isinstance(entry, dict) and entry.get("name") and entry.get("category") \
                and normalise_name(str(entry["name"])) == name:
            return str(entry["category"])
    return None


def column_category(column: dict, rules: Rules, overrides: list[dict] | None = None) -> str:
    """Category of a stored column row: site override, else the name rules.

    ``columns.category`` in the database is written *by* the audit (what the column was judged
    as); it is not read back, so a changed rules file or override takes effect on re-audit.
    """
    forced = override_for(column, overrides or [])
    if forced:
        return forced
    return category_from_name(column.get("name"), rules)
