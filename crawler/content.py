"""The main text of an article page as plain text (pure: html in, str out).

Used for 年报 pages, whose figures the report checks read, and for people inspecting a page.
Strategy, in order:

1. Drop what is never body text: comments, scripts, styles, forms, iframes, ``nav``/
   ``header``/``footer`` elements and share/QR/print widgets (by id/class).
2. Take the first known content container of the big CMS families (TRS ``.TRS_Editor``,
   gov.cn ``#UCAP-CONTENT``, Hanweb ``#zoom``, Shanghai ``#ivs_content``, …) that holds real,
   mostly non-link text.
3. Otherwise take the densest text block: every text run (outside links) scores its
   paragraph's parent in full and the grandparent by half, as readability does; the top
   scorer wins, which lands on the paragraphs' container rather than on ``<body>``.

Inside the chosen container a small metadata table (索引号/发布机构/… — the 目录 block some
templates put inside the article) is removed, since it is not body text and the metadata
extractor reads it anyway. Table rows become one line with cells joined by `` | `` (the format
``crawler/simulator/reports.py`` writes and the report checks parse), so 年报 figures survive.
Lines made only of page furniture (扫一扫在手机打开当前页, 【字体：大 中 小】, 打印本页, 关闭窗口,
分享到…, 相关词条…) are dropped.
"""

from __future__ import annotations

import re

from lxml import etree

from crawler.metadata import LABELS, parse_tree
from crawler.text import compact_label, squeeze

CONTENT_SELECTORS = (
    "#UCAP-CONTENT", "#zoom", ".TRS_Editor", "#ivs_content", ".Article_content", ".article-content",
    ".article_content", "div.xxgk_content", ".pages_content", "#content", ".article-body",
    ".main-txt", ".content", "article",
)
_DROP_TAGS = ("iframe", "form", "select", "button", "input", "textarea", "nav", "header", "footer",
              "canvas", "svg", "object", "embed", "audio", "video", "map", "head")
_WIDGET = re.compile(r"(?:^|[\s_-])(?:bdshare\w*|share\w*|jiathis\w*|qr\w*|erweima|print\w*|"
                     r"breadcrumb|crumbs?|fontsize|font-size|zoom-?bar|toolbar)(?:$|[\s_-])", re.I)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd div dl dt fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr li main ol p pre section table tbody tfoot thead td th ul br".split())

# Furniture words: a line made only of these (and brackets/punctuation) is dropped.
_FURNITURE = re.compile(
    r"扫一扫在手机打开当前页|扫一扫在手机上查看当前页面|打印本页|打印此页|关闭窗口|关闭本页|打印|关闭|收藏|"
    r"分享到|分享|字体|字号|大中小|放大|缩小|正常|默认|返回顶部|顶部|返回|微信|微博|QQ空间|保存本页|"
    r"[【】\[\]()（）:：|｜/、,，\s]")
_FURNITURE_PREFIX = re.compile(r"^\s*(相关词条|相关链接|相关文章|上一篇|下一篇|分享到|责任编辑)\s*[:：]?")


def _class_id(el) -> str:
    return f"{el.get('id') or ''} {el.get('class') or ''}"


def _clean_tree(html):
    """Parse and strip the tags that are never body text (see module docstring)."""
    root = parse_tree(html)
    if root is None:
        return None
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    return root


def _drop_widgets(container) -> None:
    """Remove small share/QR/print/font-size widgets; only small ones, because a wrapper such
    as shanxi.gov.cn's ``common-detail-page-printer`` holds the whole article."""
    for el in list(container.iter()):
        if (isinstance(el.tag, str) and el is not container and el.getparent() is not None
                and _WIDGET.search(_class_id(el)) and len(squeeze(el.text_content())) <= 80):
            el.drop_tree()


def _link_density(el) -> float:
    text = len(squeeze(el.text_content()))
    links = sum(len(squeeze(a.text_content())) for a in el.iter("a"))
    return links / text if text else 1.0


def _container(root):
    """The known content container with real text, else the densest text block."""
    for selector in CONTENT_SELECTORS:
        try:
            found = root.cssselect(selector)
        except Exception:  # cssselect missing or odd markup: fall through to density
            found = []
        found = [el for el in found
                 if len(squeeze(el.text_content())) >= 10 and _link_density(el) < 0.5]
        if found:
            return max(found, key=lambda el: len(squeeze(el.text_content())))
    scores: dict = {}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag == "a" or next(el.iterancestors("a"), None) is not None:
            continue
        length = len(squeeze(el.text or ""))
        if length < 10:
            continue
        parent = el.getparent()
        for node, weight in ((parent, 1.0), (parent.getparent() if parent is not None else None, 0.5)):
            if node is not None:
                scores[node] = scores.get(node, 0.0) + weight * length
    if not scores:
        return root
    return max(scores, key=scores.get)


def _drop_metadata_blocks(container) -> None:
    """Remove a small 目录 metadata table/list (≥3 metadata labels, short) inside the body."""
    for el in list(container.iter("table", "dl", "ul")):
        if el.getparent() is None:
            continue
        text = el.text_content()
        if len(squeeze(text)) > 600:
            continue
        cells = {compact_label(c.text_content().split(":")[0].split("：")[0])
                 for c in el.iter("td", "th", "dt", "li", "p", "span")}
        if len(cells & set(LABELS)) >= 3:
            el.getparent().remove(el)


_CELL_SEP = "\ue000"  # joins cells until lines are squeezed (a private-use char is no space)


def _row_line(tr) -> str:
    """One table row: cell texts (their paragraphs joined by a space) separated by the marker."""
    cells = [" ".join(line for line in _render(td) if line)
             for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")]
    return _CELL_SEP.join(cells) if any(cells) else ""


def _render(container) -> list[str]:
    """Lines of text: one per block, a table row as one `` | `` line (unless it nests tables)."""
    parts: list[str] = []
    walker = etree.iterwalk(container, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):
            continue
        if event == "start":
            if el.tag == "tr" and next(el.iter("table"), None) is None:
                parts.extend(("\n", _row_line(tr=el), "\n"))
                walker.skip_subtree()
                parts.append(el.tail or "")
                continue
            if el.tag in _BLOCK_TAGS:
                parts.append("\n")
            parts.append(el.text or "")
        else:
            if el.tag == "tr" and next(el.iter("table"), None) is None:
                continue  # already written (skip_subtree still reports 'end')
            if el.tag in _BLOCK_TAGS:
                parts.append("\n")
            if el is not container:
                parts.append(el.tail or "")
    return [squeeze(line).replace(_CELL_SEP, " | ") for line in "".join(parts).split("\n")]


_FONT_SIZES = re.compile(r"[大中小超默认标准特]")


def _is_furniture(line: str) -> bool:
    """A line of page furniture: only widget words, or a 字体/字号 switcher (【字体：大 中 小】)."""
    if _FURNITURE_PREFIX.match(line):
        return True
    rest = _FURNITURE.sub("", line)
    return not rest or (re.search("字[体号]", line) is not None and not _FONT_SIZES.sub("", rest))


def main_text(html: str | bytes | None) -> str:
    """The body text of an article page, one paragraph (or table row) per line; '' if none."""
    root = _clean_tree(html)
    if root is None:
        return ""
    try:
        container = _container(root)
        _drop_widgets(container)
        _drop_metadata_blocks(container)
        lines = _render(container)
    except (RecursionError, ValueError):
        return ""
    return "\n".join(line for line in lines if line and not _is_furniture(line))
