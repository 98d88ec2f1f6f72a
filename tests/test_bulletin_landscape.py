"""Wide 附件 tables of the Word 通报 sit on landscape A4 pages with room for their URLs."""

from __future__ import annotations

import docx

from _bulletin_helpers import write_sample


def test_attachment_tables_are_landscape_with_wide_url_columns(tmp_path):
    path = write_sample(tmp_path, formats=("docx",))["docx"]
    document = docx.Document(str(path))
    body = document.sections[0]
    assert (round(body.page_width.mm), round(body.page_height.mm)) == (210, 297)   # 正文 portrait
    attachments = document.sections[1:]
    assert len(attachments) == 3          # 附件1 units, 附件2 problems, 附件3 fixed problems
    for section in attachments:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
        assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    first = attachments[0]
    text_width = first.page_width.mm - first.left_margin.mm - first.right_margin.mm
    for table in document.tables:
        headers = [c.text for c in table.rows[0].cells]
        url_column = next(i for i, h in enumerate(headers) if h in ("网址", "网站"))
        widths = [c.width.mm for c in table.rows[-1].cells]
        assert abs(sum(widths) - text_width) < 1                # the table fills the landscape line
        assert widths[url_column] >= 40                         # a URL has ≥ 40 mm, not a sliver
        assert widths[url_column] > 3 * widths[0]               # far wider than 序号
