"""Label → field extraction from a 政府信息公开 detail page (pure: html in, dict out).

Portals print the 目录 metadata of a document (索引号, 发布机构, 成文日期, …) in a dozen markup
shapes: label/value table cells, a header row of labels over a row of values, ``<p><strong>``
pairs, ``<li>label：value``, span pairs, ``dt/dd``, one cell holding ``label: value``, and free
text with several pairs on one line. Rather than one scraper per shape, the page is flattened
once into *lines* (one per block element, inline markup joined) and every shape reduces to one
of three patterns over those lines:

* a line that is only a label, whose value is the next line when that line belongs to the
  label's next sibling element (td/td, th/td, dt/dd, div/div);
* a line holding one or more ``label：value`` pairs (full- or half-width colon);
* a header-row table, handled before flattening because its pairing is by column.

Every pair becomes a candidate; ``_pick`` then chooses per field by (label specificity, form,
position). Decisions a person might question, and why:

* ``来源``/``信息来源``/``文章来源`` fill ``publisher`` only when no specific label (发布机构,
  发文机关, …) has a value: on news-style pages 来源 often names a newspaper (山西日报), but on
  small county portals it is the only organisation the page shows.
* ``发文时间`` is read as ``written``: 发文 is the act of issuing the 公文 (like 发文日期), not
  of putting it on the website. Plain ``日期``/``时间`` are a low-rank ``published``.
* ``published`` falls back to ``<meta name="PubDate">``/``firstpublishedtime``/``publishdate``
  when no visible label gives a date; ``raw`` then carries ``meta:<name>`` so audits can see
  that the date is only in the page head. ``written`` never comes from meta.
* ``title``: a 标题/名称 label, else ``<meta name="ArticleTitle">``, else a heading that agrees
  with ``<title>``, else an ``h1``/article-title element (``#ivs_title``, ``.Article-title``),
  else ``<title>`` without its site suffix (cut at the first ``_`` or the last `` - ``; never
  at a bare ``-``, which titles such as "1-10月…" contain). Many CMSs put the column name in
  ``<title>``, and a linked ``h1`` is the site logo, hence this order.
* An empty value (``无``, ``—``, blank cell) never blocks a lower-ranked non-empty candidate.
* A labelled block (a pair alone in its cell/paragraph, or a table) beats free text (a line
  with several pairs); within the same rank the first occurrence wins.
* Commented-out markup is dropped before anything is read: TRS templates comment out fields
  (``<!--<p><strong>成文日期</strong>：…-->``) whose values are stale decoys.
"""

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

from crawler.text import clean, compact_label, parse_date, squeeze

FIELDS = ("title", "index_no", "publisher", "published", "written", "doc_no", "topic")
DATE_FIELDS = ("published", "written")

#: compact label → (field, rank). Rank 0 = the specific label; rank 1 = a generic fallback.
LABELS: dict[str, tuple[str, int]] = {}
for _field, _rank, _names in [
    ("index_no", 0, "索引号 索取号 信息索引号 索引编号"),
    ("publisher", 0, "发布机构 发文机关 发文单位 发布单位 信息来源机构 公开责任部门 发布机关 来源机构 "
                     "发文机构 发布部门 制发机关"),
    ("publisher", 1, "来源 信息来源 文章来源"),
    ("written", 0, "成文日期 发文日期 生成日期 印发日期 制发日期 成文时间 发文时间 生成时间"),
    ("published", 0, "发布日期 发布时间 公开日期 公开时间 发表日期 发表时间 信息发布日期"),
    ("published", 1, "日期 时间"),
    ("doc_no", 0, "文号 发文字号 文件编号 发文文号 文件文号 发文编号"),
    ("topic", 0, "主题分类 主题类别"),
    ("topic", 1, "分类 信息分类"),
    ("title", 0, "标题 名称 文件名称 信息名称 文件标题 公文标题"),
]:
    for _name in _names.split():
        LABELS[_name] = (_field, _rank)

#: Labels that carry no field but must be recognised, so that they end the previous value
#: ("新闻办浏览次数：") and land in ``raw``.
OTHER_LABELS = frozenset(
    "公开方式 公开范围 公开时限 有效性 有效期 时效 效力状态 主题词 关键词 关键字 内容概述 浏览次数 点击数 点击率 "
    "访问量 阅读次数 阅读量 字体 字号 作者 编辑 责任编辑 体裁分类 组配分类 服务对象 所属机构 备注 废止日期 "
    "实施日期 施行日期 截止日期 公开形式 信息类别 载体类型 语种 附件".split())

