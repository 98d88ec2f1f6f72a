"""The 通报 (md, html, docx) shows 预警 in its own part, apart from 问题 and never counted, and
each 年报 finding cites the 条例 text of its report year. Rows go through the real audit."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from docx import Document

from audits.bulletin import write_bulletin
from audits.engine import audit
from crawler.store import Store

SL = "http://www.songling.gov.cn"
AS_OF = date(2026, 4, 10)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("warn")
    store = Store(tmp / "xxgk.db")
    store.upsert_site("songling", "松岭区人民政府", f"{SL}/",
                      config={"annual_reports_since": 2017, "unit_kind": "government"})
    run = store.start_run("crawl")
    store.db["runs"].update(run, {"started_at": "2026-04-05 02:00:00"})
    store.upsert_crawl(run, "songling", status="ok", url=f"{SL}/", entry_url=f"{SL}/xxgk/",
                       home_status="ok")
    store.add_home_items(run, "songling", f"{SL}/", 1, [
        {"url": f"{SL}/xwzx/1.html", "title": "要闻", "list_date": "2026-03-28", "position": 0}])
    for i, (name, note) in enumerate((("机构职能", None), ("人事信息", "暂无信息"), ("规划计划", "暫無數據"))):
        store.upsert_column(run, "songling", f"{SL}/xxgk/c{i}/", name=name, item_count=0, empty_note=note)
    nb = f"{SL}/xxgk/ndbg/"
    store.upsert_column(run, "songling", nb, name="政府信息公开年报", item_count=2)
    items = []
    for n, (year, published) in enumerate(((2019, "2020-04-20"), (2020, "2021-03-20"))):
        url = f"{nb}{year}.html"
        items.append({"url": url, "title": f"松岭区人民政府{year}年政府信息公开工作年度报告",
                      "list_date": published, "position": n})
        store.upsert_document(run, "songling", url, title=items[-1]["title"], column_url=nb,
                              list_date=published, published=published)
    store.add_column_items(run, "songling", nb, items)
    store.finish_run(run, "ok")
    result = audit(store, AS_OF)
    paths = write_bulletin(store, "2026-04", tmp / "out", ("md", "html", "docx"), {"issue_date": "2026-04-12"})
    store.close()
    return result, {p.suffix.lstrip("."): p for p in paths}


def test_audit_findings_and_citations(written):
    result, _ = written
    site = result.sites[0]
    by_check = {}
    for f in site.findings:
        by_check.setdefault(f.check, []).append(f)
    assert len(by_check["column_empty"]) == 3 and site.verdict == "合格"
    assert {f.year for f in by_check["annual_report_missing"]} == {2017, 2018, 2021, 2022, 2023, 2024, 2025}
    for f in by_check["annual_report_missing"]:
        assert ("第三十一条" if f.year <= 2018 else "第四十九条") in f.detail, f
        assert ("第四十九条" if f.year <= 2018 else "第三十一条") not in f.detail, f
    late = by_check["annual_report_late"]
    assert [(f.year, "第四十九条" in f.detail, "2020年3月31日" in f.detail) for f in late] == [(2019, True, True)]
    home, empty = sorted(by_check["veto_warning"], key=lambda f: "栏目空白" in f.detail)
    assert empty.severity == "warn" and "栏目空白" in empty.detail and "空白栏目3个" in empty.detail
    assert empty.url == f"{SL}/xxgk/"
    assert home.severity == "warn" and "首页不更新" in home.detail and "13天" in home.detail
    assert home.url == f"{SL}/" and "homepage_stale" not in by_check
    assert "暂无信息" in next(f.detail for f in by_check["column_empty"] if f.column == "人事信息")


def _sections(text: str) -> dict[str, str]:
    out, current = {}, None
    for line in text.splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            out[current] = ""
        elif current:
            out[current] += line + "\n"
    return out


def test_markdown_shows_warnings_apart_from_problems(written):
    _, paths = written
    md = Path(paths["md"]).read_text(encoding="utf-8")
    sections = _sections(md)
    assert list(sections)[:4] == ["一、总体情况", "二、存在的主要问题", "三、预警情况", "四、整改要求"]
    assert "栏目空白" in sections["三、预警情况"] and "空白栏目3个" in sections["三、预警情况"]
    assert "首页不更新" in sections["三、预警情况"]
    assert "预警" not in sections["二、存在的主要问题"]
    assert "共发现问题" in sections["一、总体情况"] and "予以预警" in sections["一、总体情况"]
    # counted: 3 empty + 7 missing + 1 late + 2 metadata_missing (the bare report rows); no warning
    assert "共发现问题13个" in sections["一、总体情况"]
    assert "第三十一条" in sections["二、存在的主要问题"] and "第四十九条" in sections["二、存在的主要问题"]


def test_html_and_docx_show_the_warning_part(written):
    _, paths = written
    html = Path(paths["html"]).read_text(encoding="utf-8")
    heads = [html.index(f"<h2>{h}</h2>") for h in ("二、存在的主要问题", "三、预警情况", "四、整改要求")]
    assert heads == sorted(heads)
    assert "空白栏目3个" in html[heads[1]:heads[2]] and "空白栏目3个" not in html[heads[0]:heads[1]]
    texts = [p.text for p in Document(str(paths["docx"])).paragraphs]
    start, end = texts.index("三、预警情况"), texts.index("四、整改要求")
    assert any("空白栏目3个" in t for t in texts[start:end])
    assert not any("空白栏目3个" in t for t in texts[:start])
