"""索引号 validity (目录指引 国办秘函〔2009〕6号): every real variant accepted, each bad form rejected."""

from __future__ import annotations

from datetime import date

import pytest

from _audit_helpers import RULES, column, document, site
from audits import index_no
from audits.checks import metadata

AS_OF = date(2026, 11, 21)
ZC = "http://songling.test/xxgk/zcwj/"


@pytest.mark.parametrize("value", [
    "11441700007280420Y/2021-00050",     # 18-char 统一社会信用代码, YYYY, 5-digit serial
    "0142768-8/2022-00185",              # org code with its own hyphen before the check char
    "01527918-X/2022-0185",              # 8 + "-" + check char, 4-digit serial
    "11341702486344515H/202110-00013",   # YYYYMM
    "01527918X-2020-153077",             # dash-only, 6-digit serial
    "000000000-2019-03726",              # dash-only, all-zero code
    "１１４４１７００００７２８０４２０Ｙ/2021-00050",   # full-width
    "11441700 007280420Y / 2021-00050",  # spaces
    "114417000072804200/1990-0001",      # numeric 18-char code, first year
    "11441700007280420Y/202611-000001",  # the as-of month
])
def test_real_variants_are_accepted(value):
    assert index_no.problem(value, AS_OF) is None


@pytest.mark.parametrize("value,why", [
    ("待定", "占位符"), ("{$index}", "占位符"), ("暂无", "占位符"), ("<!--index-->", "占位符"),
    ("11441700007280420Y/2021-050", "4至6位"), ("11441700007280420Y/2021-0000050", "4至6位"),
    ("11441700007280420Y/1989-00050", "1990"), ("11441700007280420Y/2027-00050", "1990"),
    ("11441700007280420Y/202612-00050", "1990"), ("11441700007280420Y/202113-00050", "月份"),
    ("2021-00050", "格式"), ("ABC123", "格式"), ("11441700007280420Y/21-00050", "格式"),
    ("11441700007280420Y/2021", "格式"), ("松岭区/2021-00001", "格式"), ("1144170/2021-00050", "格式"),
    ("330100000000/2021-00012", "机构代码"),       # a long numeric code the site does not use consistently
])
def test_bad_forms_are_rejected(value, why):
    found = index_no.problem(value, AS_OF)
    assert found and why in found and value in found


def test_a_long_provincial_code_is_accepted_when_the_site_uses_it_consistently():
    values = [f"330100000000/2021-{n:05d}" for n in range(1, 5)] + ["11441700007280420Y/2021-00050"]
    codes = index_no.site_codes(values)
    assert codes == {"330100000000"}
    assert index_no.problem(values[0], AS_OF, codes) is None
    assert index_no.site_codes(values[:2] + values[4:]) == frozenset()      # two uses: not a habit


def test_shanghai_suoquhao_is_accepted_on_a_site_that_uses_it():
    # shanghai-wsjkw-detail-suoquhao-CLONE.html (../shared/realpages): 索取号 076478684Q/2024-00112
    values = ["076478684Q/2024-00112", "076478684Q/2024-00113", "076478684Q/2023-00981"]
    codes = index_no.site_codes(values)
    assert codes == {"076478684Q"} and index_no.problem(values[0], AS_OF, codes) is None
    assert "机构代码" in index_no.problem(values[0], AS_OF)   # alone, it fits no national shape


def test_metadata_check_uses_the_sites_consistent_code():
    docs = [document(f"{ZC}{n}.html", index_no=f"330100000000/2021-{n:05d}") for n in range(1, 4)]
    assert metadata.check(site(columns=[column("政策文件", ZC, "2026-03-01", 3)], documents=docs),
                          RULES, AS_OF) == []
    one = site(columns=[column("政策文件", ZC, "2026-03-01", 1)], documents=docs[:1])
    assert [f.check for f in metadata.check(one, RULES, AS_OF)] == ["metadata_invalid"]
