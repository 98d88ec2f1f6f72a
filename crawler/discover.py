"""Finding one's way around a portal: the 信息公开 entry, its column tree, the kind of a page,
and the notes that explain an empty column. Pure: ``(html, url)`` in, values out.

Column discovery favours precision: every link it returns becomes a column the audits judge
(stale, empty), so a site-wide menu item taken for a column would produce a false finding. Links
are therefore kept only when they are in the portal, are not documents/files/pagination, and do
not sit in a block that is recognisably site furniture (the top menu with 首页, the footer,
drop-down menus headed by a dead ``#`` link).

Hosts: a column may live on another host of the same registered domain (the Handan directory
at hdzfxxgk.hd.gov.cn links 财政预决算 at hd.gov.cn), so those count as inside; other
registered domains (ccgp-hebei.gov.cn, hbzwfw.gov.cn, www.gov.cn) are outside. IP hosts (the
simulator) must match host and port exactly. Same rule as :func:`crawler.urls.same_portal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from parsel import Selector

from crawler.listing import (extract_items, is_attachment, is_nav_text, item_containers,
                             looks_like_detail)
from crawler.paging import find_paging
from crawler.text import clean, squeeze, to_simplified
from crawler.urls import registered_domain


@dataclass(frozen=True)
class ColumnLink:
    name: str   # 简体, trimmed
    url: str    # absolute


# --- shared helpers --------------------------------------------------------------------------

def _root(html: str):
    if not html or not html.strip():
        return None
    try:
        return Selector(text=html).root
    except Exception:   # unparseable garbage: nothing to find
        return None


def _is_ip(host: str) -> bool:
    return bool(re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]|localhost", host or "", re.I))


def same_site(url: str, page_url: str) -> bool:
    """Same netloc, or (for domain names) the same registered domain: www.hd.gov.cn and
    hdzfxxgk.hd.gov.cn are one portal; 127.0.0.1:8001 and 127.0.0.1:8002 are two."""
    a, b = urlsplit(url), urlsplit(page_url)
    if a.netloc.lower() == b.netloc.lower():
        return True
    ha, hb = (a.hostname or ""), (b.hostname or "")
    if _is_ip(ha) or _is_ip(hb):
        return False
    return registered_domain(ha) == registered_domain(hb)


def _link_name(a) -> str:
    """简体, squeezed text of a link; its title or image alt when it has no text."""
    text = "".join(t for t in a.itertext() if t)
    name = clean(text) or clean(a.get("title")) or ""
    if not name:
        for img in a.iter("img"):
            name = clean(img.get("alt")) or ""
            if name:
                break
    # <br> and indentation inside Chinese text are layout, not spaces: "政府信息<br>公开指南"
    name = re.sub(r"(?<=[\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3400-\u9fff\uff00-\uffef])", "", name)
    name = re.sub(r"^[·•\-–>»\s]+|[>»\s]+$", "", name)
    name = re.sub(r"[（(\[【]\s*\d+\s*[】\])）]$", "", name).strip()   # "工作动态(12)" item counts
    return name


def _abs(url: str, href: str | None) -> str | None:
    href = (href or "").strip()
    if not href or href.startswith("#") or re.match(r"(?i)(javascript|mailto|tel|data):", href):
        return None
    target = urljoin(url, href).split("#")[0]
    return target if urlsplit(target).scheme in ("http", "https") else None


# --- the 信息公开 entry ----------------------------------------------------------------------

_ENTRY_TEXTS = {
    "政府信息公开": 12, "政府信息公开目录": 12, "政府信息公开平台": 11, "政府信息公开专栏": 11,
    "信息公开": 10, "信息公开目录": 10, "政务公开": 9, "政务公开专栏": 9, "政务信息公开": 9,
    "法定主动公开内容": 7, "政府信息公开网": 11,
}
_ENTRY_URL = re.compile(r"/(?:zfxxgk|xxgk|zwgk|xxgkml|zfxxgkml|gkml|govpublic|zfxxgkpt|zwgkzl)"
                        r"(?:[/_.]|$)", re.I)
_ENTRY_HOST = re.compile(r"^(?:\w*zfxxgk|xxgk|zwgk|gk)\.", re.I)
_ENTRY_SUBCOLUMN = re.compile(r"指南|年报|年度报告|申请|制度|规定|意见箱|工作要点|专题|解读|通知|查询")


def _entry_score(name: str, target: str, page_url: str) -> int:
    score = 0
    if name in _ENTRY_TEXTS:
        score += _ENTRY_TEXTS[name]
    elif re.search(r"(信息|政务)公开", name) and len(name) <= 12 and not _ENTRY_SUBCOLUMN.search(name):
        score += 5
    elif name:
        return 0        # a link named otherwise ("专题") is not the entry, whatever its URL
    parts = urlsplit(target)
    if _ENTRY_URL.search(parts.path) or _ENTRY_HOST.match(parts.hostname or ""):
        score += 3
    if re.search(r"/col/col\d+", parts.path) and score:
        score += 1
    if score == 0:
        return 0
    score += 2 if same_site(target, page_url) else -4
    if looks_like_detail(target) or is_attachment(target):
        score -= 10
    return score


def find_entry(html: str, url: str) -> str | None:
    """The 信息公开 directory linked from a portal homepage, or None.

    Scores every link on its text (政府信息公开 / 信息公开 / 政务公开 / 政府信息公开目录 /
    法定主动公开内容 …, 简繁), its URL (/xxgk/, /zwgk/, /zfxxgk/, /xxgkml/, hosts like
    hdzfxxgk.*) and its host (same portal preferred; the national platform on www.gov.cn is
    not this portal's entry). Sub-columns (…指南, …年报) and articles about 信息公开 lose.
    The best score wins, the first on the page among equals; below 5 nothing is returned.
    """
    root = _root(html)
    if root is None:
        return None
    here = url.split("#")[0].rstrip("/")
    best, best_score = None, 4
    for a in root.iter("a"):
        target = _abs(url, a.get("href"))
        if not target or target.rstrip("/") == here:
            continue
        score = _entry_score(_link_name(a), target, url)
        if score > best_score:
            best, best_score = target, score
    return best


# --- the column tree -------------------------------------------------------------------------

#: Links of site-wide furniture. A block (ul/div/table) holding one of these is the portal's
#: top menu, breadcrumb or footer, never the 信息公开 column tree.
_SITE_NAV = re.compile(r"^(?:首页|网站首页|返回首页|主页|走进.{1,6}|政民互动|互动交流|互动|办事服务|"
                       r"网上办事|政务服务|专题专栏|网站地图|联系我们|关于我们|网站声明|English)$", re.I)
#: Link texts that are never columns, wherever they are.
_NOT_COLUMN = re.compile(r"首页|搜索|检索|登录|注册|无障碍|长者|关怀|English|繁体|简体|手机版|网站地图|"
                         r"联系我们|关于我们|网站声明|隐私|版权|帮助|设为|收藏|返回|RSS|微信|微博|"
                         r"留言|信箱|打印|关闭|更多|日历|calendar|^走进", re.I)
#: Names of organisations: those links lead to another 公开主体's own directory (a department's
#: sub-site), audited on its own, not to a column of this one.
_UNIT_NAME = re.compile(r"(?:局|委|办|办公室|委员会|中心|人民政府|政府|街道|街道办事处|镇|乡|公司|银行|"
                        r"社|院|所|厅|署|站|队|馆|集团|大学|学校|医院|法院|检察院|仲裁委|"
                        r"贸促会|协会|商会|联合会|工会|联社)$")
_BLOCK_TAGS = {"ul", "ol", "dl", "nav", "table", "tbody", "div", "section", "header", "footer",
               "aside", "menu", "p"}
_FOOTER = re.compile(r"foot|copyright|bottom|banquan", re.I)
_ROOT_FILES = re.compile(r"^/(?:index|default|main)\.\w+$", re.I)
_PAGE_FILE = re.compile(r"/(?:index|list|default)_\d+\.\w+$", re.I)


def _block_of(a):
    """The block a link belongs to: the nearest ul/div/table/… ancestor that holds other links
    too (menus often wrap every link in its own ``<div>``), at most four blocks up."""
    first = None
    node = a.getparent()
    climbed = 0
    while node is not None and climbed < 4:
        if node.tag in _BLOCK_TAGS:
            first = first if first is not None else node
            climbed += 1
            if sum(1 for _ in node.iter("a")) >= 2:
                return node
        node = node.getparent()
    return first


def _in_footer(a) -> bool:
    for anc in a.iterancestors():
        if anc.tag == "footer" or _FOOTER.search((anc.get("class") or "") + " " + (anc.get("id") or "")):
            return True
    return False


def _placeholder(href: str | None) -> bool:
    href = (href or "").strip()
    return not href or href.endswith("#") or href.startswith("#") or href.lower().startswith("javascript")


def _furniture_blocks(root) -> set:
    """Blocks that are site furniture: any anchor named 首页/走进…/政民互动…, or a drop-down
    group whose first link is a dead heading (``<li class="first"><a href="#">走进邯郸</a>``)."""
    by_block: dict = {}
    for a in root.iter("a"):
        block = _block_of(a)
        if block is not None:
            by_block.setdefault(block, []).append(a)
    furniture = set()
    for block, anchors in by_block.items():
        names = [re.sub(r"\s+", "", _link_name(a)) for a in anchors]
        if any(_SITE_NAV.match(n) for n in names if n):
            furniture.add(block)
        elif len(anchors) >= 2 and _placeholder(anchors[0].get("href")) and names[0]:
            furniture.add(block)
    return furniture


def column_name_ok(name: str) -> bool:
    """A plausible column name: short, not navigation, not an organisation."""
    compact = re.sub(r"\s+", "", name)
    if not 2 <= len(compact) <= 30 or is_nav_text(compact) or _NOT_COLUMN.search(compact):
        return False
    if _UNIT_NAME.search(compact):
        return False
    return not compact.isdigit()


def find_columns(html: str, url: str) -> list[ColumnLink]:
    """The column links of an 信息公开 directory page (left nav, tree, column grid), in page
    order, deduplicated by URL.

    Excluded: site furniture (blocks with 首页/走进XX/政民互动/办事服务, footers, drop-down menus
    headed by a dead link), document and file links, pagination, javascript:/mailto:/#, links
    to another registered domain, the site root, and links named after an organisation
    (department sub-sites, see ``_UNIT_NAME``).
    """
    root = _root(html)
    if root is None:
        return []
    furniture = _furniture_blocks(root)
    out: dict[str, ColumnLink] = {}
    for a in root.iter("a"):
        target = _abs(url, a.get("href"))
        if not target or target in out or not same_site(target, url):
            continue
        parts = urlsplit(target)
        if parts.path in ("", "/") or _ROOT_FILES.match(parts.path) and not parts.query:
            continue
        if is_attachment(target) or looks_like_detail(target) or _PAGE_FILE.search(parts.path):
            continue
        if re.search(r"(?:^|&)(?:page|pageNo|pageIndex|curPage|p)=\d+", parts.query):
            continue
        name = _link_name(a)
        if not column_name_ok(name):
            continue
        if _block_of(a) in furniture or _in_footer(a):
            continue
        out[target] = ColumnLink(to_simplified(name), target)
    return list(out.values())


# --- page kind -------------------------------------------------------------------------------

_DETAIL_LABELS = ("索引号", "索取号", "发布机构", "发文机关", "发文单位", "成文日期", "发文日期",
                  "生成日期", "发文字号", "文号", "主题分类", "公开方式", "公开时限", "有效性")
_BODY_MARKERS = ("//div[@id='zoom']", "//*[contains(@class,'TRS_Editor')]",
                 "//*[@id='UCAP-CONTENT']", "//*[contains(@class,'Article_content')]",
                 "//*[@id='ivs_content']", "//meta[@name='ArticleTitle']",
                 "//*[contains(@class,'article-content')]")


def _visible_texts(root) -> list[str]:
    out = []
    for node in root.iter():
        if not isinstance(node.tag, str):          # comments, processing instructions
            if node.tail and node.tail.strip():
                out.append(node.tail)
            continue
        if node.tag in ("script", "style", "noscript", "template", "textarea", "head", "title"):
            if node.tail and node.tail.strip():
                out.append(node.tail)
            continue
        if node.text and node.text.strip():
            out.append(node.text)
        if node.tail and node.tail.strip():
            out.append(node.tail)
    return out


def _detail_score(root) -> int:
    """Metadata labels with a value (索引号：…) and article-body containers."""
    texts = [to_simplified(squeeze(t)) for t in _visible_texts(root)]
    joined = "\n".join(texts)
    labels = set()
    for label in _DETAIL_LABELS:
        pattern = r"\s*".join(label) + r"\s*[:：]"
        if re.search(pattern, joined):
            labels.add(label)
    score = len(labels)
    sel = Selector(root=root)
    if any(sel.xpath(x) for x in _BODY_MARKERS):
        score += 2
    return score


def _prose_length(root) -> int:
    """Characters of running text in the page's largest group of link-free paragraphs (an
    article body such as a 政府信息公开指南 written straight into the page, without markers)."""
    by_parent: dict = {}
    for p in root.iter("p"):
        if any(True for _ in p.iter("a")) or _in_footer(p):
            continue
        text = squeeze("".join(p.itertext()))
        if len(text) >= 20:
            parent = p.getparent()
            by_parent[parent] = by_parent.get(parent, 0) + len(text)
    return max(by_parent.values(), default=0)


def classify_page(html: str, url: str) -> str:
    """``list``, ``detail``, ``directory`` or ``other`` (the 年报 kind is decided elsewhere).

    * detail: metadata labels with values (索引号：…, 发布机构：…) or an article body (marked
      up, or just paragraphs of running text), and no list;
    * list: paging, or document rows in one container (or a note saying the column is empty);
    * directory: column links and either no items or several separate "latest" previews
      (an 信息公开 home shows a few blocks of recent documents next to its column grid).
    """
    root = _root(html)
    if root is None:
        return "other"
    items = extract_items(html, url)
    paging = find_paging(html, url)
    has_paging = bool(paging.next_pages) or (paging.page_count or 0) > 1
    detail = _detail_score(root)
    if detail >= 2 and len(items) <= 2 and not has_paging:
        return "detail"
    containers = item_containers(html, url)
    if has_paging or (items and containers <= 1):
        return "list"
    columns = find_columns(html, url)
    if containers >= 2 and len(columns) >= 3:
        return "directory"
    if items or explained_empty_note(html):
        return "list"
    if _prose_length(root) >= 150:      # a content page (指南, 机构职能) inside the column tree
        return "detail"
    if len(columns) >= 5:
        return "directory"
    if detail >= 1:
        return "detail"
    if len(columns) >= 3:
        return "directory"
    return "other"


# --- notes on empty columns ------------------------------------------------------------------

#: Notes that name the column or the unit: trusted anywhere in a short sentence.
_STRONG_NOTE = re.compile(
    r"本栏目(?:暂|目前)?(?:无|没有)(?:相关)?(?:信息|内容|数据|记录|文件)|"
    r"(?:本单位|本机关|我单位|本部门|本级|我局|我委|我办|本栏目)[^。；]{0,12}不涉及|"
    r"不涉及(?:此项|该项|本项|此类|该类|本栏目)|"
    r"该栏目(?:暂)?无(?:相关)?(?:信息|内容)(?:公开)?|根据.{0,60}?无此类信息|"
    r"(?:本栏目|该栏目|相关)(?:信息|内容)?已(?:并入|合并至|整合至|迁移至)")
#: Bare notes ("暂无内容", "无相关信息", "没有找到相关信息"): only when the sentence starts with
#: them, since prose says "经检索没有相关信息的，告知申请人" in the middle of a sentence.
_WEAK_NOTE = re.compile(
    r"^(?:目前|当前)?(?:暂无(?:相关)?(?:信息|内容|数据|记录|文件|公开信息)|(?:无|没有)(?:相关|此类|该类)"
    r"(?:信息|内容)(?:公开|发布)?|没有(?:找到|查询到|检索到)(?:相关|符合条件的)?(?:信息|内容|数据|记录)|"
    r"暂未(?:产生|发布|公开)(?:相关)?(?:信息|内容))")
_NOTE_LABEL = re.compile(r"^(?:说明|注|备注|提示|温馨提示)\s*[:：]\s*")
#: Notes are short; longer sentences are prose.
_NOTE_MAX = 80
#: A note pointing elsewhere ("详见……", "已并入……") is a reason only with the link it names.
_POINTER = re.compile(r"详见|参见|请见|请查看|请访问|请点击|已(?:并入|合并至|整合至|迁移至)")

#: Product policy (docs/checks.md, "空白栏目"): the words that make a note a *reason* for an
#: empty column. A bare CMS placeholder ("暂无信息") gives none.
_REASON = re.compile(r"不涉及|无此类|暂未产生|尚未产生|未产生|未发生|不适用|不属于本(?:单位|机关|部门)")
_LINKED_REASON = re.compile(r"(?:已(?:并入|合并至|整合至|迁移至)|详见|参见|请见|请查看|请访问).*https?://")


def note_gives_reason(text: str | None) -> bool:
    """Whether a note shown on an empty column gives a reason (product policy, docs/checks.md).

    Reasons: 不涉及, 无此类, 暂未产生, 未发生, 不适用, or a pointer (已并入…, 详见…) that carries
    the address it points to (``explained_empty_note`` appends a link's URL to the note).
    A placeholder alone — 暂无信息, 暂无数据, 暂无内容, 没有找到相关信息, 简 or 繁, with or
    without a 说明： label — is no reason: every CMS prints one on an empty column.
    """
    note = to_simplified(squeeze(text or ""))
    if not note:
        return False
    return bool(_REASON.search(note) or _LINKED_REASON.search(note))


def _linked_note(root, url: str) -> str | None:
    """A short block saying "详见<a>…</a>" / "已并入<a>…</a>": its text plus the link's address."""
    for node in root.iter("p", "div", "li", "span", "td"):
        links = [a for a in node.iter("a") if _abs(url or "http://x/", a.get("href"))]
        if not links or any(n.tag in ("script", "style") for n in node.iter()):
            continue
        text = to_simplified(squeeze("".join(node.itertext())))
        if not text or len(text) > _NOTE_MAX or not _POINTER.search(text):
            continue
        if not (_STRONG_NOTE.search(text) or _WEAK_NOTE.search(_NOTE_LABEL.sub("", text))
                or re.search(r"本栏目|该栏目|(?:相关|此类|有关|该类)(?:信息|内容)", text)):
            continue
        href = links[0].get("href").strip()
        return f"{clean(text) or text}（{urljoin(url, href) if url else href}）"
    return None


def explained_empty_note(html: str, url: str = "") -> str | None:
    """The note a list page shows instead of items, 简体 and trimmed to its sentence: a bare
    placeholder ("本栏目暂无信息", "暂无数据", "没有找到相关信息") or a reason ("本单位不涉及此项
    内容", "根据……，无此类信息", "已并入<a>财政预决算</a>栏目" — a pointer keeps its link's
    address in brackets); None when there is none. Whether the note gives a *reason* is
    :func:`note_gives_reason`'s question (the audit asks it); the crawler stores the text
    as found, so a person can read it in the finding.

    Only visible text counts: scripts (a JS template's "暂无数据" shown when a fetch fails),
    styles, templates and comments are ignored. Whether the page also has items is the
    caller's question (the spider asks only for pages without items).
    """
    root = _root(html)
    if root is None:
        return None
    linked = _linked_note(root, url)
    if linked:
        return linked
    for raw in _visible_texts(root):
        text = to_simplified(squeeze(raw))
        for sentence in re.findall(r"[^。！!；;]+[。！!；;]?", text):
            sentence = sentence.strip(" ，,")
            if not sentence or len(sentence) > _NOTE_MAX:
                continue
            if _STRONG_NOTE.search(sentence) or _WEAK_NOTE.search(_NOTE_LABEL.sub("", sentence)):
                return clean(sentence) or sentence
    return None
