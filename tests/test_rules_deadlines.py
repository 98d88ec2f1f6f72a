"""年报 deadlines by the kind of unit (条例2019 第四十九条; 条例2007 第三十一条 for years ≤ 2018),
the last due year of each kind, the name → unit_kind guess, and citations by report year."""

from __future__ import annotations

import pytest

from _audit_helpers import RULES, column, d, document, item, site
from audits.checks import annual_reports
from crawler.seeds import SeedsError, guess_unit_kind, parse_seeds

NB = "http://songling.test/xxgk/ndbg/"
NEW = "第四十九条"
OLD = "第三十一条"


def _site(kind: str | None, year: int, published: str, name: str = "松岭区人民政府", **config):
    url = f"{NB}{year}.html"
    cfg = {"annual_reports_since": year, **config}
    if kind:
        cfg["unit_kind"] = kind
    return site(columns=[column("政府信息公开年报", NB, None, 1)],
                items=[item(NB, url, f"{name}{year}年政府信息公开工作年度报告", published)],
                documents=[document(url, column_url=NB, published=published, list_date=published)],
                config=cfg, name=name)


# report year 2019: department and township by 1月31日, government by 3月31日;
# report year 2018: everyone by 3月31日 (2007 条例).
@pytest.mark.parametrize("kind", ["department", "government", "township"])
@pytest.mark.parametrize("year,published,late", [
    (2019, "01-31", {"department": False, "government": False, "township": False}),
    (2019, "02-01", {"department": True, "government": False, "township": True}),
    (2019, "03-31", {"department": True, "government": False, "township": True}),
    (2019, "04-01", {"department": True, "government": True, "township": True}),
    (2018, "01-31", {"department": False, "government": False, "township": False}),
    (2018, "02-01", {"department": False, "government": False, "township": False}),
    (2018, "03-31", {"department": False, "government": False, "township": False}),
    (2018, "04-01", {"department": True, "government": True, "township": True}),
])
def test_late_by_kind_and_report_year(kind, year, published, late):
    day = f"{year + 1}-{published}"
    found = annual_reports.check(_site(kind, year, day), RULES, d(f"{year + 1}-12-31"))
    assert [f.check for f in found] == (["annual_report_late"] if late[kind] else [])
    if late[kind]:
        assert found[0].year == year and day in found[0].detail
        assert (OLD if year <= 2018 else NEW) in found[0].detail
        assert (NEW if year <= 2018 else OLD) not in found[0].detail


@pytest.mark.parametrize("as_of,due", [
    ("2026-01-31", {"department": 2024, "government": 2024, "township": 2024}),
    ("2026-02-01", {"department": 2025, "government": 2024, "township": 2025}),
    ("2026-03-31", {"department": 2025, "government": 2024, "township": 2025}),
    ("2026-04-01", {"department": 2025, "government": 2025, "township": 2025}),
    # years ≤ 2018: 3月31日 for every kind
    ("2019-02-01", {"department": 2017, "government": 2017, "township": 2017}),
    ("2019-04-01", {"department": 2018, "government": 2018, "township": 2018}),
    ("2020-02-01", {"department": 2019, "government": 2018, "township": 2019}),
])
@pytest.mark.parametrize("kind", ["department", "government", "township"])
def test_last_due_year_by_kind(as_of, due, kind):
    assert RULES.last_due_year(d(as_of), kind) == due[kind]


def test_township_deadline_is_configurable():
    assert RULES.last_due_year(d("2026-03-01"), "township", (3, 15)) == 2024
    assert RULES.last_due_year(d("2026-03-16"), "township", (3, 15)) == 2025
    found = annual_reports.check(_site("township", 2023, "2024-03-10", name="高岳街道办事处",
                                       township_deadline=[3, 15]), RULES, d("2024-12-31"))
    assert found == []
    found = annual_reports.check(_site("township", 2023, "2024-03-16", name="高岳街道办事处",
                                       township_deadline=[3, 15]), RULES, d("2024-12-31"))
    assert [f.check for f in found] == ["annual_report_late"] and "2024年3月15日" in found[0].detail


def test_missing_report_cites_the_text_of_its_year_and_the_units_deadline():
    s = site(columns=[column("政府信息公开年报", NB, None, 0)],
             config={"annual_reports_since": 2017, "unit_kind": "government"})
    found = {f.year: f.detail for f in annual_reports.check(s, RULES, d("2020-04-01"))}
    assert sorted(found) == [2017, 2018, 2019]
    assert OLD in found[2017] and OLD in found[2018] and NEW not in found[2018]
    assert NEW in found[2019] and "2020年3月31日" in found[2019] and "本级人民政府" in found[2019]


def test_unit_kind_guessed_from_the_name_when_absent():
    gov = _site(None, 2023, "2024-02-20")                        # 松岭区人民政府: 3月31日
    assert annual_reports.check(gov, RULES, d("2024-12-31")) == []
    dept = _site(None, 2023, "2024-02-20", name="松岭区财政局")   # a department: 1月31日
    assert [f.check for f in annual_reports.check(dept, RULES, d("2024-12-31"))] == ["annual_report_late"]


@pytest.mark.parametrize("name,kind", [
    ("松岭区人民政府", "government"), ("青川县人民政府", "government"), ("某某市人民政府", "government"),
    ("内蒙古自治区人民政府", "government"), ("延边朝鲜族自治州人民政府", "government"),
    ("鄂托克旗人民政府", "government"), ("阿拉善盟人民政府", "government"),
    ("高岳街道办事处", "township"), ("白水镇人民政府", "township"), ("某某乡人民政府", "township"),
    ("松岭区财政局", "department"), ("合肥新站高新区管委会", "department"),
    ("松岭区人民政府办公室", "department"), ("松岭区乡村振兴局", "department"), (None, "department"),
])
def test_guess_unit_kind(name, kind):
    assert guess_unit_kind(name) == kind


def test_seeds_unit_kind_and_township_deadline():
    seeds = parse_seeds({"township_report_deadline": "02-28",
                         "portals": [{"id": "a", "url": "http://a.test/", "unit_kind": "township"},
                                     {"id": "b", "url": "http://b.test/"}]})
    assert seeds.portals[0].as_config()["unit_kind"] == "township"
    assert seeds.portals[0].as_config()["township_deadline"] == [2, 28]
    assert "unit_kind" not in seeds.portals[1].as_config()      # guessed from the name at audit time
    with pytest.raises(SeedsError, match="unit_kind"):
        parse_seeds({"portals": [{"id": "a", "url": "http://a.test/", "unit_kind": "county"}]})
    with pytest.raises(SeedsError, match="township_report_deadline"):
        parse_seeds({"township_report_deadline": "13-01", "portals": [{"id": "a", "url": "http://a.test/"}]})
