"""The HTML 通报: a standalone page (inline CSS, embedded chart) that parses, holds the same
figures as the Markdown, and shows scraped ``<script>`` as text."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import lxml.html
import pytest

from _bulletin_helpers import SCRIPT_TITLE, md_section, md_table, write_sample


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    paths = write_sample(tmp_path_factory.mktemp("html"), formats=("md", "html"))
    return {"html": paths["html"].read_text(encoding="utf-8"),
            "md": paths["md"].read_text(encoding="utf-8")}


class _Tags(HTMLParser):
    """Every start tag the standard library's parser sees."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _md_plain(text: str) -> str:
    """Markdown → the text a reader sees: autolinks unwrapped, backslash escapes removed."""
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    return re.sub(r"\\(.)", r"\1", text)


def test_no_script_element_and_script_title_shown_as_text(written):
    parser = _Tags()
    parser.feed(written["html"])
    assert "script" not in {tag for tag, _ in parser.tags}
    assert "&lt;script&gt;alert(" in written["html"]
    page = lxml.html.fromstring(written["html"])
    assert page.xpath("//script") == []
    assert SCRIPT_TITLE in page.text_content()


def test_standalone_inline_css_and_data_uri_chart(written):
    parser = _Tags()
    parser.feed(written["html"])
    tags = [tag for tag, _ in parser.tags]
    assert "style" in tags and "link" not in tags
    images = [attrs for tag, attrs in parser.tags if tag == "img"]
    assert len(images) == 1
    src = images[0]["src"]
    assert src.startswith("data:image/png;base64,")
    assert base64.b64decode(src.split(",", 1)[1]).startswith(b"\x89PNG")
    # nothing to fetch: no attribute points at another file
    assert not [a for _, attrs in parser.tags for k, a in attrs.items()
                if k in ("src", "href") and a and not a.startswith("data:")]


def test_same_figures_as_the_markdown(written):
    page = lxml.html.fromstring(written["html"])
    md = written["md"]
    assert page.findtext(".//title") == md.splitlines()[0].lstrip("# ")
    assert page.findtext(".//h1") == "关于2026年11月全市政府网站信息公开专栏监测情况的通报"
    # 一、总体情况: the same paragraphs (counts, 合格率, 整改情况) in both
    h2 = page.xpath("//h2[text()='一、总体情况']")[0]
    html_paras = []
    for el in h2.itersiblings():
        if el.tag == "h2":
            break
        if el.tag == "p":
            html_paras.append(el.text_content())
    md_paras = [_md_plain(line) for line in md_section(md, "一、总体情况").splitlines()
                if line and not line.startswith("![") and not line.startswith("图1")]
    assert html_paras == md_paras
    assert any("合格率66.7%" in p for p in html_paras)
    # 附件 tables: the same rows
    tables = page.xpath("//table")
    for table, label in zip(tables, ("附件1", "附件2", "附件3")):
        html_rows = [[c.text_content() for c in tr.xpath("./th|./td")] for tr in table.xpath(".//tr")]
        md_rows = [[_md_plain(c) for c in row] for row in md_table(md, label)]
        assert html_rows == md_rows, label
    assert len(tables) == 3


def test_markdown_urls_are_autolinks_and_text_is_escaped(written):
    md = written["md"]
    assert "<http://www.songling.gov.cn/xxgk/tzgg/1.html>" in md
    assert r"\<script\>alert" in md and "<script>" not in md
