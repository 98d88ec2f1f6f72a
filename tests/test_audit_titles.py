"""年报 title classification: the unit's own report vs interpretations, news, other units."""

from __future__ import annotations

import pytest

from audits.titles import classify_title, classify_titles, report_year

UNIT = "松岭区人民政府"


@pytest.mark.parametrize("title,kind,year", [
    ("松岭区人民政府2019年政府信息公开工作年度报告", "report", 2019),
    ("2019年松岭区政府信息公开工作年度报告", "report", 2019),
    ("2020年度政府信息公开工作报告", "report", 2020),
    ("二〇一八年政府信息公开年报", "report", 2018),
    ("松嶺區人民政府2021年政府資訊公開工作年度報告", "report", 2021),
    ("《松岭区2019年政府信息公开工作年度报告》解读", "interpretation", 2019),
    ("图解：2022年政府信息公开工作年度报告", "interpretation", 2022),
    ("关于报送2019年政府信息公开工作年度报告的通知", "not_report", 2019),
    ("我区召开政务公开工作推进会", "not_report", None),
    ("松岭区教育局2019年政府信息公开工作年度报告", "other_unit", 2019),
])
def test_classify_title(title, kind, year):
    result = classify_title(title, UNIT)
    assert (result.kind, result.year) == (kind, year)


def test_report_year_of_plain_titles():
    assert report_year("2016年度信息公开年报") == 2016
    assert report_year("信息公开年报") is None


def test_host_named_site_takes_the_most_named_unit_as_its_own():
    titles = ["甲县2019年政府信息公开工作年度报告", "甲县2020年政府信息公开工作年度报告",
              "乙局2020年政府信息公开工作年度报告", "2021年政府信息公开工作年度报告"]
    kinds = [k.kind for k in classify_titles(titles, "127.0.0.1:8081")]
    assert kinds == ["report", "report", "other_unit", "report"]