KNOWN_LABELS = frozenset(LABELS) | OTHER_LABELS

#: <meta name=…> consulted as last resorts, lower-cased.
_META_TITLE = ("articletitle",)
_META_DATE = ("pubdate", "firstpublishedtime", "publishdate")

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A run of CJK characters (spaces allowed between them, as in 索 引 号 / 标　　题), optionally in
# brackets, followed by a full- or half-width colon.
_LABEL_RUN = re.compile(rf"[\[【]?([{_CJK}](?:[\s\u00a0]*[{_CJK}])*)[\]】]?\s*[:：]")
_EARLY_CLOSE = re.compile(r"</\s*(?:html|body)\s*>", re.I)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody tfoot "
    "thead td th tr ul br title".split())
_SPACED_TAGS = frozenset("span a label img input button em i".split())
_EMPTY_CELL_TAGS = frozenset("td th dd dt li p div".split())
_MAX_VALUE = 200        # a longer "value" is body text, not metadata
_MAX_GENERIC_VALUE = 60  # unknown labels ("附件：…") only with short values
_MAX_GENERIC_LABEL = 8


def parse_tree(html: str | bytes | None):
    """Parse ``html`` with parsel/lxml and drop comments, scripts and styles; None if hopeless.

    Shared by the content extractor. Bytes are decoded (UTF-8, else GB18030) so a caller that
    hands over a raw body gets a result rather than an exception.
    """
    if isinstance(html, bytes):
        try:
            html = html.decode("utf-8")
        except UnicodeDecodeError:
            html = html.decode("gb18030", errors="replace")
    if not html or not html.strip():
        return None
    # Browsers ignore a premature </html> or </body> (gov.cn's 公报 template closes </html>
    # after its header include); libxml2 would drop everything after it, so remove them.
    html = _EARLY_CLOSE.sub("", html.replace("\x00", ""))
    try:
        root = Selector(text=html, type="html").root
        if root is None:
            return None
        etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction,
                             "script", "style", "noscript", "template", with_tail=False)
    except (ValueError, TypeError, etree.LxmlError):
        return None
    return root


def _is_label(text: str) -> bool:
    """True when a whole line is just a label (known, or a short unknown one ending in a colon)."""
    key = compact_label(text)
    if key in KNOWN_LABELS:
        return True
    stripped = squeeze(text)
    return (stripped.endswith((":", "：")) and 0 < len(key) <= _MAX_GENERIC_LABEL
            and bool(_LABEL_RUN.fullmatch(stripped)))


def _header_rows(root) -> list[tuple[str, str]]:
    """Pairs from tables whose labels sit in one row and values in the next, by column.

    Shanghai's 卫健委 template prints 索取号/发布时间/发布机构/文件编号 as a header row. The
    rows are removed from the tree afterwards so the line pass does not pair label with label.
    """
    pairs = []
    for table in list(root.iter("table")):
        rows = [tr for tr in table.iter("tr")
                if next(tr.iterancestors("table"), None) is table]  # thead/tbody mixed
        for tr, nxt in zip(rows, rows[1:]):
            if tr.getparent() is None or nxt.getparent() is None:
                continue
            heads = [squeeze(td.text_content()) for td in tr if td.tag in ("td", "th")]
            values = [squeeze(td.text_content()) for td in nxt if td.tag in ("td", "th")]
            if len(heads) < 2 or len(heads) != len(values):
                continue
            known = sum(compact_label(h) in KNOWN_LABELS for h in heads)
            if known < 2 or not all(h and _is_label(h) for h in heads):
                continue
            if sum(bool(v) and _is_label(v) for v in values) * 2 >= len(values):
                continue
            pairs.extend((compact_label(h), v) for h, v in zip(heads, values))
            for row in (tr, nxt):
                row.getparent().remove(row)
    return pairs


