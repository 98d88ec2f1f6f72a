"""The Word 通报: opens with python-docx and follows GB/T 9704 as far as python-docx allows.

Built from the small two-period database of ``_bulletin_helpers`` (no crawl): November 2026,
three units, one of them 不合格 (five empty columns), one document title carrying ``<script>``.
"""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn

from _bulletin_helpers import SCRIPT_TITLE, write_sample

TITLE = "关于2026年11月全市政府网站信息公开专栏监测情况的通报"


@pytest.fixture(scope="module")
def docx(tmp_path_factory):
    path = write_sample(tmp_path_factory.mktemp("docx"), formats=("docx",))["docx"]
    return Document(str(path))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _east_asia(paragraph) -> set[str]:
    return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs if r.text}


def test_title_opening_and_sections(docx):
    texts = _texts(docx)
    assert texts[0] == TITLE
    opening = next(t for t in texts if t.startswith("为深入贯彻落实"))
    assert "《中华人民共和国政府信息公开条例》" in opening and "国办秘函〔2019〕19号" in opening
    assert "2026年11月3日" in opening and opening.endswith("现将有关情况通报如下：")
    headings = ["一、总体情况", "二、存在的主要问题", "三、整改要求"]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "附件1" in texts and "附件2" in texts and "附件3" in texts
    assert any("合格率66.7%" in t for t in texts)
    assert any("已整改2个、未整改1个" in t for t in texts)


def test_unit_table_one_row_per_unit(docx):
    table = docx.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "单位", "网站", "检查栏目数", "问题数", "连通率", "否决项", "结论"]
    assert [r[1] for r in rows[1:]] == ["西山县人民政府", "松岭区人民政府", "北湖区人民政府"]
    assert rows[1][4:] == ["5", "未监测", "栏目空白", "不合格"]   # no probe records in this fixture
    # the header row repeats on every page of a long table
    for t in docx.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_finding_list_holds_scraped_text_as_text(docx):
    cells = [c.text for t in docx.tables[1:] for row in t.rows for c in row.cells]
    assert any(SCRIPT_TITLE in c for c in cells)
    assert "http://www.songling.gov.cn/xxgk/tzgg/1.html" in cells


def test_chart_is_an_inline_picture(docx):
    shapes = list(docx.inline_shapes)
    assert len(shapes) == 1
    blip = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip
    image = docx.part.related_parts[blip.embed]
    assert image.blob.startswith(b"\x89PNG")


def test_a4_pages_and_page_number_field(docx):
    first = docx.sections[0]
    assert round(first.page_width.mm) == 210 and round(first.page_height.mm) == 297
    for section in docx.sections[1:]:   # 附件 pages: A4, portrait or landscape
        assert sorted((round(section.page_width.mm), round(section.page_height.mm))) == [210, 297]
    for footer in (first.footer, first.even_page_footer):
        xml = footer._element.xml
        assert "w:fldChar" in xml
        instr = "".join(el.text for el in footer._element.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"


def test_official_fonts_with_east_asian_slot(docx):
    texts = _texts(docx)
    paras = docx.paragraphs
    assert _east_asia(paras[0]) == {"方正小标宋简体"}
    assert _east_asia(paras[texts.index("一、总体情况")]) == {"黑体"}
    body = next(p for p in paras if p.text.startswith("为深入贯彻落实"))
    assert _east_asia(body) == {"仿宋_GB2312"}
    assert body.runs[0].font.size.pt == 16   # 3号
    assert paras[0].runs[0].font.size.pt == 22   # 2号
    normal = docx.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
