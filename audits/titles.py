"""Which items of a 年报 column are this unit's 年度报告, and for which year (from the title).

A 年报 column on a real portal lists more than the reports: 解读 and 图解 of a report,
notices about compiling them ("关于报送2019年政府信息公开工作年度报告的通知"), meeting news,
and the reports of other units reposted there (a county portal showing its 教育局's report).
Counting those as the unit's own report would hide a missing year, so the 年报 checks only
count titles that :func:`classify_title` calls ``"report"``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from crawler.text import compact_label, to_simplified

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_YEAR = re.compile(r"([〇零○ＯO一二三四五六七八九]{4})\s*年")
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "Ｏ": "0", "O": "0", "一": "1", "二": "2",
              "三": "3", "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}

#: Words that make a title a report: 年报 / 年度报告 / "…年度政府信息公开工作报告".
_REPORT = re.compile(r"年报|年度报告|(?:信息公开|资讯公开|政务公开)(?:工作)?(?:情况)?报告")
#: Words of items that are about a report, not the report itself.
_NOT_REPORT = re.compile(r"解读|图解|一图|读懂|问答|通知|会议|召开|培训|部署|报送|编制|撰写|征集|"
                         r"意见|要点|考核|评估|检查|通报|答记者")
#: The report words removed from a title to leave the unit's name.
_BOILERPLATE = re.compile(
    r"(?:关于)?(?:(?:19|20)\d{2}|[〇零○ＯO一二三四五六七八九]{4})\s*年度?|"
    r"政府信息公开|政府资讯公开|政务信息公开|信息公开|资讯公开|政务公开|工作|情况|年度报告|年度|年报|报告|"
    r"[（(【\[][^）)】\]]*[）)】\]]|[《》“”\"'：:，,、\s·—-]")
_SITE_SUFFIX = re.compile(r"(?:门户网站|政府网站|网站|官网|官方网站|首页)$")


@dataclass(frozen=True)
class TitleKind:
    """``kind``: report | interpretation | not_report | other_unit; ``year`` from the title."""

    kind: str
    year: int | None
    unit: str = ""


def report_year(title: str | None) -> int | None:
    """The year a report title is about: ``2019年…``, ``2019年度…``, ``二〇一九年…``."""
    text = to_simplified(title or "")
    match = _YEAR.search(text)
    if match:
        return int(match.group(1))
    match = _CN_YEAR.search(text)
    if match:
        return int("".join(_CN_DIGITS[c] for c in match.group(1)))
    return None


def _unit_key(name: str) -> str:
    """A unit name as compared: 简体, no spaces, 人民政府 → 政府, no trailing 政府."""
    key = compact_label(to_simplified(name or "")).replace("人民政府", "政府")
    key = _SITE_SUFFIX.sub("", key)
    return key[:-2] if key.endswith("政府") and len(key) > 2 else key


def title_unit(title: str | None) -> str:
    """What is left of a report title once year and report words are removed: the unit name."""
    text = compact_label(to_simplified(title or "")).replace("人民政府", "政府")
    return _unit_key(_BOILERPLATE.sub("", text))


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def classify_title(title: str | None, unit_name: str | None, own_units: set[str] | None = None) -> TitleKind:
    """Tell a unit's own 年报 from the other things a 年报 column lists.

    ``unit_name`` is the site's name (松岭区人民政府). A title naming no unit, or this unit, is
    the unit's report; a title naming another unit is ``other_unit``. ``own_units`` (unit keys)
    is used instead when the site has no usable Chinese name (ad hoc crawls named by host).
    """
    text = to_simplified(title or "")
    year = report_year(text)
    if not _REPORT.search(text) or year is None:
        return TitleKind("not_report", year)
    if re.search(r"解读|图解|一图|读懂|问答", text):
        return TitleKind("interpretation", year)
    if _NOT_REPORT.search(text):
        return TitleKind("not_report", year)
    unit = title_unit(text)
    if not unit:
        return TitleKind("report", year, unit)
    if own_units is not None:
        return TitleKind("report" if unit in own_units else "other_unit", year, unit)
    own = _unit_key(unit_name or "")
    return TitleKind("report" if unit == own else "other_unit", year, unit)


def classify_titles(titles: list[str], unit_name: str | None) -> list[TitleKind]:
    """Classify every title of a 年报 column together.

    When the site's name is no Chinese unit name (an ad hoc crawl named ``host:port``), the
    unit named most often in the report titles is taken to be the site's own unit.
    """
    own_units = None
    if not _has_cjk(_unit_key(unit_name or "")):
        units = Counter(title_unit(t) for t in titles
                        if classify_title(t, None, set()).kind in ("report", "other_unit"))
        units.pop("", None)
        if units:
            top = max(units.values())
            own_units = {u for u, n in units.items() if n == top} | {""}
        else:
            own_units = {""}
    return [classify_title(t, unit_name, own_units) for t in titles]
