"""crawler/text.py: the normalisation every extractor relies on (dates, labels, empty markers)."""

import pytest

from crawler.text import clean, compact_label, has_date_shape, parse_date, squeeze, to_simplified


@pytest.mark.parametrize("text, iso", [
    ("2019-01-27", "2019-01-27"),
    ("2019/1/27", "2019-01-27"),
    ("2019.01.27", "2019-01-27"),
    ("2019_01_27", "2019-01-27"),
    ("2019年01月27日", "2019-01-27"),
    ("2019 年 1 月 27 日", "2019-01-27"),
    ("2019年1月27", "2019-01-27"),
    ("20190127", "2019-01-27"),
    ("二〇一九年一月二十七日", "2019-01-27"),
    ("二零二零年十二月三十一日", "2020-12-31"),
    ("二○一八年十月十日", "2018-10-10"),
    ("一九九六年六月二十九日", "1996-06-29"),
    ("２０１９－０２－１５", "2019-02-15"),               # full-width digits and dash
    ("发布时间：2024-10-21 12:51", "2024-10-21"),       # words and a time around it
    ("2007-08-20-23:59:59", "2007-08-20"),              # gov.cn firstpublishedtime
    ("2024-05-11 12:51:44_194", "2024-05-11"),
])
def test_parse_date_formats(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", [
    "2019-13-45", "2019-02-30", "2019年2月30日", "二〇一九年二月三十日", "1900-01-01", "2200-01-01",
    "", None, "无", "—", "第707号", "国发〔2019〕5号", "2019年", "0142768-8/2022-00185",
])
def test_parse_date_rejects_impossible_or_absent_dates(text):
    assert parse_date(text) is None


def test_parse_date_skips_an_impossible_date_for_a_later_valid_one():
    assert parse_date("2019-02-30 或 2019-03-01") == "2019-03-01"


def test_has_date_shape_tells_unparseable_from_missing():
    assert has_date_shape("2019-13-45") and parse_date("2019-13-45") is None
    assert has_date_shape("2019年13月")
    assert not has_date_shape("无")
    assert not has_date_shape("")
    assert not has_date_shape(None)


@pytest.mark.parametrize("marker", ["", "  ", "无", "暂无", "—", "——", "-", "--", "/", "／", "－", "（无）",
                                    "NULL", "None", "n/a", "无文号", "\u3000无\u3000", "无："])
def test_clean_turns_empty_markers_into_none(marker):
    assert clean(marker) is None


def test_clean_trims_squeezes_and_simplifies():
    assert clean("\u3000國務院辦公廳\u00a0") == "国务院办公厅"
    assert clean(" 邯郸市 \n 教育局 ：") == "邯郸市 教育局"
    assert clean("国发〔2019〕5号") == "国发〔2019〕5号"
    assert clean(None) is None


@pytest.mark.parametrize("label, key", [
    ("索 引 号：", "索引号"),
    ("标\u3000\u3000题：", "标题"),
    ("索引號", "索引号"),
    ("發布機構:", "发布机构"),
    ("主題分類", "主题分类"),
    ("文\u00a0号", "文号"),
    ("【发布日期】", "发布日期"),
    ("发布日期 :", "发布日期"),
])
def test_compact_label(label, key):
    assert compact_label(label) == key


def test_squeeze_and_to_simplified():
    assert squeeze(" a\u3000\u3000b\u00a0\u200bc \n") == "a b c"
    assert squeeze(None) == ""
    assert to_simplified("發布日期") == "发布日期"
    assert to_simplified("") == ""
