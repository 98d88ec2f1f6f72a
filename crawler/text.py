"""Text normalisation shared by every extractor: 繁→简, whitespace, empty markers, dates.

Pure functions only. Portals mix traditional and simplified characters, full-width and
half-width punctuation, ideographic spaces inside labels ("索　引　号") and a dozen date
spellings; everything downstream (labels, audits, bulletins) relies on this module having
folded those variants into one canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")

# Characters that pad labels and values on real pages: ideographic space, NBSP, zero-width.
_SPACES = re.compile(r"[\s\u00a0\u3000\u2002-\u200b\ufeff]+")

#: Values that portals print when a field has no value. Compared after normalisation.
EMPTY_MARKERS = frozenset({"", "无", "暂无", "—", "——", "-", "--", "/", "空", "null", "none", "n/a", "无文号", "见正文",
                           "―", "–", "(无)", "//"})


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified with OpenCC (t2s); cached, labels repeat a lot."""
    return _T2S.convert(text) if text else text


def squeeze(text: str | None) -> str:
    """Collapse every kind of whitespace (incl. U+3000, NBSP) to one space and trim."""
    if not text:
        return ""
    return _SPACES.sub(" ", text).strip()


def clean(text: str | None) -> str | None:
    """Normalise a scraped value: 简体, squeezed whitespace; None for empty markers like 无 or —."""
    value = to_simplified(squeeze(text))
    value = value.strip(" :：;；,，")
    # NFKC so full-width markers (／, －, （无）) count as empty too.
    if unicodedata.normalize("NFKC", value).lower() in EMPTY_MARKERS:
        return None
    return value


def compact_label(text: str | None) -> str:
    """A label as a lookup key: 简体, no spaces at all (so 索 引 号 / 标　　题 match), no colon."""
    value = to_simplified(_SPACES.sub("", text or ""))
    value = unicodedata.normalize("NFKC", value)
    return value.strip(":：[]【】<>()（）*·.")


# --- dates --------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4,
              "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_DATE_PATTERNS = [
    # 2019年01月27日, 2019 年 1 月 27 日
    re.compile(r"(?<!\d)(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
    # 2019-01-27, 2019/1/27, 2019.01.27, 2019_01_27
    re.compile(r"(?<!\d)(\d{4})[-/._](\d{1,2})[-/._](\d{1,2})(?!\d)"),
    # 20190127 (only when standing alone)
    re.compile(r"(?<![\d/])(\d{4})(\d{2})(\d{2})(?![\d])"),
]
_CN_DATE = re.compile(r"([〇零○ＯO一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")


def _cn_number(text: str) -> int:
    """二十七 → 27, 十二 → 12, 九 → 9 (the forms used in 公文 dates)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)


def _valid(y: int, m: int, d: int) -> str | None:
    if not 1949 <= y <= 2100:
        return None
    try:
        return date(y, m, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str | None) -> str | None:
    """The first calendar date in ``text`` as ISO ``YYYY-MM-DD``, or None.

    Handles the forms seen on portals: ``2019-01-27``, ``2019/1/27``, ``2019.01.27``,
    ``2019年01月27日``, ``二〇一九年一月二十七日``, ``20190127``; surrounding words and times are
    ignored. Impossible dates (2019-02-30) are None, so callers can tell 'unparseable'.
    """
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text)
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if iso:
                return iso
    match = _CN_DATE.search(text)
    if match:
        year = int("".join(str(_CN_DIGITS[c]) for c in match.group(1)))
        return _valid(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    return None


def has_date_shape(text: str | None) -> bool:
    """True when ``text`` looks like it tries to be a date (digits and 年/-/), valid or not.

    Lets audits tell an unparseable date ("2019-13-45") from a missing one.
    """
    if not text:
        return False
    return bool(re.search(r"\d{2,4}\s*[-/.年]\s*\d{1,2}", unicodedata.normalize("NFKC", text)))