def _lines(root) -> list[tuple[str, object]]:
    """Flatten the tree into (text, owner element) lines: one per block, inline markup joined.

    Block elements that hold no text at all still give an empty line, so a label cell followed
    by an empty value cell reads as "no value" instead of borrowing the next cell's text.
    """
    lines: list[tuple[str, object]] = []
    stack: list = []   # open block elements
    buf: list[str] = []
    counts: list[int] = []

    def flush():
        text = "".join(buf)
        buf.clear()
        if text.strip() and stack:
            lines.append((text, stack[-1]))

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if event == "start":
            if tag in _BLOCK_TAGS:
                flush()
                stack.append(el)
                counts.append(len(lines))
            elif tag in _SPACED_TAGS:
                buf.append(" ")
            if el.text:
                buf.append(el.text)
            continue
        if tag in _BLOCK_TAGS:
            flush()
            stack.pop()
            if len(lines) == counts.pop() and tag in _EMPTY_CELL_TAGS:
                lines.append(("", el))
        elif tag in _SPACED_TAGS:
            buf.append(" ")
        if el.tail:
            buf.append(el.tail)
    flush()
    return lines


def _inline_pairs(line: str) -> list[tuple[str, str, bool]]:
    """``label：value`` pairs in one line as (compact label, value, starts_line)."""
    found = []  # (label start, value start, key)
    for m in _LABEL_RUN.finditer(line):
        run, start = m.group(1), m.start(1)
        key = None
        for i, ch in enumerate(run):  # the longest known label that ends the run
            if _CJK_CHAR.match(ch) and compact_label(run[i:]) in KNOWN_LABELS:
                key, start = compact_label(run[i:]), start + i
                break
        if key is None:  # an unknown label only at a boundary: "附件：", not "…各直属机构："
            tail = re.split(r"[\s\u00a0]+", run)[-1]
            if tail != run:  # "国务院办公厅 运行维护单位：" → label after the last space
                start = m.end(1) - len(tail)
            before = line[:start].rstrip("[【")
            at_boundary = not before.strip() or before[-1].isspace() or before[-1] in "|｜]】)）"
            if len(compact_label(tail)) > _MAX_GENERIC_LABEL or not at_boundary:
                continue
            key = compact_label(tail)
        found.append((start, m.end(), key))
    pairs = []
    for n, (start, vstart, key) in enumerate(found):
        vend = found[n + 1][0] if n + 1 < len(found) else len(line)
        value = squeeze(line[vstart:vend]).strip("|｜[]【】 ")
        limit = _MAX_VALUE if key in KNOWN_LABELS else _MAX_GENERIC_VALUE
        if len(value) > limit:
            continue
        pairs.append((key, value, not line[:start].strip(" \t\u3000\u00a0[【")))
    return pairs


def _is_within(el, ancestor) -> bool:
    while el is not None:
        if el is ancestor:
            return True
        el = el.getparent()
    return False


def collect_pairs(root) -> list[tuple[str, str, int]]:
    """Every (compact label, raw value, form rank) on the page, in document order.

    Form rank 0 is a labelled block (table, dt/dd, a pair alone in its paragraph/cell);
    rank 1 is free text (several pairs on one line, or a pair after other words).
    """
    pairs = [(key, value, 0) for key, value in _header_rows(root)]
    lines = _lines(root)
    consumed = set()
    for i, (text, owner) in enumerate(lines):
        if i in consumed or not text.strip():
            continue
        if _is_label(text):
            key, value = compact_label(text), ""
            if key not in KNOWN_LABELS and owner.tag not in ("td", "th", "dt"):
                continue  # "各区卫生健康委：" opening a letter is no label
            sibling = owner.getnext()
            limit = _MAX_VALUE if key in KNOWN_LABELS else _MAX_GENERIC_VALUE
            if i + 1 < len(lines) and sibling is not None and len(squeeze(lines[i + 1][0])) <= limit:
                ntext, nowner = lines[i + 1]
                if _is_within(nowner, sibling) and not _is_label(ntext) and not _inline_pairs(ntext):
                    value = ntext
                    consumed.add(i + 1)
                elif nowner is sibling and not ntext:
                    consumed.add(i + 1)
            pairs.append((key, value, 0))
            continue
        found = _inline_pairs(text)
        single = len(found) == 1 and found[0][2]
        pairs.extend((key, value, 0 if single else 1) for key, value, _ in found)
    return pairs


def _metas(root) -> dict[str, str]:
    metas = {}
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        content = squeeze(meta.get("content"))
        if name in _META_TITLE + _META_DATE and content and name not in metas:
            metas[name] = content
    return metas


