"""`xxgk inspect` shows exactly what the extractors see (SPEC `inspect --format json`)."""

from __future__ import annotations

import json
from urllib.parse import urljoin

import pytest

from conftest import REALPAGES, SEED_REPORTS, require_shared


def _expected() -> dict:
    path = REALPAGES / "expected.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"detail": {}, "list": {}}


@pytest.mark.parametrize("name", sorted(_expected()["detail"]) or ["(no shared)"])
def test_inspect_detail_page_prints_the_hand_checked_values(name, xxgk):
    require_shared(REALPAGES)
    expected = _expected()["detail"][name]
    proc = xxgk("inspect", str(REALPAGES / name), "--format", "json", check=True)
    result = json.loads(proc.stdout)
    assert result["kind"] == "detail"
    assert set(result["metadata"]) >= {"title", "index_no", "publisher", "published", "written",
                                       "doc_no", "topic"}
    for field, value in expected.items():
        assert result["metadata"][field] == value, field
    assert result["report"] is None


@pytest.mark.parametrize("name", sorted(_expected()["list"]) or ["(no shared)"])
def test_inspect_list_page_shows_items_and_next_pages(name, xxgk):
    require_shared(REALPAGES)
    expected = _expected()["list"][name]
    proc = xxgk("inspect", str(REALPAGES / name), "--format", "json", check=True)
    result = json.loads(proc.stdout)
    assert result["kind"] == "list"
    assert result["page_count"] == expected["page_count"]
    page_url = (REALPAGES / name).resolve().as_uri()
    assert result["next_pages"][0] == urljoin(page_url, expected["next_page"])
    if "total_records" in expected:
        assert result["total_records"] == expected["total_records"]
    if "items_on_page" in expected:
        assert len(result["items"]) == expected["items_on_page"]
        first = expected["first_item"]
        assert result["items"][0] == {"url": urljoin(page_url, first["href"]),
                                      "title": first["title"], "date": first["date"]}


def test_inspect_plain_text_report_lists_its_problems(xxgk):
    require_shared(SEED_REPORTS)
    proc = xxgk("inspect", str(SEED_REPORTS / "songling-2018.txt"), "--format", "json", check=True)
    result = json.loads(proc.stdout)
    assert result["kind"] == "annual_report"
    assert result["title"] == "2018年松岭区政府信息公开工作年度报告"
    assert result["report"]["year"] == 2018
    problems = result["report"]["problems"]
    assert problems and all(p["check"] == "annual_report_inconsistent" and p["detail"] for p in problems)


def test_inspect_text_format_is_readable(xxgk):
    require_shared(REALPAGES)
    proc = xxgk("inspect", str(REALPAGES / "hebei-handan-trs-detail.html"), check=True)
    assert "详情页" in proc.stdout and "000014348/2020-35147" in proc.stdout and "邯郸市教育局" in proc.stdout


def test_inspect_missing_file_is_one_line_error(xxgk):
    proc = xxgk("inspect", "/nonexistent/page.html")
    assert proc.returncode == 1
    assert "找不到文件" in proc.stderr and "Traceback" not in proc.stderr


def test_saved_page_is_inspected_at_its_original_address(xxgk):
    """A browser-saved page ("saved from url=…") resolves links against the live address, so
    the portal's own columns are found rather than dismissed as external."""
    require_shared(REALPAGES)
    proc = xxgk("inspect", str(REALPAGES / "hebei-handan-trs-xxgk-home.html"), "--format", "json",
                check=True)
    result = json.loads(proc.stdout)
    assert result["url"] == "http://hdzfxxgk.hd.gov.cn/"
    assert result["kind"] == "directory"
    names = [c["name"] for c in result["columns"]]
    assert {"政府信息公开指南", "法定主动公开内容", "政府信息公开年报"} <= set(names)


def test_base_url_option_overrides_the_file_address(xxgk, tmp_path):
    page = tmp_path / "list.html"
    page.write_text('<ul><li><a href="./202401/t20240105_1.html">通知一</a><span>2024-01-05</span></li>'
                    '<li><a href="./202401/t20240106_2.html">通知二</a><span>2024-01-06</span></li></ul>',
                    encoding="utf-8")
    proc = xxgk("inspect", str(page), "--base-url", "http://www.example.gov.cn/xxgk/tzgg/",
                "--format", "json", check=True)
    items = json.loads(proc.stdout)["items"]
    assert [i["url"] for i in items] == ["http://www.example.gov.cn/xxgk/tzgg/202401/t20240105_1.html",
                                         "http://www.example.gov.cn/xxgk/tzgg/202401/t20240106_2.html"]
