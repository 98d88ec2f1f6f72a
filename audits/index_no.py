"""索引号 validity (《政府信息公开目录系统实施指引（试行）》国办秘函〔2009〕6号), pure.

The shape is organisation code + "/" + year + "-" + serial. Accepted real variants (SPEC,
docs/checks.md): a 9-char 组织机构代码 or an 18-char 统一社会信用代码, with or without the code's
own hyphen before its check character (``0142768-8``, ``01527918-X``); the year ``YYYY`` or
``YYYYMM``; a serial of 4–6 digits; the dash-only form (``01527918X-2020-153077``,
``000000000-2019-03726``); and a longer provincial code (a numeric region code, Shanghai's
索取号 ``076478684Q/2024-00112``) when the site uses that same code consistently (≥3
documents and at least half of the site's 索引号). Flagged: anything
fitting none of these, placeholders ("待定", "{$index}", "暂无"), years outside 1990…as-of.
Values are compared after NFKC (full-width → ASCII), without spaces, upper case.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date

FIRST_YEAR = 1990
_CODE = r"[0-9A-Z]{17}-?[0-9A-Z]|[0-9A-Z]{8}-?[0-9A-Z]|[0-9]{7}-[0-9A-Z]|[0-9A-Z]{10,24}"
_SHAPE = re.compile(rf"^(?P<code>{_CODE})[/-](?P<year>\d{{4}})(?P<month>\d{{2}})?-(?P<serial>\d{{4,6}})$")
_LOOSE = re.compile(r"^(?P<code>[0-9A-Z-]+?)[/-](?P<year>\d{4})(?P<month>\d{2})?-(?P<serial>\d+)$")
_PLACEHOLDER = re.compile(r"[{}$<>]|待定|暂无|待编|未编|待生成|^[-—_.*xX]+$|^0+$")
CONSISTENT_MIN = 3


def normalise(value: str | None) -> str:
    """索引号 as compared: NFKC (full-width → ASCII), no spaces, upper case."""
    return "".join(unicodedata.normalize("NFKC", value or "").split()).upper()


def _provincial(code: str) -> bool:
    """A code of neither national length (9 / 18 characters, or 8 + "-" + check)."""
    return "-" not in code and len(code) not in (9, 18)


def site_codes(values) -> frozenset[str]:
    """Provincial organisation codes (not 9/18 chars) a site uses consistently: in at least
    ``CONSISTENT_MIN`` 索引号 and at least half of the well-formed ones."""
    codes = Counter()
    total = 0
    for value in values:
        m = _SHAPE.match(normalise(value))
        if not m:
            continue
        total += 1
        code = m.group("code")
        if _provincial(code):
            codes[code] += 1
    return frozenset(c for c, n in codes.items() if n >= CONSISTENT_MIN and 2 * n >= total)


def problem(value: str | None, as_of: date, consistent: frozenset[str] = frozenset()) -> str | None:
    """Why ``value`` is no valid 索引号 (a Chinese phrase), or None when it is valid/absent."""
    raw = (value or "").strip()
    if not raw:
        return None
    text = normalise(raw)
    if _PLACEHOLDER.search(text):
        return f"索引号“{raw}”是占位符，未编制索引号"
    m = _SHAPE.match(text)
    if not m:
        loose = _LOOSE.match(text)
        if loose and not 4 <= len(loose.group("serial")) <= 6:
            return f"索引号“{raw}”顺序号应为4至6位数字"
        return f"索引号“{raw}”格式不符合《政府信息公开目录系统实施指引》（应为机构代码/年份-顺序号）"
    code = m.group("code")
    if _provincial(code) and code not in consistent:
        return (f"索引号“{raw}”的机构代码应为9位组织机构代码或18位统一社会信用代码"
                f"（{len(code)}位代码未在本站统一使用）")
    year = int(m.group("year"))
    month = int(m.group("month")) if m.group("month") else None
    if month is not None and not 1 <= month <= 12:
        return f"索引号“{raw}”中的年月{m.group('year')}{m.group('month')}不是有效月份"
    if not FIRST_YEAR <= year <= as_of.year or (month and (year, month) > (as_of.year, as_of.month)):
        return f"索引号“{raw}”中的年份{year}不在{FIRST_YEAR}年至检查日之间"
    return None