def _strip_site_suffix(title: str) -> str:
    """'文件名__2007年第23号国务院公报_中国政府网' → '文件名'; keeps '1-10月…' intact."""
    title = squeeze(title)
    if "_" in title:
        head = title.split("_", 1)[0].strip()
        if head:
            return head
    for sep in (" - ", " | ", " — ", "｜", " -", "- "):
        if sep in title:
            head = title.rsplit(sep, 1)[0].strip()
            if head:
                return head
    return title


_ARTICLE_TITLE = re.compile(r"ivs_title|rticle[-_]?title|con-title|detail[-_]?title|news[-_]?title", re.I)
_TRAILING_DATE = re.compile(r"\s*[(（]\s*\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\s*[)）]\s*$")


def _heading_title(root) -> str | None:
    """The page heading: one that agrees with <title>, else h1 or an article-title element,
    else <title> without its site suffix, else any title-like heading.

    Headings that are all link text are skipped: an ``<h1><a href="/">`` is the site logo.
    <title> is often the column name ("工作动态-某区人民政府") rather than the document's,
    which is why a real heading beats it.
    """
    page_title = next((squeeze(t.text_content()) for t in root.iter("title")), "")
    headings = []
    for h in root.xpath("//h1 | //h2 | //*[@id='ivs_title'] | //*[contains(@class, 'title')]"):
        text = _TRAILING_DATE.sub("", squeeze(h.text_content()))  # "标题 ( 2024-05-11)"
        links = "".join(squeeze(a.text_content()) for a in h.iter("a"))
        if 4 <= len(text) <= 200 and links.replace(" ", "") != text.replace(" ", ""):
            strong = h.tag == "h1" or bool(_ARTICLE_TITLE.search(f"{h.get('id')} {h.get('class')}"))
            headings.append((strong, text))
    for _strong, text in headings:
        if page_title and text in page_title:
            return text
    strong = next((text for is_strong, text in headings if is_strong), None)
    if strong:
        return strong
    if page_title:
        return _strip_site_suffix(page_title)
    return headings[0][1] if headings else None


def _pick(pairs: list[tuple[str, str, int]]) -> dict[str, str]:
    """Per field, the best non-empty candidate by (label rank, form rank, position)."""
    best: dict[str, tuple] = {}
    for pos, (key, value, form) in enumerate(pairs):
        if key not in LABELS or clean(value) is None:
            continue
        field, rank = LABELS[key]
        sort_key = (rank, form, pos)
        if field not in best or sort_key < best[field][0]:
            best[field] = (sort_key, clean(value))
    return {field: entry[1] for field, entry in best.items()}


def _raw(pairs: list[tuple[str, str, int]]) -> dict[str, str | None]:
    """Label → value for every label seen; the first non-empty value of the best form wins."""
    raw: dict[str, str | None] = {}
    for key, value, _form in sorted(pairs, key=lambda p: p[2]):
        if raw.get(key) is None:
            raw[key] = clean(value)
    return raw


def extract_metadata(html: str | bytes | None, url: str | None = None) -> dict:
    """The 目录 metadata of one detail page: the SPEC fields plus ``raw`` and ``date_texts``.

    ``url`` is accepted for the extractor contract (and future per-site quirks) but unused.
    Never raises: unparseable input gives every field None.
    """
    result: dict = {field: None for field in FIELDS}
    result["raw"], result["date_texts"] = {}, {}
    root = parse_tree(html)
    if root is None:
        return result
    metas = _metas(root)
    title_fallback = metas.get("articletitle") or _heading_title(root)
    try:
        pairs = collect_pairs(root)
    except (RecursionError, ValueError):
        pairs = []
    values = _pick(pairs)
    result["raw"] = _raw(pairs)
    for field in FIELDS:
        result[field] = values.get(field)
    for field in DATE_FIELDS:
        if values.get(field) is not None:
            result["date_texts"][field] = values[field]
            result[field] = parse_date(values[field])
    if values.get("published") is None:
        for name in _META_DATE:
            if name in metas:
                result["raw"][f"meta:{name}"] = metas[name]
                result["date_texts"]["published"] = metas[name]
                result["published"] = parse_date(metas[name])
                break
    if result["title"] is None and title_fallback:
        result["title"] = clean(title_fallback)
    return result
